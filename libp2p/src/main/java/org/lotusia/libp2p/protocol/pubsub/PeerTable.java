package org.lotusia.libp2p.protocol.pubsub;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lotusia.libp2p.PeerId;

/**
 * The router's remote peers and who is subscribed to what. A peer's subscriptions are bounded by
 * {@code maxTopicsPerPeer}; a subscription beyond it is ignored. Owns every {@link PeerState}; not
 * thread-safe (router thread).
 */
final class PeerTable {
  private final Map<PeerId, PeerState> peers = new HashMap<>();
  private final Map<String, Set<PeerId>> topics = new HashMap<>();
  private final int maxTopicsPerPeer;

  PeerTable(int maxTopicsPerPeer) {
    this.maxTopicsPerPeer = maxTopicsPerPeer;
  }

  /** Adds a peer; false when it is already known. */
  boolean add(PeerId peer, PeerState state) {
    return peers.putIfAbsent(peer, state) == null;
  }

  /** Removes a peer and its subscriptions; returns its state, or null when unknown. */
  PeerState remove(PeerId peer) {
    PeerState ps = peers.remove(peer);
    if (ps != null) {
      for (String t : ps.topics()) {
        leaveIndex(peer, t);
      }
    }
    return ps;
  }

  PeerState get(PeerId peer) {
    return peers.get(peer);
  }

  boolean contains(PeerId peer) {
    return peers.containsKey(peer);
  }

  List<PeerId> ids() {
    return List.copyOf(peers.keySet());
  }

  Set<PeerId> idView() {
    return Collections.unmodifiableSet(peers.keySet());
  }

  int size() {
    return peers.size();
  }

  /** Records that {@code peer} joined {@code topic}; false when already in it or over its limit. */
  boolean subscribe(PeerId peer, String topic) {
    PeerState ps = peers.get(peer);
    if (ps == null || ps.subscribed(topic) || ps.topicCount() >= maxTopicsPerPeer) {
      return false;
    }
    ps.addTopic(topic);
    topics.computeIfAbsent(topic, t -> new HashSet<>()).add(peer);
    return true;
  }

  /** Records that {@code peer} left {@code topic}; false when it was not in it. */
  boolean unsubscribe(PeerId peer, String topic) {
    PeerState ps = peers.get(peer);
    if (ps == null || !ps.removeTopic(topic)) {
      return false;
    }
    leaveIndex(peer, topic);
    return true;
  }

  private void leaveIndex(PeerId peer, String topic) {
    Set<PeerId> s = topics.get(topic);
    if (s != null && s.remove(peer) && s.isEmpty()) {
      topics.remove(topic);
    }
  }

  /** The peers subscribed to {@code topic} (read-only view, empty when none). */
  Set<PeerId> inTopic(String topic) {
    Set<PeerId> s = topics.get(topic);
    return s == null ? Set.of() : Collections.unmodifiableSet(s);
  }

  /** Whether {@code peer} is known and speaks a gossip (meshsub) protocol. */
  boolean gossips(PeerId peer) {
    PeerState ps = peers.get(peer);
    return ps != null && ps.kind().gossip();
  }

  boolean outbound(PeerId peer) {
    PeerState ps = peers.get(peer);
    return ps != null && ps.outbound();
  }

  boolean direct(PeerId peer) {
    PeerState ps = peers.get(peer);
    return ps != null && ps.direct();
  }

  /** How many of {@code ids} are peers whose stream runs on an outbound connection. */
  int countOutbound(Set<PeerId> ids) {
    int n = 0;
    for (PeerId p : ids) {
      if (outbound(p)) {
        n++;
      }
    }
    return n;
  }

  /** Starts a new heartbeat's IHAVE budget for every peer. */
  void newHeartbeat() {
    peers.values().forEach(PeerState::newHeartbeat);
  }
}
