package org.lotusia.libp2p.internal.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.lotusia.libp2p.PeerId;

/**
 * The connections of a {@link HostImpl} and their limits: registers upgraded connections, indexes
 * them by peer, counts upgrades under way against the connection limit, forgets connections when
 * their channel closes, and has the {@link ConnectionTrimmer} trim after each registration.
 *
 * <p>Event order: {@link #accept} reports a connection to the host ({@link
 * HostImpl#connectionOpened}) before it listens for the channel's close, so the close report
 * ({@link HostImpl#connectionClosed}) of a connection always comes after its open report, exactly
 * once, and never for a connection that was not reported open.
 *
 * <p>Thread-safe: connections live in a concurrent set, the per-peer index maps each peer to an
 * immutable list replaced atomically, and the upgrade count is atomic; methods may be called from
 * any thread (typically the transports' event loops).
 */
final class ConnectionRegistry {

  private final HostImpl host;
  private final ConnectionTrimmer trimmer;
  private final Set<ConnectionImpl> connections = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<PeerId, List<ConnectionImpl>> byPeer = new ConcurrentHashMap<>();
  private final AtomicInteger upgrading = new AtomicInteger();

  ConnectionRegistry(HostImpl host, ConnectionTrimmer trimmer) {
    this.host = host;
    this.trimmer = trimmer;
  }

  /** The registered connections: a live, concurrent view. */
  Set<ConnectionImpl> all() {
    return connections;
  }

  /** The registered connections to {@code peer}, oldest registration first; a snapshot. */
  List<ConnectionImpl> connections(PeerId peer) {
    return byPeer.getOrDefault(peer, List.of());
  }

  /** Whether a connection to {@code peer} is registered. */
  boolean isConnected(PeerId peer) {
    return byPeer.containsKey(peer);
  }

  /** The peers with a registered connection; a snapshot. */
  Set<PeerId> peers() {
    return Set.copyOf(byPeer.keySet());
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
    if (!host.isRunning()
        || connections.size() >= host.config().maxConnections()
        || !conn.channel().isActive()) {
      conn.channel().close();
      return false;
    }
    connections.add(conn);
    byPeer.compute(conn.remotePeer(), (p, list) -> with(list, conn));
    host.connectionOpened(conn);
    // Only now: a channel that closed meanwhile reports its close after its open.
    conn.channel().closeFuture().addListener(f -> onClosed(conn));
    if (!host.isRunning()) {
      // Host.close() may have listed the connections before this one was added.
      conn.channel().close();
    }
    trimmer.trim(connections);
    return true;
  }

  private void onClosed(ConnectionImpl conn) {
    if (connections.remove(conn)) {
      byPeer.computeIfPresent(conn.remotePeer(), (p, list) -> without(list, conn));
      host.connectionClosed(conn);
    }
  }

  private static List<ConnectionImpl> with(List<ConnectionImpl> list, ConnectionImpl conn) {
    List<ConnectionImpl> out = list == null ? new ArrayList<>(1) : new ArrayList<>(list);
    out.add(conn);
    return List.copyOf(out);
  }

  /** The list without {@code conn}, or null (which removes the entry) when it becomes empty. */
  private static List<ConnectionImpl> without(List<ConnectionImpl> list, ConnectionImpl conn) {
    List<ConnectionImpl> out = new ArrayList<>(list);
    out.remove(conn);
    return out.isEmpty() ? null : List.copyOf(out);
  }

  /**
   * The best open, multiplexed connection to {@code peer}, if any: direct and unlimited first
   * (see {@link #rank}), then the oldest.
   */
  Optional<ConnectionImpl> best(PeerId peer) {
    ConnectionImpl best = null;
    for (ConnectionImpl c : connections(peer)) {
      if (c.isOpen() && c.muxerProtocol() != null) {
        if (best == null || rank(c) < rank(best)
            || (rank(c) == rank(best) && c.openedAt().isBefore(best.openedAt()))) {
          best = c;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** Direct before relayed (a DCUtR upgrade moves new streams over), unlimited before limited. */
  private static int rank(ConnectionImpl c) {
    boolean relayed = c.remoteAddress().has(org.lotusia.libp2p.MultiaddrProtocol.P2P_CIRCUIT);
    return (c.limited() ? 2 : 0) + (relayed ? 1 : 0);
  }
}
