package org.lotusia.musig2.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.musig2.p2p.election.CoordinatorElection;
import org.lotusia.musig2.p2p.election.ElectionMethod;
import org.lotusia.musig2.p2p.sim.SimCluster;

/**
 * Whole sessions over the in-memory network: every signer ends with the same final signature, and
 * the chain module's Lotus Schnorr verifier accepts it under the aggregate key computed
 * independently from the keys.
 */
class SessionRoundTripTest {

  static byte[] message(int seed) {
    byte[] m = new byte[32];
    new java.util.Random(seed).nextBytes(m);
    return m;
  }

  static void assertCompletedWithValidSignature(SimCluster c, String id, byte[] msg) {
    List<CompletableFuture<SessionResult>> results = c.results(id);
    assertThat(results).hasSize(c.size());
    byte[] aggregate = TransactionSigning.aggregateKey(c.publicKeys);
    byte[] first = results.get(0).join().signature();
    for (CompletableFuture<SessionResult> r : results) {
      SessionResult res = r.join();
      assertThat(res.signature()).isEqualTo(first);
      assertThat(res.message()).isEqualTo(msg);
      assertThat(res.aggregateKey()).isEqualTo(aggregate);
    }
    assertThat(LotusSchnorr.verify(first, aggregate, msg)).isTrue();
    for (int i = 0; i < c.size(); i++) {
      assertThat(c.events(i, SessionEvent.MessageRejected.class)).as("rejections at node " + i).isEmpty();
      assertThat(c.managers.get(i).metrics().violations()).isZero();
    }
  }

  @ParameterizedTest(name = "{0}-of-{0}")
  @ValueSource(ints = {2, 3, 10, 50})
  void nOfNCompletesWithAVerifyingSignature(int n) {
    SimCluster c = new SimCluster(n, 1000 + n);
    byte[] msg = message(n);
    SessionHandle h = c.create(0, msg, SessionOptions.defaults());
    assertThat(c.runUntilAllFinished(h.sessionId(), Duration.ofMinutes(2))).isTrue();
    assertCompletedWithValidSignature(c, h.sessionId(), msg);
    // the lexicographic election makes signer 0 the broadcaster
    assertThat(c.handle(0, h.sessionId()).result().join().broadcasterIndex()).isEqualTo(0);
    // the creator withdrew its DHT announcement once the session finished
    assertThat(c.net.dhtHas("musig2-session", h.sessionId())).isFalse();
  }

  @Test
  void reorderedDeliveryAndCommitmentRoundStillComplete() {
    SimCluster c = new SimCluster(10, 77);
    c.net.latency(Duration.ofMillis(1), Duration.ofMillis(200));
    byte[] msg = message(5);
    SessionHandle h =
        c.create(3, msg, SessionOptions.builder().nonceCommitments(true).build());
    assertThat(c.runUntilAllFinished(h.sessionId(), Duration.ofMinutes(2))).isTrue();
    assertCompletedWithValidSignature(c, h.sessionId(), msg);
  }

  @ParameterizedTest
  @EnumSource(ElectionMethod.class)
  void theElectedSignerBroadcastsForEveryMethod(ElectionMethod method) {
    SimCluster c = new SimCluster(5, 300 + method.ordinal());
    byte[] msg = message(9);
    SessionHandle h = c.create(1, msg, SessionOptions.builder().electionMethod(method).build());
    assertThat(c.runUntilAllFinished(h.sessionId(), Duration.ofMinutes(2))).isTrue();
    assertCompletedWithValidSignature(c, h.sessionId(), msg);
    int elected = CoordinatorElection.elect(c.publicKeys, method).coordinatorIndex();
    assertThat(c.handle(2, h.sessionId()).result().join().broadcasterIndex()).isEqualTo(elected);
  }
}
