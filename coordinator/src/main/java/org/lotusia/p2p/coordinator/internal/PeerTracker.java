package org.lotusia.p2p.coordinator.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.PeerStoreView;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.PeerInfo;

/**
 * Tracks peers for the coordinator: connected peers with their live addresses, and up to {@code
 * maxKnown} peers discovered or disconnected (least recently seen forgotten first, unlike
 * lotus-sdk's map that never forgets). Turns the host's peer-level events into {@link P2PEvent}s
 * and handler notifications, including {@code PeerUpdated} whenever identify (or a push) completed.
 *
 * <p>Thread-safe: the table is guarded by {@code this}; events are published outside the lock.
 */
public final class PeerTracker implements HostListener {

  private final Context ctx;
  private final HandlerRegistry handlers;
  private final int maxKnown;
  private final Map<String, Instant> known = new LinkedHashMap<>(16, 0.75f, true);

  /**
   * Creates a tracker for one run of the coordinator.
   *
   * @param ctx the run
   * @param handlers handlers to notify
   * @param maxKnown most disconnected peers remembered
   */
  public PeerTracker(Context ctx, HandlerRegistry handlers, int maxKnown) {
    this.ctx = ctx;
    this.handlers = handlers;
    this.maxKnown = maxKnown;
  }

  @Override
  public void peerConnected(PeerId peer) {
    String id = peer.toBase58();
    Instant now = ctx.now();
    touch(id, now);
    ctx.events().publish(new P2PEvent.PeerConnected(id, addresses(peer), now));
    handlers.notifyAll(h -> h.onPeerConnected(id));
  }

  /** Identify (or an identify push) told us more about a connected peer. */
  @Override
  public void identifyCompleted(Connection connection, IdentifyInfo identify) {
    String id = connection.remotePeer().toBase58();
    Instant now = ctx.now();
    touch(id, now);
    PeerInfo updated = info(id);
    ctx.events().publish(new P2PEvent.PeerUpdated(updated, now));
    handlers.notifyAll(h -> h.onPeerUpdated(updated));
  }

  @Override
  public void peerDisconnected(PeerId peer) {
    String id = peer.toBase58();
    Instant now = ctx.now();
    touch(id, now);
    ctx.events().publish(new P2PEvent.PeerDisconnected(id, now));
    handlers.notifyAll(h -> h.onPeerDisconnected(id));
  }

  /**
   * Records a peer learnt without a connection; publishes {@code PeerDiscovered} when it is new.
   *
   * @param peer the peer
   * @param addrs addresses learnt with it
   */
  public void discovered(PeerId peer, List<Multiaddr> addrs) {
    String id = peer.toBase58();
    if (peer.equals(ctx.host().peerId()) || ctx.host().isConnected(peer)) {
      return;
    }
    boolean fresh;
    Instant now = ctx.now();
    synchronized (this) {
      fresh = !known.containsKey(id);
    }
    touch(id, now);
    if (fresh) {
      PeerInfo info =
          new PeerInfo(
              id,
              addrs.stream().map(Multiaddr::toString).toList(),
              List.of(),
              Optional.empty(),
              false,
              now);
      ctx.events().publish(new P2PEvent.PeerDiscovered(info, now));
      handlers.notifyAll(h -> h.onPeerDiscovered(info));
    }
  }

  private void touch(String id, Instant now) {
    synchronized (this) {
      known.put(id, now);
      if (known.size() > maxKnown) {
        var it = known.entrySet().iterator();
        while (known.size() > maxKnown && it.hasNext()) {
          var e = it.next();
          if (!ctx.host().isConnected(PeerId.parse(e.getKey()))) {
            it.remove();
          }
        }
      }
    }
  }

  /**
   * What is known of a peer, connected or remembered.
   *
   * @param peerId the peer
   * @return its information (only the ID and {@code lastSeen} when nothing else is known)
   */
  public PeerInfo info(String peerId) {
    PeerId peer = Context.parsePeer(peerId);
    boolean connected = ctx.host().isConnected(peer);
    Instant seen;
    synchronized (this) {
      seen = known.get(peerId);
    }
    if (connected || seen == null) {
      seen = ctx.now();
    }
    PeerStoreView store = ctx.host().peerStore();
    List<String> addrs =
        connected
            ? addresses(peer)
            : store.addresses(peer).stream().map(Multiaddr::toString).toList();
    return new PeerInfo(
        peerId, addrs, store.protocols(peer), store.agentVersion(peer), connected, seen);
  }

  /**
   * A remembered peer, or empty when unknown.
   *
   * @param peerId the peer
   * @return its information
   */
  public Optional<PeerInfo> find(String peerId) {
    PeerId peer = Context.parsePeer(peerId);
    boolean remembered;
    synchronized (this) {
      remembered = known.containsKey(peerId);
    }
    return remembered || ctx.host().isConnected(peer) ? Optional.of(info(peerId)) : Optional.empty();
  }

  /**
   * The connected peers.
   *
   * @return their information
   */
  public List<PeerInfo> connected() {
    List<PeerInfo> out = new ArrayList<>();
    for (PeerId p : ctx.host().connectedPeers()) {
      out.add(info(p.toBase58()));
    }
    return out;
  }

  /**
   * How many peers are known (connected or remembered).
   *
   * @return the count
   */
  public synchronized int knownCount() {
    return known.size();
  }

  private List<String> addresses(PeerId peer) {
    List<String> out = new ArrayList<>();
    for (Connection c : ctx.host().connections(peer)) {
      out.add(c.remoteAddress().toString());
    }
    return out;
  }
}
