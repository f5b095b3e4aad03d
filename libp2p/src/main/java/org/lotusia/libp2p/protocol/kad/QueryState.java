package org.lotusia.libp2p.protocol.kad;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.lotusia.libp2p.PeerId;

/**
 * One iterative Kademlia lookup (kad-dht spec, "Peer routing"), without I/O: the caller asks {@link
 * #next} whom to query, reports each answer with {@link #onResponse} or {@link #onFailure}, and
 * calls {@link #expire} as time passes.
 *
 * <p>At most {@code alpha} requests are in flight; a request not answered within the per-peer
 * timeout counts as failed. The lookup finishes when the {@code k} closest peers that did not fail
 * have all answered, when no candidate is left to ask and nothing is in flight, when the overall
 * deadline passed, or when {@link #stop} was called. The candidate set is bounded: beyond {@code
 * maxCandidates} the farthest unqueried candidates are dropped, so a peer answering with thousands
 * of closer peers cannot grow it.
 *
 * <p>Several states may share a {@link Group}: the paths of one disjoint lookup. A peer one path
 * asks is skipped by the others, and stopping one path stops them all.
 *
 * <p>It counts the peers asked, answered and failed, and the round of each peer (1 for the peers it
 * started with, one more than the answering peer for those an answer named), so a lookup can
 * report how many hops it took.
 *
 * <p>Not thread-safe: the owning DHT confines it to its executor.
 */
final class QueryState {

  enum PeerState {
    NEW,
    WAITING,
    SUCCEEDED,
    FAILED,
    /** Claimed by another path of the same disjoint lookup: never asked by this one. */
    SKIPPED
  }

  /**
   * The state the paths of one disjoint lookup share (S/Kademlia): the peers some path has asked,
   * so no other path asks them, and whether the lookup was stopped. A plain lookup has its own.
   */
  static final class Group {
    private final Set<PeerId> claimed = new HashSet<>();
    private boolean stopped;
  }

  private final KadKey target;
  private final PeerId self;
  private final int k;
  private final int alpha;
  private final int maxCandidates;
  private final Duration peerTimeout;
  private final Instant deadline;
  private final TreeMap<PeerId, PeerState> candidates;
  private final Map<PeerId, Instant> waiting = new HashMap<>();

  /** Key-space points of the candidates, so sorting hashes each peer once. */
  private final Map<PeerId, KadKey> keys = new HashMap<>();

  /**
   * The round of each candidate: 1 for the peers the lookup started with, one more than the round
   * of the peer whose answer named it for the others.
   */
  private final Map<PeerId, Integer> rounds = new HashMap<>();

  private final Group group;
  private int queried;
  private int succeeded;
  private int failed;
  private int maxRound;

  QueryState(
      KadKey target,
      PeerId self,
      int k,
      int alpha,
      int maxCandidates,
      Duration peerTimeout,
      Instant deadline) {
    this(target, self, k, alpha, maxCandidates, peerTimeout, deadline, new Group());
  }

  QueryState(
      KadKey target,
      PeerId self,
      int k,
      int alpha,
      int maxCandidates,
      Duration peerTimeout,
      Instant deadline,
      Group group) {
    this.group = group;
    if (k < 1 || alpha < 1 || maxCandidates < k) {
      throw new IllegalArgumentException(
          "need k >= 1, alpha >= 1 and maxCandidates >= k; got k="
              + k
              + " alpha="
              + alpha
              + " maxCandidates="
              + maxCandidates);
    }
    this.target = target;
    this.self = self;
    this.k = k;
    this.alpha = alpha;
    this.maxCandidates = maxCandidates;
    this.peerTimeout = peerTimeout;
    this.deadline = deadline;
    Comparator<PeerId> byDistance =
        (a, b) -> {
          int c =
              target.compareDistance(
                  keys.computeIfAbsent(a, KadKey::of), keys.computeIfAbsent(b, KadKey::of));
          return c != 0 ? c : a.compareTo(b);
        };
    this.candidates = new TreeMap<>(byDistance);
  }

  /** Adds peers to ask; ourselves, known peers and overflow beyond the bound are ignored. */
  void addCandidates(Collection<PeerId> peers) {
    addCandidates(peers, 1);
  }

  private void addCandidates(Collection<PeerId> peers, int round) {
    for (PeerId p : peers) {
      if (p.equals(self) || candidates.containsKey(p)) {
        continue;
      }
      candidates.put(p, PeerState.NEW);
      rounds.put(p, round);
      if (candidates.size() > maxCandidates) {
        dropFarthestNew();
      }
    }
  }

