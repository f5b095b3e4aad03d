package org.lotusia.p2p.security;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Per-peer state with bounded memory: {@link #cleanup(long)} drops blank states (nothing a fresh
 * state would not hold: see {@link PeerState#blank(long)}) and idle, unpinned ones; when more than
 * {@code maxPeers} peers have state, states are dropped down to 90% of the bound, blank ones first,
 * then unpinned ones, least recently active first, so the sorting cost is amortized over many
 * insertions. Dropping an unpinned state that is not blank forgets its warnings and gives it full
 * token buckets again; a flood of new peer ids therefore costs an attacker its own warnings first.
 * Thread-safe.
 */
final class PeerTable {

  private final ConcurrentHashMap<String, PeerState> states = new ConcurrentHashMap<>();
  private final ReentrantLock evictionLock = new ReentrantLock();
  private final int maxPeers;
  private final long idleMillis;

  PeerTable(int maxPeers, long idleMillis) {
    this.maxPeers = maxPeers;
    this.idleMillis = idleMillis;
  }

  /** The state of a peer, or {@code null} if none is kept. */
  PeerState peek(String peerId) {
    return states.get(peerId);
  }

  /** The state of a peer, created if needed; may trigger eviction of other peers. */
  PeerState getOrCreate(String peerId, long now) {
    PeerState st = states.get(peerId);
    if (st != null) {
      return st;
    }
    st = states.computeIfAbsent(peerId, id -> new PeerState(id, now));
    if (states.size() > maxPeers) {
      evictOverflow(now, st);
    }
    return st;
  }

  int size() {
    return states.size();
  }

  void forEach(Consumer<PeerState> action) {
    states.values().forEach(action);
  }

  /** Drops blank peers and idle unpinned peers; returns how many. */
  int cleanup(long now) {
    int removed = 0;
    for (PeerState st : states.values()) {
      boolean drop;
      synchronized (st) {
        drop = st.blank(now) || (!st.pinned(now) && now - st.lastActivity >= idleMillis);
      }
      if (drop && states.remove(st.peerId, st)) {
        removed++;
      }
    }
    return removed;
  }

  private void evictOverflow(long now, PeerState keep) {
    if (!evictionLock.tryLock()) {
      return; // another thread is already evicting
    }
    try {
      if (states.size() <= maxPeers) {
        return;
      }
      // rank: 0 blank (dropping loses nothing), 1 unpinned, 2 pinned (bans, resources)
      record Candidate(PeerState state, int rank, long lastActivity) {}
      List<Candidate> all = new ArrayList<>(states.size());
      for (PeerState st : states.values()) {
        if (st == keep) {
          continue; // the caller is about to use it
        }
        synchronized (st) {
          int rank = st.blank(now) ? 0 : st.pinned(now) ? 2 : 1;
          all.add(new Candidate(st, rank, st.lastActivity));
        }
      }
      all.sort(
          Comparator.comparingInt(Candidate::rank).thenComparingLong(Candidate::lastActivity));
      int target = Math.max(1, maxPeers - maxPeers / 10);
      int excess = states.size() - target;
      for (int i = 0; i < all.size() && excess > 0; i++) {
        if (states.remove(all.get(i).state().peerId, all.get(i).state())) {
          excess--;
        }
      }
    } finally {
      evictionLock.unlock();
    }
  }
}
