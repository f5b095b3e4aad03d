package org.lotusia.libp2p.protocol.kad;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHT's periodic work, driven by one timer that ticks every {@value #TICK_MILLIS} ms and reads
 * the DHT's clock to decide what is due, so tests step the clock instead of waiting:
 *
 * <ul>
 *   <li>every tick: the {@link Republisher}'s due records and provider announcements;
 *   <li>every {@code refreshInterval}: expiry of stored records and provider records, the
 *       bootstrap peers dialled again when the routing table is empty, a lookup of our own ID, and
 *       a lookup of a random key in each bucket no lookup touched for a whole interval (kad-dht
 *       spec, "Bootstrap process"; as go-libp2p, only buckets up to {@value #MAX_REFRESH_CPL}
 *       shared bits, whose random keys are cheap to find).
 * </ul>
 *
 * <p>Executor-confined, except {@link #dialBootstrapPeers()} which any thread may call.
 */
final class Maintenance {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

  static final long TICK_MILLIS = 1000;

  /** Deepest bucket refreshed with a random walk (go-libp2p: 15). */
  static final int MAX_REFRESH_CPL = 15;

  private final KadDht dht;
  private final SecureRandom random = new SecureRandom();
  private final Map<Integer, Instant> lastLookup = new HashMap<>();
  private Instant nextRefresh;
  private boolean refreshing;

  Maintenance(KadDht dht) {
    this.dht = dht;
  }

  void start() {
    nextRefresh = dht.clock.instant().plus(dht.config.refreshInterval());
    if (!dht.config.bootstrapPeers().isEmpty()) {
      dialBootstrapPeers().thenRun(() -> runOnExecutor(this::refreshNow));
    }
    dht.executor.scheduleWithFixedDelay(
        this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Notes a lookup of {@code key}: its bucket does not need a random walk for a while. */
  void touched(byte[] key) {
    int cpl = dht.table.selfKey().commonPrefixLength(KadKey.of(key));
    lastLookup.put(cpl, dht.clock.instant());
  }

  private void tick() {
    try {
      dht.republisher.runDue();
      Instant now = dht.clock.instant();
      if (!now.isBefore(nextRefresh)) {
        nextRefresh = now.plus(dht.config.refreshInterval());
        dht.records.expire(now);
        dht.providers.expire(now);
        dht.storesChanged();
        if (dht.table.size() == 0) {
          dialBootstrapPeers().thenRun(() -> runOnExecutor(this::refreshNow));
        } else {
          refreshNow();
        }
      }
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again: keep the timer alive
      LOG.warn("DHT maintenance failed", e);
    }
  }

  /** A self lookup, then random walks in stale buckets; one refresh at a time. Executor only. */
  void refreshNow() {
    if (refreshing) {
      return;
    }
    refreshing = true;
    Instant now = dht.clock.instant();
    List<byte[]> walks = new ArrayList<>();
    int deepest = Math.min(dht.table.bucketCount() - 1, MAX_REFRESH_CPL);
    for (int cpl = 0; cpl <= deepest; cpl++) {
      Instant last = lastLookup.get(cpl);
      if (last == null || !now.isBefore(last.plus(dht.config.refreshInterval()))) {
        walks.add(randomKeyWithCpl(cpl));
      }
    }
    CompletableFuture<?> chain = dht.ops.closestPeers(dht.host.peerId().toBytes());
    for (byte[] key : walks) {
      chain = chain.handle((r, e) -> null).thenCompose(v -> dht.ops.closestPeers(key));
    }
    chain.whenComplete(
        (r, e) -> {
          if (e != null) {
            LOG.debug("kad refresh failed: {}", e.toString());
          }
          runOnExecutor(() -> refreshing = false);
        });
  }

  private void runOnExecutor(Runnable r) {
    try {
      dht.executor.execute(r);
    } catch (RejectedExecutionException closed) {
      // the DHT closed meanwhile
    }
  }

  /** Random key bytes whose key-space point shares exactly {@code cpl} leading bits with us. */
  byte[] randomKeyWithCpl(int cpl) {
    KadKey self = dht.table.selfKey();
    byte[] key = new byte[32];
    while (true) {
      random.nextBytes(key);
      if (self.commonPrefixLength(KadKey.of(key)) == cpl) {
        return key.clone();
      }
    }
  }

  /** Dials the configured bootstrap peers not connected yet; completes when every dial ended. */
  CompletableFuture<Void> dialBootstrapPeers() {
    List<CompletableFuture<?>> dials = new ArrayList<>();
    for (Multiaddr a : dht.config.bootstrapPeers()) {
      PeerId p = a.peerId().orElseThrow();
      if (p.equals(dht.host.peerId()) || !dht.host.connections(p).isEmpty()) {
        continue;
      }
      dials.add(
          dht.host
              .dial(a)
              .handle(
                  (c, e) -> {
                    if (e != null) {
                      LOG.debug("bootstrap peer {} unreachable: {}", a, e.toString());
                    }
                    return null;
                  }));
    }
    return CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new));
  }
}
