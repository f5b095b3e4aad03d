package org.lotusia.libp2p.internal.host;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.lotusia.libp2p.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of a {@link HostImpl} and their limits: registers upgraded connections, counts
 * upgrades under way against the connection limit, forgets connections when their channel closes,
 * and trims the oldest idle connections above the high-water mark.
 *
 * <p>Thread-safe: connections live in a concurrent set and the upgrade count is atomic; methods may
 * be called from any thread (typically the transports' event loops). Host notifications go through
 * {@link HostImpl#connectionOpened} and {@link HostImpl#connectionClosed}, which hand user-visible
 * work to the callback executor.
 */
final class ConnectionRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionRegistry.class);

  private final HostImpl host;
  private final Set<ConnectionImpl> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger upgrading = new AtomicInteger();

  ConnectionRegistry(HostImpl host) {
    this.host = host;
  }

  /** The registered connections: a live, concurrent view. */
  Set<ConnectionImpl> all() {
    return connections;
  }

  /** Whether registered connections plus upgrades under way reach the connection limit. */
  boolean atLimit() {
    return connections.size() + upgrading.get() >= host.config().maxConnections();
  }

  /** Counts an upgrade as under way; pair with {@link #upgradeFinished()}. */
  void upgradeStarted() {
    upgrading.incrementAndGet();
  }

  /** Ends an upgrade counted by {@link #upgradeStarted()}, whatever its outcome. */
  void upgradeFinished() {
    upgrading.decrementAndGet();
  }

  /** Registers an upgraded connection; false when it was refused (and closed). */
  boolean accept(ConnectionImpl conn) {
    if (!host.isRunning() || connections.size() >= host.config().maxConnections()) {
      conn.channel().close();
      return false;
    }
    connections.add(conn);
    conn.channel().closeFuture().addListener(f -> onClosed(conn));
    if (!conn.channel().isActive()) {
      onClosed(conn);
      return false;
    }
    host.connectionOpened(conn);
    trim();
    return true;
  }

  private void onClosed(ConnectionImpl conn) {
    if (connections.remove(conn)) {
      host.connectionClosed(conn);
    }
  }

  /** Closes the oldest idle connections while more than the high-water mark are open. */
  private void trim() {
    if (connections.size() <= host.config().highWater()) {
      return;
    }
    List<ConnectionImpl> idle = new ArrayList<>();
    for (ConnectionImpl c : connections) {
      if (c.streamCount() == 0) {
        idle.add(c);
      }
    }
    idle.sort(Comparator.comparing(ConnectionImpl::openedAt));
    int excess = connections.size() - host.config().lowWater();
    for (int i = 0; i < idle.size() && i < excess; i++) {
      LOG.debug("trimming idle connection {}", idle.get(i));
      idle.get(i).close();
    }
  }

  /**
   * The best open, multiplexed connection to {@code peer}, if any: unlimited before limited
   * (relayed) ones, then the oldest.
   */
  Optional<ConnectionImpl> best(PeerId peer) {
    ConnectionImpl best = null;
    for (ConnectionImpl c : connections) {
      if (c.remotePeer().equals(peer) && c.isOpen() && c.muxerProtocol() != null) {
        if (best == null
            || (best.limited() && !c.limited())
            || (best.limited() == c.limited() && c.openedAt().isBefore(best.openedAt()))) {
          best = c;
        }
      }
    }
    return Optional.ofNullable(best);
  }
}