  private void dropFarthestNew() {
    Iterator<Map.Entry<PeerId, PeerState>> it = candidates.descendingMap().entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<PeerId, PeerState> e = it.next();
      if (e.getValue() == PeerState.NEW
          || e.getValue() == PeerState.FAILED
          || e.getValue() == PeerState.SKIPPED) {
        PeerId dropped = e.getKey(); // read before remove(): TreeMap may reuse the entry
        it.remove();
        keys.remove(dropped);
        rounds.remove(dropped);
        return;
      }
    }
  }

  /** The peers to query now, marked as waiting; empty when the lookup finished. */
  List<PeerId> next(Instant now) {
    List<PeerId> out = new ArrayList<>();
    if (isFinished(now)) {
      return out;
    }
    for (Map.Entry<PeerId, PeerState> e : candidates.entrySet()) {
      if (waiting.size() >= alpha) {
        break;
      }
      if (e.getValue() == PeerState.NEW && !group.claimed.add(e.getKey())) {
        e.setValue(PeerState.SKIPPED); // another path asks it
        continue;
      }
      if (e.getValue() == PeerState.NEW) {
        e.setValue(PeerState.WAITING);
        waiting.put(e.getKey(), now.plus(peerTimeout));
        out.add(e.getKey());
        queried++;
        maxRound = Math.max(maxRound, round(e.getKey()));
      }
    }
    return out;
  }

  /** Records an answer from {@code from} and the closer peers it named. */
  void onResponse(PeerId from, Collection<PeerId> closer) {
    if (waiting.remove(from) == null) {
      return; // late answer after a timeout, or never asked: ignore
    }
    candidates.put(from, PeerState.SUCCEEDED);
    succeeded++;
    addCandidates(closer, round(from) + 1);
  }

  /** Records that asking {@code from} failed. */
  void onFailure(PeerId from) {
    if (waiting.remove(from) != null) {
      candidates.put(from, PeerState.FAILED);
      failed++;
    }
  }

  /** Fails the requests whose per-peer timeout passed; returns those peers. */
  List<PeerId> expire(Instant now) {
    List<PeerId> expired = new ArrayList<>();
    waiting.forEach(
        (p, until) -> {
          if (!now.isBefore(until)) {
            expired.add(p);
          }
        });
    expired.forEach(this::onFailure);
    return expired;
  }

  /** Ends the lookup early (for example when the wanted peer was found). */
  void stop() {
    group.stopped = true;
  }

  /** Whether it ended (or will end) before the k closest answered: stopped or timed out. */
  boolean stoppedEarly(Instant now) {
    return group.stopped || timedOut(now);
  }

  boolean timedOut(Instant now) {
    return !now.isBefore(deadline);
  }

  /** Whether the lookup is over; see the class comment for the rule. */
  boolean isFinished(Instant now) {
    if (group.stopped || timedOut(now)) {
      return true;
    }
    // Finished when the k closest candidates that did not fail have all answered (or fewer than k
    // remain and all of them answered).
    int seen = 0;
    for (PeerState s : candidates.values()) {
      if (s == PeerState.FAILED || s == PeerState.SKIPPED) {
        continue;
      }
      if (s != PeerState.SUCCEEDED) {
        return false;
      }
      if (++seen >= k) {
        return true;
      }
    }
    return true;
  }

  /** The round in which {@code peer} was (or will be) asked; 0 when it is not a candidate. */
  int round(PeerId peer) {
    return rounds.getOrDefault(peer, 0);
  }

  /** The highest round asked so far. */
  int rounds() {
    return maxRound;
  }

  int queried() {
    return queried;
  }

  int succeeded() {
    return succeeded;
  }

  int failed() {
    return failed;
  }

  int inFlight() {
    return waiting.size();
  }

  int cachedKeyCount() {
    return keys.size();
  }

  int candidateCount() {
    return candidates.size();
  }

  PeerState state(PeerId peer) {
    return candidates.get(peer);
  }

  /** Up to {@code k} peers that answered, closest first. */
  List<PeerId> closestSucceeded() {
    List<PeerId> out = new ArrayList<>();
    for (Map.Entry<PeerId, PeerState> e : candidates.entrySet()) {
      if (out.size() >= k) {
        break;
      }
      if (e.getValue() == PeerState.SUCCEEDED) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /** The earliest instant at which a waiting request times out, or the overall deadline. */
  Instant nextTimeout() {
    Instant t = deadline;
    for (Instant i : waiting.values()) {
      if (i.isBefore(t)) {
        t = i;
      }
    }
    return t;
  }
}
