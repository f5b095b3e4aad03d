package org.lotusia.libp2p.protocol.kad;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayDeque;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what this node published alive in the network: its own records are put again at the
 * closest peers every {@code republishInterval}, its provider announcements every {@code
 * reprovideInterval}, both well before remote peers drop them (kad-dht spec: records and provider
 * records live 48 h; go-libp2p reprovides every 22 h). Republishing also refreshes the local copy,
 * so our own records never expire here while we keep them. A record stops being republished when a
 * get finds a value the selector prefers (someone wrote a newer one).
 *
 * <p>Due times come from the DHT's clock, checked by the DHT's periodic maintenance, so a test can
 * step the clock. Items due at once are sent one after another, not all in parallel, so a node with
 * many records does not open hundreds of lookups in one burst. Executor-confined.
 */
final class Republisher {
  private static final Logger LOG = LoggerFactory.getLogger(Republisher.class);

  private record Own(byte[] value, Instant due) {}

  private final KadDht dht;
  private final Map<ByteString, Own> records = new LinkedHashMap<>();
  private final Map<ByteString, Instant> providers = new LinkedHashMap<>();
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean running;

  Republisher(KadDht dht) {
    this.dht = dht;
  }

  /** Remembers a record this node put; the first republish is one interval from now. */
  void rememberRecord(byte[] key, byte[] value) {
    records.put(
        ByteString.copyFrom(key),
        new Own(value.clone(), dht.clock.instant().plus(dht.config.republishInterval())));
  }

  /** Stops republishing our value of {@code key} when {@code better} replaced it. */
  void supersede(byte[] key, byte[] better) {
    ByteString k = ByteString.copyFrom(key);
    Own own = records.get(k);
    if (own != null && !Arrays.equals(own.value(), better)) {
      records.remove(k);
    }
  }

  /** Remembers a multihash this node provides. */
  void rememberProvider(byte[] multihash) {
    providers.put(
        ByteString.copyFrom(multihash), dht.clock.instant().plus(dht.config.reprovideInterval()));
  }

  /** Stops re-announcing {@code multihash}. */
  void forgetProvider(byte[] multihash) {
    providers.remove(ByteString.copyFrom(multihash));
  }

  int records() {
    return records.size();
  }

  int providers() {
    return providers.size();
  }

  /** Republishes whatever is due by the clock; a run still under way is not overlapped. */
  void runDue() {
    if (running) {
      return;
    }
    Instant now = dht.clock.instant();
    List<Runnable> work = new ArrayList<>();
    Duration timeout = dht.config.queryTimeout();
    for (Map.Entry<ByteString, Own> e : records.entrySet()) {
      Own own = e.getValue();
      if (now.isBefore(own.due())) {
        continue;
      }
      byte[] key = e.getKey().toByteArray();
      e.setValue(new Own(own.value(), now.plus(dht.config.republishInterval())));
      work.add(() -> chain(republishRecord(key, own.value(), timeout)));
    }
    for (Map.Entry<ByteString, Instant> e : providers.entrySet()) {
      if (now.isBefore(e.getValue())) {
        continue;
      }
      byte[] mh = e.getKey().toByteArray();
      e.setValue(now.plus(dht.config.reprovideInterval()));
      work.add(() -> chain(dht.ops.announce(mh).thenApply(p -> null)));
    }
    if (!work.isEmpty()) {
      running = true;
      queue.addAll(work);
      next();
    }
  }

  private void chain(CompletableFuture<?> step) {
    step.whenCompleteAsync(
        (v, e) -> {
          if (e != null) {
            LOG.debug("republish step failed: {}", e.toString());
          } else {
            dht.metrics.republished.increment();
          }
          next();
        },
        dht.executor);
  }

  private void next() {
    Runnable r = queue.poll();
    if (r == null) {
      running = false;
      return;
    }
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.debug("republish step failed: {}", e.toString());
      next();
    }
  }

  private CompletableFuture<?> republishRecord(byte[] key, byte[] value, Duration timeout) {
    Instant now = dht.clock.instant();
    // refresh our own copy first, so it does not expire here while we keep it
    var local = dht.records.get(key, now);
    if (local.isPresent() && !Arrays.equals(local.get().value(), value)) {
      if (dht.namespaces.prefers(key, local.get().value(), value)) {
        records.remove(ByteString.copyFrom(key));
        return CompletableFuture.completedFuture(null);
      }
    }
    dht.records.put(key, value, dht.host.peerId(), now);
    dht.storesChanged();
    return dht.recordOps.replicate(key, value, timeout, null);
  }
}
