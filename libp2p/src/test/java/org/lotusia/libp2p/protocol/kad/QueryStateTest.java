package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.PeerId;

class QueryStateTest {
  private final PeerId self = KadTestPeers.random();
  private final KadKey target = KadKey.of("/lotus/target".getBytes());
  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  private QueryState query(int k, int alpha, int maxCandidates) {
    return new QueryState(
        target, self, k, alpha, maxCandidates, Duration.ofSeconds(5), t0.plusSeconds(60));
  }

  private List<PeerId> sorted(List<PeerId> peers) {
    return peers.stream()
        .sorted(Comparator.comparing(KadKey::of, target::compareDistance))
        .toList();
  }

  @Test
  void respectsAlphaAndFinishesWhenKClosestAnswered() {
    List<PeerId> all = sorted(KadTestPeers.random(30));
    QueryState q = query(3, 2, 100);
    q.addCandidates(all.subList(10, 30));
    List<PeerId> first = q.next(t0);
    assertThat(first).hasSize(2);
    assertThat(q.next(t0)).isEmpty(); // alpha reached
    // the first answers name the 10 closest peers
    q.onResponse(first.get(0), all.subList(0, 10));
    q.onResponse(first.get(1), List.of());
    assertThat(q.isFinished(t0)).isFalse();
    int asked = 2;
    while (!q.isFinished(t0)) {
      List<PeerId> next = q.next(t0);
      assertThat(next).hasSizeLessThanOrEqualTo(2);
      next.forEach(p -> q.onResponse(p, List.of()));
      asked += next.size();
    }
    assertThat(q.closestSucceeded()).containsExactlyElementsOf(all.subList(0, 3));
    assertThat(asked).isLessThan(10); // did not ask everybody
  }

  @Test
  void failedPeersAreSkippedAndTerminationStillHappens() {
    List<PeerId> all = sorted(KadTestPeers.random(6));
    QueryState q = query(2, 3, 100);
    q.addCandidates(all);
    List<PeerId> next = q.next(t0);
    assertThat(next).containsExactlyElementsOf(all.subList(0, 3));
    q.onFailure(all.get(0));
    q.onResponse(all.get(1), List.of());
    q.onResponse(all.get(2), List.of());
    assertThat(q.isFinished(t0)).isTrue();
    assertThat(q.closestSucceeded()).containsExactly(all.get(1), all.get(2));
  }

  @Test
  void perPeerTimeoutFailsSilentPeersAndLateAnswersAreIgnored() {
    List<PeerId> all = sorted(KadTestPeers.random(4));
    QueryState q = query(1, 1, 100);
    q.addCandidates(all);
    PeerId silent = q.next(t0).get(0);
    assertThat(q.nextTimeout()).isEqualTo(t0.plusSeconds(5));
    assertThat(q.expire(t0.plusSeconds(4))).isEmpty();
    assertThat(q.expire(t0.plusSeconds(5))).containsExactly(silent);
    assertThat(q.state(silent)).isEqualTo(QueryState.PeerState.FAILED);
    q.onResponse(silent, KadTestPeers.random(5)); // too late: ignored
    assertThat(q.state(silent)).isEqualTo(QueryState.PeerState.FAILED);
    PeerId next = q.next(t0.plusSeconds(5)).get(0);
    q.onResponse(next, List.of());
    assertThat(q.isFinished(t0.plusSeconds(5))).isTrue();
  }

  @Test
  void overallDeadlineEndsTheQuery() {
    QueryState q = query(20, 3, 100);
    q.addCandidates(KadTestPeers.random(10));
    assertThat(q.next(t0)).hasSize(3);
    assertThat(q.isFinished(t0.plusSeconds(59))).isFalse();
    assertThat(q.isFinished(t0.plusSeconds(60))).isTrue();
    assertThat(q.next(t0.plusSeconds(60))).isEmpty();
  }

  @Test
  void emptyQueryFinishesImmediately() {
    assertThat(query(20, 3, 100).isFinished(t0)).isTrue();
  }

  @Test
  void peerAnsweringWithThousandCloserPeersIsBounded() {
    QueryState q = query(20, 3, 50);
    q.addCandidates(KadTestPeers.random(3));
    List<PeerId> asked = q.next(t0);
    List<PeerId> flood = KadTestPeers.random(1000);
    q.onResponse(asked.get(0), flood);
    assertThat(q.candidateCount()).isLessThanOrEqualTo(50 + 3);
    assertThat(q.cachedKeyCount())
        .as("cache %d candidates %d", q.cachedKeyCount(), q.candidateCount())
        .isLessThanOrEqualTo(q.candidateCount() + 1);
    // the kept candidates are the closest of the flood
    List<PeerId> closestOfFlood = sorted(flood).subList(0, 20);
    for (PeerId p : closestOfFlood) {
      assertThat(q.state(p)).isNotNull();
    }
  }

  @Test
  void selfIsNeverACandidate() {
    QueryState q = query(20, 3, 100);
    q.addCandidates(List.of(self));
    assertThat(q.candidateCount()).isZero();
  }

  @Test
  void stopEndsTheQuery() {
    QueryState q = query(20, 3, 100);
    q.addCandidates(KadTestPeers.random(10));
    q.next(t0);
    q.stop();
    assertThat(q.isFinished(t0)).isTrue();
    assertThat(q.next(t0)).isEmpty();
  }

  @Test
  void disjointPathsNeverAskTheSamePeerAndStopTogether() {
    List<PeerId> all = sorted(KadTestPeers.random(20));
    QueryState.Group g = new QueryState.Group();
    QueryState a =
        new QueryState(target, self, 3, 2, 100, Duration.ofSeconds(5), t0.plusSeconds(60), g);
    QueryState b =
        new QueryState(target, self, 3, 2, 100, Duration.ofSeconds(5), t0.plusSeconds(60), g);
    a.addCandidates(all.subList(0, 2));
    b.addCandidates(all.subList(2, 4));
    List<PeerId> askedByA = new java.util.ArrayList<>(a.next(t0));
    // both paths learn the same closer peers; each is asked by one path only
    a.onResponse(askedByA.get(0), all.subList(4, 12));
    List<PeerId> askedByB = new java.util.ArrayList<>(b.next(t0));
    b.onResponse(askedByB.get(0), all.subList(4, 12));
    askedByA.addAll(a.next(t0));
    askedByB.addAll(b.next(t0));
    assertThat(askedByA).doesNotContainAnyElementsOf(askedByB);
    assertThat(b.state(askedByA.get(askedByA.size() - 1)))
        .isIn(QueryState.PeerState.SKIPPED, QueryState.PeerState.NEW, null);
    a.stop();
    assertThat(b.isFinished(t0)).isTrue();
    assertThat(b.stoppedEarly(t0)).isTrue();
  }

  @Test
  void roundsCountHops() {
    List<PeerId> all = sorted(KadTestPeers.random(6));
    QueryState q = query(1, 1, 100);
    q.addCandidates(List.of(all.get(5)));
    PeerId first = q.next(t0).get(0);
    assertThat(q.round(first)).isEqualTo(1);
    q.onResponse(first, List.of(all.get(3)));
    PeerId second = q.next(t0).get(0);
    assertThat(second).isEqualTo(all.get(3));
    assertThat(q.round(second)).isEqualTo(2);
    q.onResponse(second, List.of(all.get(0)));
    assertThat(q.next(t0)).containsExactly(all.get(0));
    assertThat(q.rounds()).isEqualTo(3);
    assertThat(q.queried()).isEqualTo(3);
    assertThat(q.succeeded()).isEqualTo(2);
  }
}
