package org.lotusia.musig2.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.p2p.sim.Forger;
import org.lotusia.musig2.p2p.sim.SimCluster;
import org.lotusia.musig2.p2p.wire.CoordinatorFailover;
import org.lotusia.musig2.p2p.wire.MessageType;
import org.lotusia.musig2.p2p.wire.NonceShare;
import org.lotusia.musig2.p2p.wire.SessionComplete;

/**
 * Authenticated participants that misbehave: two different nonces, a nonce that does not match
 * its commitment, a forged final signature, a takeover in another signer's name, a message flood.
 */
class ProtocolAttacksTest {

  static final Duration LONG = Duration.ofMinutes(30);

  static byte[] nonceOf(int a, int b) {
    byte[] out = new byte[66];
    System.arraycopy(PrivateKey.of(BigInteger.valueOf(a)).publicKeyBytes(), 0, out, 0, 33);
    System.arraycopy(PrivateKey.of(BigInteger.valueOf(b)).publicKeyBytes(), 0, out, 33, 33);
    return out;
  }

  static boolean from(org.lotusia.musig2.p2p.sim.SimNetwork.Sent s, String peer, MessageType t) {
    return s.from().equals(peer) && s.message().type().equals(t.wire());
  }

  @Test
  void aSecondDifferentNonceIsEquivocationAndNamesItsSigner() {
    SimCluster c = new SimCluster(3, 21);
    // peer-2 misses peer-0's nonce, so it is still collecting nonces when the second one arrives
    c.net.dropIf(s -> from(s, "peer-0", MessageType.NONCE_SHARE) && s.to().equals("peer-2"));
    SessionHandle h = c.create(0, SessionRoundTripTest.message(1), SessionOptions.defaults());
    String id = h.sessionId();
    int signer1 = h.announcement().indexOf(c.publicKeys.get(1));
    assertThat(c.net.time().runUntil(() -> c.net.sent().stream()
        .anyMatch(s -> from(s, "peer-1", MessageType.NONCE_SHARE)), LONG)).isTrue();
    c.net.inject("peer-1", "peer-2", Forger.seal("peer-1", c.keys.get(1),
        NonceShare.of(id, signer1, nonceOf(3, 4), c.net.time().millis()), 77, "eq",
        c.net.time().millis()));
    assertThat(c.runUntilFinished(id, List.of(2), LONG)).isTrue();
    AbortReason r = FaultsTest.abortReason(c, 2, id);
    assertThat(r.code()).isEqualTo(AbortReason.Code.EQUIVOCATION);
    assertThat(r.culprits()).containsExactly(signer1);
  }

  @Test
  void differentNoncesToDifferentParticipantsBlameNoHonestSigner() {
    SimCluster c = new SimCluster(3, 25);
    String[] sid = new String[1];
    int[] signer1 = new int[1];
    c.net.dropIf(s -> {
      if (from(s, "peer-1", MessageType.NONCE_SHARE) && s.to().equals("peer-2")) {
        // peer-1 shows peer-2 another nonce than the one it shows peer-0
        long now = c.net.time().millis();
        c.net.inject("peer-1", "peer-2", Forger.seal("peer-1", c.keys.get(1),
            NonceShare.of(sid[0], signer1[0], nonceOf(9, 10), now), 70, "eq2", now));
        return true;
      }
      return false;
    });
    SessionHandle h = c.create(0, SessionRoundTripTest.message(6), SessionOptions.defaults());
    sid[0] = h.sessionId();
    signer1[0] = h.announcement().indexOf(c.publicKeys.get(1));
    assertThat(c.runUntilFinished(sid[0], List.of(0, 2), LONG)).isTrue();
    for (int i : List.of(0, 2)) {
      AbortReason r = FaultsTest.abortReason(c, i, sid[0]);
      assertThat(r.code()).as("node " + i).isIn(AbortReason.Code.INCONSISTENT_NONCES,
          AbortReason.Code.ABORTED_BY_PEER);
      assertThat(r.culprits()).isEmpty();
    }
    // at least one honest node detected it itself, and nobody blamed an honest signer
    assertThat(List.of(0, 2)).anySatisfy(i -> assertThat(FaultsTest.abortReason(c, i, sid[0])
        .code()).isEqualTo(AbortReason.Code.INCONSISTENT_NONCES));
  }

