package org.lotusia.p2p.coordinator.discovery;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-peer reputation and advertisement rate window, bounded: beyond {@code maxPeers} the least
 * recently seen peer is forgotten (it then starts again at the initial reputation). A success adds
 * {@code 2 x weight}, a failure takes {@code 5 x weight} (lotus-sdk's {@code updateReputation}),
 * within 0 to 100. Not thread-safe: the validator guards it.
 */
final class ReputationTable {

  private static final class Ledger {
    double score;
    double successes;
    double failures;
    long lastInteraction;
    long windowStart = Long.MIN_VALUE;
    int windowCount;
  }

  private final double initial;
  private final int maxPeers;
  private final LinkedHashMap<String, Ledger> peers = new LinkedHashMap<>(64, 0.75f, true);

  ReputationTable(double initial, int maxPeers) {
    this.initial = initial;
    this.maxPeers = maxPeers;
  }

  double score(String peer) {
    Ledger l = peers.get(peer);
    return l == null ? initial : l.score;
  }

  PeerReputation snapshot(String peer) {
    Ledger l = peers.get(peer);
    return l == null
        ? new PeerReputation(peer, initial, 0, 0, 0)
        : new PeerReputation(peer, l.score, l.successes, l.failures, l.lastInteraction);
  }

  void update(String peer, boolean success, double weight, long now) {
    Ledger l = ledger(peer);
    if (success) {
      l.successes += weight;
      l.score = Math.min(100, l.score + 2 * weight);
    } else {
      l.failures += weight;
      l.score = Math.max(0, l.score - 5 * weight);
    }
    l.lastInteraction = now;
  }

  /**
   * Counts one new advertisement of a peer in its fixed window.
   *
   * @return false when the window is full (nothing counted)
   */
  boolean tryCount(String peer, int max, long windowMillis, long now) {
    Ledger l = ledger(peer);
    if (l.windowStart == Long.MIN_VALUE || now - l.windowStart >= windowMillis) {
      l.windowStart = now;
      l.windowCount = 0;
    }
    if (l.windowCount >= max) {
      return false;
    }
    l.windowCount++;
    return true;
  }

  /** Forgets peers idle for longer than {@code idleMillis}; returns how many. */
  int forgetIdle(long idleMillis, long now) {
    int n = 0;
    for (Iterator<Ledger> it = peers.values().iterator(); it.hasNext(); ) {
      Ledger l = it.next();
      if (now - Math.max(l.lastInteraction, l.windowStart) > idleMillis) {
        it.remove();
        n++;
      }
    }
    return n;
  }

  int size() {
    return peers.size();
  }

  double averageScore() {
    double sum = 0;
    for (Map.Entry<String, Ledger> e : peers.entrySet()) {
      sum += e.getValue().score;
    }
    return peers.isEmpty() ? initial : sum / peers.size();
  }

  private Ledger ledger(String peer) {
    Ledger l = peers.get(peer);
    if (l == null) {
      if (peers.size() >= maxPeers) {
        Iterator<String> eldest = peers.keySet().iterator();
        eldest.next();
        eldest.remove();
      }
      l = new Ledger();
      l.score = initial;
      peers.put(peer, l);
    }
    return l;
  }
}
