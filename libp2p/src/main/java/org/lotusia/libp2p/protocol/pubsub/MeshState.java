package org.lotusia.libp2p.protocol.pubsub;

import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lotusia.libp2p.PeerId;

/**
 * The overlay of the router: the mesh of each topic this node is subscribed to (a topic has a mesh,
 * possibly empty, exactly while subscribed), the fanout of topics it publishes to without being
 * subscribed (with the time of the last publish), and the backoff of peers per topic after a PRUNE
 * or an unsubscribe. Callers add backoff only for topics this node is or was subscribed to, so a
 * remote peer cannot grow the map with topics of its choosing. Not thread-safe (router thread).
 */
final class MeshState {
  private final Map<String, Set<PeerId>> mesh = new HashMap<>();
  private final Map<String, Set<PeerId>> fanout = new HashMap<>();
  private final Map<String, Long> fanoutLastPublish = new HashMap<>();
  private final Map<String, Map<PeerId, Long>> backoff = new HashMap<>();

  /** Whether this node is subscribed to {@code topic}. */
  boolean subscribed(String topic) {
    return mesh.containsKey(topic);
  }

  /** The subscribed topics (read-only view). */
  Set<String> topics() {
    return Collections.unmodifiableSet(mesh.keySet());
  }

  /** Starts the mesh of a newly subscribed topic; false when already subscribed. */
  boolean join(String topic) {
    if (mesh.containsKey(topic)) {
      return false;
    }
    mesh.put(topic, new LinkedHashSet<>());
    return true;
  }

  /** Ends the mesh of {@code topic}; returns its peers, or null when not subscribed. */
  Set<PeerId> leave(String topic) {
    return mesh.remove(topic);
  }

  /** The mesh of {@code topic} (read-only view, empty when not subscribed). */
  Set<PeerId> mesh(String topic) {
    Set<PeerId> m = mesh.get(topic);
    return m == null ? Set.of() : Collections.unmodifiableSet(m);
  }

  boolean inMesh(String topic, PeerId peer) {
    Set<PeerId> m = mesh.get(topic);
    return m != null && m.contains(peer);
  }

  /** Adds {@code peer} to the mesh of a subscribed topic; false when not subscribed or present. */
  boolean graft(String topic, PeerId peer) {
    Set<PeerId> m = mesh.get(topic);
    return m != null && m.add(peer);
  }

  /** Removes {@code peer} from the mesh of {@code topic}; false when it was not in it. */
  boolean prune(String topic, PeerId peer) {
    Set<PeerId> m = mesh.get(topic);
    return m != null && m.remove(peer);
  }

  /** The fanout of {@code topic}, created empty when absent; the last publish is now. */
  Set<PeerId> fanoutForPublish(String topic, long now) {
    fanoutLastPublish.put(topic, now);
    return fanout.computeIfAbsent(topic, t -> new LinkedHashSet<>());
  }

  /** The fanout of {@code topic} (read-only view, empty when none). */
  Set<PeerId> fanout(String topic) {
    Set<PeerId> f = fanout.get(topic);
    return f == null ? Set.of() : Collections.unmodifiableSet(f);
  }

  boolean hasFanout(String topic) {
    return fanout.containsKey(topic);
  }

  /** Removes and returns the fanout of {@code topic} (null when none). */
  Set<PeerId> takeFanout(String topic) {
    fanoutLastPublish.remove(topic);
    return fanout.remove(topic);
  }

  /** Drops fanouts not published to within {@code ttl}; returns the live ones (mutable sets). */
  Map<String, Set<PeerId>> liveFanouts(long now, long ttl) {
    for (Iterator<Map.Entry<String, Set<PeerId>>> it = fanout.entrySet().iterator();
        it.hasNext(); ) {
      String topic = it.next().getKey();
      if (fanoutLastPublish.getOrDefault(topic, 0L) + ttl < now) {
        it.remove();
        fanoutLastPublish.remove(topic);
      }
    }
    return fanout;
  }

  /** Forgets {@code peer} in every mesh and fanout; returns the topics whose mesh it left. */
  List<String> removePeer(PeerId peer) {
    List<String> left = new java.util.ArrayList<>();
    mesh.forEach(
        (t, m) -> {
          if (m.remove(peer)) {
            left.add(t);
          }
        });
    fanout.values().forEach(f -> f.remove(peer));
    return left;
  }

  /** Removes {@code peer} from the fanout of {@code topic}. */
  void removeFromFanout(String topic, PeerId peer) {
    Set<PeerId> f = fanout.get(topic);
    if (f != null) {
      f.remove(peer);
    }
  }

  /** Starts or extends the backoff of {@code peer} in {@code topic} until {@code until}. */
  void backoff(String topic, PeerId peer, long until) {
    backoff.computeIfAbsent(topic, t -> new HashMap<>()).merge(peer, until, Math::max);
  }

  /** The end of the backoff of {@code peer} in {@code topic}, or 0 when none. */
  long backoffUntil(String topic, PeerId peer) {
    Map<PeerId, Long> m = backoff.get(topic);
    Long until = m == null ? null : m.get(peer);
    return until == null ? 0 : until;
  }

  boolean inBackoff(String topic, PeerId peer, long now) {
    return backoffUntil(topic, peer) > now;
  }

  /** Forgets expired backoffs. */
  void expireBackoff(long now) {
    for (Iterator<Map.Entry<String, Map<PeerId, Long>>> it = backoff.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, Map<PeerId, Long>> e = it.next();
      e.getValue().values().removeIf(until -> until <= now);
      if (e.getValue().isEmpty()) {
        it.remove();
      }
    }
  }

  /** Whether any backoff entry exists (for tests of the bound). */
  boolean hasBackoffEntries() {
    return !backoff.isEmpty();
  }
}