  @Test
  void aNonceThatDoesNotMatchItsCommitmentNamesItsSigner() {
    SimCluster c = new SimCluster(3, 22);
    String[] sid = new String[1];
    int[] signer1 = new int[1];
    c.net.dropIf(s -> {
      if (from(s, "peer-1", MessageType.NONCE_SHARE)) {
        // peer-1 reveals another nonce than the one it committed to
        long now = c.net.time().millis();
        c.net.inject("peer-1", s.to(), Forger.seal("peer-1", c.keys.get(1),
            NonceShare.of(sid[0], signer1[0], nonceOf(5, 6), now), 60, "n-" + s.to(), now));
        return true;
      }
      return false;
    });
    SessionHandle h = c.create(0, SessionRoundTripTest.message(2),
        SessionOptions.builder().nonceCommitments(true).build());
    sid[0] = h.sessionId();
    signer1[0] = h.announcement().indexOf(c.publicKeys.get(1));
    assertThat(c.runUntilFinished(sid[0], List.of(0, 2), LONG)).isTrue();
    for (int i : List.of(0, 2)) {
      AbortReason r = FaultsTest.abortReason(c, i, sid[0]);
      assertThat(r.code()).isEqualTo(AbortReason.Code.INVALID_NONCE);
      assertThat(r.culprits()).containsExactly(signer1[0]);
      assertThat(r.message()).contains("does not match its commitment");
    }
  }

  @Test
  void aForgedFinalSignatureOrATakeoverInAnothersNameIsRefused() {
    SimCluster c = new SimCluster(3, 23);
    byte[] msg = SessionRoundTripTest.message(3);
    SessionHandle h = c.create(0, msg, SessionOptions.defaults());
    String id = h.sessionId();
    FaultsTest.awaitReady(c, 2);
    int signer1 = h.announcement().indexOf(c.publicKeys.get(1));
    long now = c.net.time().millis();
    c.net.inject("peer-1", "peer-2", Forger.seal("peer-1", c.keys.get(1),
        new SessionComplete(id, new byte[64], now, signer1, null), 40, "c1", now));
    int other = (signer1 + 1) % 3;
    c.net.inject("peer-1", "peer-2", Forger.seal("peer-1", c.keys.get(1),
        new CoordinatorFailover(id, 0, other, now, signer1, null), 41, "c2", now));
    assertThat(c.runUntilAllFinished(id, LONG)).isTrue();
    FaultsTest.assertAllCompletedValid(c, id, List.of(0, 1, 2), msg);
    List<SessionEvent.MessageRejected> rejected = c.events(2, SessionEvent.MessageRejected.class);
    assertThat(rejected).hasSize(2).allMatch(SessionEvent.MessageRejected::violation);
    assertThat(rejected.get(0).reason()).contains("does not verify under the aggregate key");
    assertThat(rejected.get(1).reason()).contains("can only take over itself");
  }

  @Test
  void aFloodOfAuthenticMessagesAbortsNamingTheFlooder() {
    SimCluster c = new SimCluster(3, 24);
    byte[] msg = SessionRoundTripTest.message(4);
    SessionHandle h = c.create(0, msg, SessionOptions.defaults());
    String id = h.sessionId();
    FaultsTest.awaitReady(c, 2);
    int signer1 = h.announcement().indexOf(c.publicKeys.get(1));
    long now = c.net.time().millis();
    int limit = c.managers.get(2).config().maxMessagesPerSigner();
    for (int i = 0; i < limit + 10; i++) {
      c.net.inject("peer-1", "peer-2", Forger.seal("peer-1", c.keys.get(1),
          new CoordinatorFailover(id, 0, signer1, now, signer1, null), 1000 + i, "fl" + i, now));
    }
    assertThat(c.runUntilFinished(id, List.of(0, 2), LONG)).isTrue();
    assertThat(c.events(2, SessionEvent.MessageRejected.class))
        .anyMatch(e -> e.violation() && e.reason().contains("sent more than " + limit));
    // a flooding signer is provably misbehaving: the session ends at once, naming it
    AbortReason r = FaultsTest.abortReason(c, 2, id);
    assertThat(r.code()).isEqualTo(AbortReason.Code.MESSAGE_FLOOD);
    assertThat(r.culprits()).containsExactly(signer1);
    // peer-2 told the others; whoever already holds the final signature still finishes with it
    assertThat(c.net.sent()).anyMatch(s -> from(s, "peer-2", MessageType.SESSION_ABORT));
  }
}
