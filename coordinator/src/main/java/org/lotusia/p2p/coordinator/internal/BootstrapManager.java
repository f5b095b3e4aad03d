package org.lotusia.p2p.coordinator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.p2p.coordinator.BootstrapConfig;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the configured bootstrap peers connected (reference section 1.8): dials them all at start,
 * redials one after a failure or a disconnect with exponential backoff and jitter, checks them
 * every {@code healthCheckInterval}, and protects their connections from the trimmer. Publishes
 * the bootstrap events.
 *
 * <p>Threading: state per peer is guarded by the peer's entry; timers run on the service
 * scheduler; dials complete on the callback executor. {@link #stop()} cancels every timer.
 */
public final class BootstrapManager implements HostListener {

  private static final Logger LOG = LoggerFactory.getLogger(BootstrapManager.class);
  private static final String TAG = "bootstrap";

  private final Context ctx;
  private final BootstrapConfig cfg;
  private final Map<PeerId, Peer> peers = new ConcurrentHashMap<>();
  private volatile boolean stopped;
  private ScheduledFuture<?> health;

  private static final class Peer {
    final PeerId id;
    final Multiaddr addr;
    int failures;
    boolean dialing;
    ScheduledFuture<?> retry;

    Peer(PeerId id, Multiaddr addr) {
      this.id = id;
      this.addr = addr;
    }
  }

  /**
   * Creates the manager for one run.
   *
   * @param ctx the run
   */
  public BootstrapManager(Context ctx) {
    this.ctx = ctx;
    this.cfg = ctx.config().bootstrap();
    for (String a : ctx.config().bootstrapPeers()) {
      Multiaddr m = Multiaddr.parse(a);
      PeerId id = m.peerId().orElseThrow();
      if (!id.equals(ctx.host().peerId())) {
        peers.put(id, new Peer(id, m));
      }
    }
  }

  /**
   * The bootstrap peers, this node excepted.
   *
   * @return their peer IDs
   */
  public Set<PeerId> peers() {
    return Set.copyOf(peers.keySet());
  }

  /**
   * Whether any bootstrap peer is configured.
   *
   * @return true when there is one
   */
  public boolean configured() {
    return !peers.isEmpty();
  }

  /**
   * Dials every bootstrap peer and starts the health check.
   *
   * @return completes when every first dial finished, successful or not
   */
  public CompletableFuture<Void> start() {
    List<CompletableFuture<Void>> dials = new ArrayList<>();
    for (Peer p : peers.values()) {
      ctx.host().protect(p.id, TAG);
      dials.add(dial(p));
    }
    long every = cfg.healthCheckInterval().toMillis();
    health = ctx.scheduler().scheduleWithFixedDelay(this::healthCheck, every, every, TimeUnit.MILLISECONDS);
    return CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new));
  }

  /** Cancels every timer; connections stay as they are. */
  public void stop() {
    stopped = true;
    if (health != null) {
      health.cancel(false);
    }
    for (Peer p : peers.values()) {
      synchronized (p) {
        if (p.retry != null) {
          p.retry.cancel(false);
        }
      }
    }
  }

  private CompletableFuture<Void> dial(Peer p) {
    synchronized (p) {
      if (stopped || p.dialing || ctx.host().isConnected(p.id)) {
        return CompletableFuture.completedFuture(null);
      }
      p.dialing = true;
      p.retry = null;
    }
    return ctx.host()
        .dial(p.addr)
        .handle(
            (conn, e) -> {
              synchronized (p) {
                p.dialing = false;
                if (e == null) {
                  p.failures = 0;
                  return null;
                }
                p.failures++;
              }
              LOG.debug("bootstrap dial to {} failed: {}", p.addr, Futures.unwrap(e).toString());
              scheduleRetry(p, Futures.unwrap(e).getMessage());
              return null;
            });
  }

  private void scheduleRetry(Peer p, String lastError) {
    long delay;
    int attempt;
    synchronized (p) {
      if (stopped || p.retry != null || p.dialing) {
        return;
      }
      if (p.failures >= cfg.maxReconnectAttempts()) {
        ctx.events()
            .publish(new P2PEvent.BootstrapFailed(p.id.toBase58(), p.failures, String.valueOf(lastError), ctx.now()));
        return;
      }
      attempt = p.failures + 1;
      delay = Backoff.delayMillis(cfg, p.failures);
      p.retry = ctx.scheduler().schedule(() -> dial(p), delay, TimeUnit.MILLISECONDS);
    }
    ctx.events().publish(new P2PEvent.BootstrapReconnecting(p.id.toBase58(), attempt, delay, ctx.now()));
  }

  private void healthCheck() {
    for (Peer p : peers.values()) {
      if (!ctx.host().isConnected(p.id)) {
        scheduleRetry(p, "not connected at the health check");
      }
    }
  }

  @Override
  public void peerConnected(PeerId peer) {
    Peer p = peers.get(peer);
    if (p != null) {
      ctx.events().publish(new P2PEvent.BootstrapConnected(peer.toBase58(), p.addr.toString(), ctx.now()));
    }
  }

  @Override
  public void peerDisconnected(PeerId peer) {
    Peer p = peers.get(peer);
    if (p != null && !stopped) {
      ctx.events().publish(new P2PEvent.BootstrapDisconnected(peer.toBase58(), ctx.now()));
      scheduleRetry(p, "disconnected");
    }
  }

  /**
   * Bootstrap peers connected now.
   *
   * @return the count
   */
  public int connectedCount() {
    int n = 0;
    for (PeerId id : peers.keySet()) {
      if (ctx.host().isConnected(id)) {
        n++;
      }
    }
    return n;
  }
}
