package org.lotusia.p2p.coordinator.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.PeerId;
import org.lotusia.p2p.coordinator.BootstrapConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redials peers lost without either side asking for it (see {@link BootstrapConfig}): after a
 * broken link or a partition, nodes that are not each other's bootstrap peers find each other
 * again. Bootstrap peers are the {@link BootstrapManager}'s. Not redialled: a peer this node drops
 * on purpose ({@link #dropping(PeerId)}), one whose last connection the remote ended on purpose
 * ({@link Connection#closedByRemote()}: it disconnected or stopped), one the gater refuses
 * (banned), and every peer once the node stops; nor any while the node has at least half its
 * connection maximum.
 *
 * <p>At most {@code redialLostPeers} peers are followed at once, each for {@code
 * redialLostPeersFor} after it was lost. A peer that comes back stays followed for {@code
 * reconnectMaxDelay}: lost again within it, it continues its back-off, so a peer that closes every
 * connection at once is dialled ever more rarely.
 *
 * <p>Threading: host events arrive on the callback executor, timers run on the service scheduler,
 * dials complete on the callback executor; the state of a peer is guarded by its entry.
 */
public final class LostPeers implements HostListener {

  private static final Logger LOG = LoggerFactory.getLogger(LostPeers.class);

  private final Context ctx;
  private final BootstrapConfig cfg;
  private final Set<PeerId> bootstrap;
  private final Predicate<PeerId> mayDial;
  private final Map<PeerId, Lost> followed = new ConcurrentHashMap<>();
  private final Set<PeerId> dropping = ConcurrentHashMap.newKeySet();
  // per connected peer: whether its last closed connection was ended by the remote on purpose
  private final Map<PeerId, Boolean> endedByRemote = new ConcurrentHashMap<>();
  private volatile boolean stopped;

  private static final class Lost {
    final PeerId id;
    final long forgetAt;
    int failures;
    boolean dialing;
    boolean back;
    ScheduledFuture<?> retry;

    Lost(PeerId id, long forgetAt, int failures) {
      this.id = id;
      this.forgetAt = forgetAt;
      this.failures = failures;
    }
  }

  /**
   * Creates the redialler of one run.
   *
   * @param ctx the run
   * @param bootstrap the bootstrap peers, left to the bootstrap manager
   * @param mayDial whether the gater lets this node dial a peer (false for banned peers)
   */
  public LostPeers(Context ctx, Set<PeerId> bootstrap, Predicate<PeerId> mayDial) {
    this.ctx = ctx;
    this.cfg = ctx.config().bootstrap();
    this.bootstrap = Set.copyOf(bootstrap);
    this.mayDial = mayDial;
  }

  /**
   * Says that this node is about to close its connections to {@code peer} on purpose, so losing
   * it is not a reason to redial it.
   *
   * @param peer the peer
   */
  public void dropping(PeerId peer) {
    Lost l = followed.remove(peer);
    if (l != null) {
      cancel(l);
    }
    if (ctx.host().isConnected(peer)) {
      dropping.add(peer);
    }
  }

  /** Stops every redial; nothing is dialled after it returns. */
  public void stop() {
    stopped = true;
    followed.values().forEach(this::cancel);
    followed.clear();
  }

  @Override
  public void peerConnected(PeerId peer) {
    Lost l = followed.get(peer);
    if (l == null || stopped) {
      return;
    }
    synchronized (l) {
      cancelLocked(l);
      l.back = true;
    }
    // once it stayed long enough, a later loss starts a new back-off
    ctx.scheduler()
        .schedule(
            () -> {
              if (ctx.host().isConnected(peer)) {
                followed.remove(peer, l);
              }
            },
            cfg.reconnectMaxDelay().toMillis(),
            TimeUnit.MILLISECONDS);
  }

  @Override
  public void connectionClosed(Connection connection) {
    endedByRemote.put(connection.remotePeer(), connection.closedByRemote());
  }

  @Override
  public void peerDisconnected(PeerId peer) {
    boolean onPurpose = Boolean.TRUE.equals(endedByRemote.remove(peer));
    if (dropping.remove(peer) || onPurpose || stopped || bootstrap.contains(peer)) {
      return;
    }
    if (cfg.redialLostPeers() == 0) {
      return;
    }
    if (ctx.host().isConnected(peer) || !mayDial.test(peer)) {
      return;
    }
    if (ctx.host().connectedPeers().size() >= Math.max(1, ctx.config().maxConnections() / 2)) {
      return;
    }
    if (ctx.host().peerStore().addresses(peer).isEmpty()) {
      return;
    }
    long forgetAt = System.nanoTime() + cfg.redialLostPeersFor().toNanos();
    Lost l =
        followed.compute(
            peer,
            (id, before) -> {
              if (before != null) {
                synchronized (before) {
                  // still being redialled: it goes on; lost again soon after coming back: the
                  // back-off goes on from where it was
                  return before.back ? new Lost(id, forgetAt, before.failures + 1) : before;
                }
              }
              return followed.size() < cfg.redialLostPeers() ? new Lost(id, forgetAt, 0) : null;
            });
    if (l != null) {
      LOG.debug("peer {} lost; redialling it for {}", peer, cfg.redialLostPeersFor());
      schedule(l);
    }
  }

  private void schedule(Lost l) {
    synchronized (l) {
      if (stopped || l.retry != null || l.dialing || followed.get(l.id) != l) {
        return;
      }
      if (System.nanoTime() - l.forgetAt >= 0) {
        followed.remove(l.id, l);
        LOG.debug("peer {} not back after {}; forgotten", l.id, cfg.redialLostPeersFor());
        return;
      }
      long delay = Backoff.delayMillis(cfg, l.failures);
      l.retry = ctx.scheduler().schedule(() -> dial(l), delay, TimeUnit.MILLISECONDS);
    }
  }

  private void dial(Lost l) {
    synchronized (l) {
      l.retry = null;
      if (stopped || l.dialing || l.back || followed.get(l.id) != l) {
        return;
      }
      if (ctx.host().isConnected(l.id) || !mayDial.test(l.id)) {
        followed.remove(l.id, l);
        return;
      }
      l.dialing = true;
    }
    ctx.host()
        .dial(l.id)
        .whenComplete(
            (conn, e) -> {
              synchronized (l) {
                l.dialing = false;
                if (e == null) {
                  return;
                }
                l.failures++;
              }
              LOG.debug("redial of lost peer {} failed: {}", l.id, Futures.unwrap(e).toString());
              schedule(l);
            });
  }

  private void cancel(Lost l) {
    synchronized (l) {
      cancelLocked(l);
    }
  }

  private static void cancelLocked(Lost l) {
    if (l.retry != null) {
      l.retry.cancel(false);
      l.retry = null;
    }
  }
}
