package org.lotusia.libp2p.protocol.kad;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lotusia.libp2p.PeerId;

/**
 * The Kademlia routing table: k-buckets indexed by the length of the prefix a peer's key shares
 * with ours (kad-dht spec, "Kademlia routing table"). Bucket {@code i} holds peers sharing exactly
 * {@code i} leading bits; the last bucket holds everything closer and splits when it overflows, so
 * the table only grows where peers are near us.
 *
 * <p>Each bucket keeps its peers least recently seen first. When a full bucket meets a new peer,
 * {@link #add} does not evict: it names the least recently seen peer, the caller pings it and
 * reports back with {@link #pingResult}; a live peer stays (and the newcomer is dropped), a dead
 * one is replaced by the newcomer. One pending newcomer per bucket at most.
 *
 * <p>Every change of membership is reported to an {@link Observer}, synchronously, on the thread
 * that made it.
 *
 * <p>I/O-free and not thread-safe: the owning DHT confines it to its executor.
 */
final class RoutingTable {

  /** Hears membership changes, on the table's thread; must be fast. */
  interface Observer {
    Observer NONE = new Observer() {};

    default void added(PeerId peer) {}

    default void removed(PeerId peer) {}
  }

  /** What {@link #add} did. */
  sealed interface AddResult {
    /** The peer is in the table now (new or already present and refreshed). */
    record Added(boolean wasPresent) implements AddResult {}

    /** The bucket is full: ping {@code oldest} and report with {@link #pingResult}. */
    record PingNeeded(PeerId oldest) implements AddResult {}

    /** Refused: our own ID, or the bucket is full and a ping is already pending for it. */
    record Rejected(String reason) implements AddResult {}
  }

  private final PeerId self;
  private final KadKey selfKey;
  private final int k;
  private final List<LinkedHashMap<PeerId, KadKey>> buckets = new ArrayList<>();

  /** Pending newcomers by the peer that was asked to prove it is alive. */
  private final Map<PeerId, PeerId> pendingByOldest = new HashMap<>();

  private final Observer observer;

  RoutingTable(PeerId self, int k) {
    this(self, k, Observer.NONE);
  }

  RoutingTable(PeerId self, int k, Observer observer) {
    this.observer = observer;
    if (k < 1) {
      throw new IllegalArgumentException("bucket size k must be >= 1, got " + k);
    }
    this.self = self;
    this.selfKey = KadKey.of(self);
    this.k = k;
    buckets.add(new LinkedHashMap<>());
  }

  int k() {
    return k;
  }

  private int bucketIndex(KadKey key) {
    return Math.min(selfKey.commonPrefixLength(key), buckets.size() - 1);
  }

  /** Adds {@code peer}, or marks it as just seen when present. */
  AddResult add(PeerId peer) {
    if (peer.equals(self)) {
      return new AddResult.Rejected("self");
    }
    KadKey key = KadKey.of(peer);
    while (true) {
      int i = bucketIndex(key);
      LinkedHashMap<PeerId, KadKey> bucket = buckets.get(i);
      if (bucket.containsKey(peer)) {
        bucket.remove(peer);
        bucket.put(peer, key);
        return new AddResult.Added(true);
      }
      if (bucket.size() < k) {
        bucket.put(peer, key);
        observer.added(peer);
        return new AddResult.Added(false);
      }
      if (i == buckets.size() - 1 && buckets.size() < KadKey.BITS) {
        split();
        continue;
      }
      PeerId oldest = bucket.keySet().iterator().next();
      if (pendingByOldest.containsKey(oldest)) {
        return new AddResult.Rejected("bucket " + i + " full, ping of its oldest peer pending");
      }
      pendingByOldest.put(oldest, peer);
      return new AddResult.PingNeeded(oldest);
    }
  }

  private void split() {
    int last = buckets.size() - 1;
    LinkedHashMap<PeerId, KadKey> old = buckets.get(last);
    LinkedHashMap<PeerId, KadKey> near = new LinkedHashMap<>();
    LinkedHashMap<PeerId, KadKey> stay = new LinkedHashMap<>();
    for (Map.Entry<PeerId, KadKey> e : old.entrySet()) {
      (selfKey.commonPrefixLength(e.getValue()) > last ? near : stay).put(e.getKey(), e.getValue());
    }
    buckets.set(last, stay);
    buckets.add(near);
  }

  /**
   * Reports the ping of a peer named by {@link AddResult.PingNeeded}: alive keeps it (as just seen)
   * and drops the newcomer, dead replaces it with the newcomer.
   *
   * @return the peer added, if any
   */
  Optional<PeerId> pingResult(PeerId oldest, boolean alive) {
    PeerId newcomer = pendingByOldest.remove(oldest);
    if (alive) {
      if (contains(oldest)) {
        add(oldest);
      }
      return Optional.empty();
    }
    remove(oldest);
    if (newcomer != null && add(newcomer) instanceof AddResult.Added) {
      return Optional.of(newcomer);
    }
    return Optional.empty();
  }

  /** Removes {@code peer}; returns whether it was present. */
  boolean remove(PeerId peer) {
    pendingByOldest.remove(peer);
    boolean present = buckets.get(bucketIndex(KadKey.of(peer))).remove(peer) != null;
    if (present) {
      observer.removed(peer);
    }
    return present;
  }

  /** The number of peers in each bucket, bucket 0 (farthest) first. */
  List<Integer> bucketSizes() {
    return buckets.stream().map(Map::size).toList();
  }

  /**
   * The index of the bucket {@code key} falls into; keys sharing at least {@code bucketCount() - 1}
   * bits with us fall into the last one.
   */
  int bucketOf(KadKey key) {
    return bucketIndex(key);
  }

  /** Our own point in the key space. */
  KadKey selfKey() {
    return selfKey;
  }

  boolean contains(PeerId peer) {
    return buckets.get(bucketIndex(KadKey.of(peer))).containsKey(peer);
  }

  int size() {
    return buckets.stream().mapToInt(Map::size).sum();
  }

  int bucketCount() {
    return buckets.size();
  }

  /** The peers of bucket {@code index}, least recently seen first. */
  List<PeerId> bucket(int index) {
    return List.copyOf(buckets.get(index).keySet());
  }

  List<PeerId> peers() {
    List<PeerId> all = new ArrayList<>();
    buckets.forEach(b -> all.addAll(b.keySet()));
    return all;
  }

  /** Up to {@code count} peers closest to {@code target}, closest first. */
  List<PeerId> closest(KadKey target, int count) {
    List<Map.Entry<PeerId, KadKey>> all = new ArrayList<>();
    buckets.forEach(b -> all.addAll(b.entrySet()));
    all.sort(Comparator.comparing(Map.Entry::getValue, target::compareDistance));
    return all.stream().limit(count).map(Map.Entry::getKey).toList();
  }
}
