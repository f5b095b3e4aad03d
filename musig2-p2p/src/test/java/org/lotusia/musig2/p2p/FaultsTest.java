package org.lotusia.musig2.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.p2p.election.CoordinatorElection;
import org.lotusia.musig2.p2p.election.Election;
import org.lotusia.musig2.p2p.election.ElectionMethod;
import org.lotusia.musig2.p2p.sim.Forger;
import org.lotusia.musig2.p2p.sim.SimCluster;
import org.lotusia.musig2.p2p.sim.SimNetwork;
import org.lotusia.musig2.p2p.wire.MessageType;
import org.lotusia.musig2.p2p.wire.PartialSignatureShare;
import org.lotusia.p2p.protocol.P2PMessage;

/** Each fault of a session, on the in-memory network, and what every honest signer sees. */
class FaultsTest {

  static final Duration LONG = Duration.ofMinutes(30);

  static boolean isType(SimNetwork.Sent s, MessageType t) {
    return s.message().type().equals(t.wire());
  }

  static AbortReason abortReason(SimCluster c, int node, String id) {
    try {
      c.handle(node, id).result().join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(SessionAbortedException.class);
      return ((SessionAbortedException) e.getCause()).reason();
    }
    throw new AssertionError("node " + node + " completed; an abort was expected");
  }

  static void awaitReady(SimCluster c, int node) {
    assertThat(c.net.time().runUntil(
        () -> !c.events(node, SessionEvent.SessionReady.class).isEmpty(), LONG)).isTrue();
  }

  static void assertAllCompletedValid(SimCluster c, String id, List<Integer> nodes, byte[] msg) {
    byte[] key = TransactionSigning.aggregateKey(c.publicKeys);
    for (int i : nodes) {
      SessionResult r = c.handle(i, id).result().join();
      assertThat(LotusSchnorr.verify(r.signature(), key, msg)).as("node " + i).isTrue();
    }
  }

  @Test
  void aSignerSilentAfterNoncesIsNamedInTheAbort() {
    SimCluster c = new SimCluster(4, 11);
    c.net.dropIf(s -> s.from().equals("peer-2") && isType(s, MessageType.PARTIAL_SIG_SHARE));
    SessionHandle h = c.create(0, SessionRoundTripTest.message(1), SessionOptions.defaults());
    assertThat(c.runUntilFinished(h.sessionId(), List.of(0, 1, 3), LONG)).isTrue();
    int culprit = h.announcement().indexOf(c.publicKeys.get(2));
    for (int i : List.of(0, 1, 3)) {
      AbortReason r = abortReason(c, i, h.sessionId());
      assertThat(r.code()).isEqualTo(AbortReason.Code.TIMEOUT);
      assertThat(r.culprits()).containsExactly(culprit);
      assertThat(r.message()).contains("signer " + culprit + " (peer peer-2)")
          .contains("sent no partial signature");
    }
  }

  @ParameterizedTest
  @EnumSource(value = ElectionMethod.class, names = {"LEXICOGRAPHIC", "LAST_SIGNER"})
  void theElectedBroadcasterDyingAfterPartialsIsReplacedByFailover(ElectionMethod method) {
    SimCluster c = new SimCluster(4, 12 + method.ordinal());
    Election election = CoordinatorElection.elect(c.publicKeys, method);
    byte[] msg = SessionRoundTripTest.message(2);
    String[] dead = new String[1];
    c.net.dropIf(
        s -> {
          if (dead[0] != null && s.from().equals(dead[0]) && isType(s, MessageType.PARTIAL_SIG_SHARE)) {
            // the broadcaster dies right after its partial signatures are on their way
            c.net.time().schedule(() -> c.net.silence(dead[0]), 1, java.util.concurrent.TimeUnit.MILLISECONDS);
          }
          return false;
        });
    int creator = 1;
    SessionHandle h = c.create(creator, msg, SessionOptions.builder().electionMethod(method).build());
    int deadNode = c.nodeOfSigner(h.announcement(), election.coordinatorIndex());
    dead[0] = SimCluster.peer(deadNode);
    List<Integer> live = new java.util.ArrayList<>(List.of(0, 1, 2, 3));
    live.remove(Integer.valueOf(deadNode));
    assertThat(c.runUntilFinished(h.sessionId(), live, LONG)).isTrue();
    assertAllCompletedValid(c, h.sessionId(), live, msg);
    for (int i : live) {
      assertThat(c.handle(i, h.sessionId()).result().join().broadcasterIndex())
          .isEqualTo(election.at(1));
      assertThat(c.events(i, SessionEvent.CoordinatorFailedOver.class))
          .anySatisfy(e -> {
            assertThat(e.failedIndex()).isEqualTo(election.at(0));
            assertThat(e.newIndex()).isEqualTo(election.at(1));
          });
    }
    // the takeover was announced on the wire by the new broadcaster
    String successor = SimCluster.peer(c.nodeOfSigner(h.announcement(), election.at(1)));
    assertThat(c.net.sent())
        .anyMatch(s -> s.from().equals(successor) && isType(s, MessageType.COORDINATOR_FAILOVER));
  }

  @Test
  void messagesClaimingAnotherSignersIndexAreRefused() {
    SimCluster c = new SimCluster(3, 13);
    byte[] msg = SessionRoundTripTest.message(3);
    SessionHandle h = c.create(0, msg, SessionOptions.defaults());
    String id = h.sessionId();
    awaitReady(c, 2);
    int victimSigner = h.announcement().indexOf(c.publicKeys.get(0));
    long now = c.net.time().millis();
    byte[] r = PrivateKey.of(BigInteger.valueOf(5)).publicKeyBytes();
    byte[] nonce = new byte[66];
    System.arraycopy(r, 0, nonce, 0, 33);
    System.arraycopy(r, 0, nonce, 33, 33);
    var forged = org.lotusia.musig2.p2p.wire.NonceShare.of(id, victimSigner, nonce, now);
    // 1. peer-1 claims signer 0's index in its own name, signed with its own key
    c.net.inject("peer-1", "peer-2", Forger.seal("peer-1", c.keys.get(1), forged, 50, "f1", now));
    // 2. peer-1 writes peer-0 as the sender (the transport says peer-1)
    c.net.inject("peer-1", "peer-2", Forger.seal("peer-0", c.keys.get(1), forged, 51, "f2", now));
    // 3. peer-1 sends a nonce in its own name signed by a key that is not its signer key
    int own = h.announcement().indexOf(c.publicKeys.get(1));
    var wrongKey = org.lotusia.musig2.p2p.wire.NonceShare.of(id, own, nonce, now);
    c.net.inject(
        "peer-1", "peer-2",
        Forger.seal("peer-1", PrivateKey.of(BigInteger.valueOf(99)), wrongKey, 52, "f3", now));
    assertThat(c.runUntilAllFinished(id, LONG)).isTrue();
    assertAllCompletedValid(c, id, List.of(0, 1, 2), msg);
    List<SessionEvent.MessageRejected> rejected = c.events(2, SessionEvent.MessageRejected.class);
    assertThat(rejected).allMatch(SessionEvent.MessageRejected::violation).hasSize(3);
    assertThat(rejected.get(0).reason()).contains("claims signer index " + victimSigner);
    assertThat(rejected.get(1).reason()).contains("only the session creator relays");
    assertThat(rejected.get(2).reason()).contains("signature does not verify");
  }

  @Test
  void aReplayedNonceMessageHasNoEffect() {
    SimCluster c = new SimCluster(3, 14);
    byte[] msg = SessionRoundTripTest.message(4);
    SessionHandle h = c.create(0, msg, SessionOptions.defaults());
    String id = h.sessionId();
    assertThat(c.net.time().runUntil(
        () -> !c.events(2, SessionEvent.NoncesComplete.class).isEmpty(), LONG)).isTrue();
    P2PMessage original =
        c.net.sent().stream()
            .filter(s -> s.from().equals("peer-1") && s.to().equals("peer-2")
                && isType(s, MessageType.NONCE_SHARE))
            .findFirst().orElseThrow().message();
    c.net.inject("peer-1", "peer-2", original);
    assertThat(c.runUntilAllFinished(id, LONG)).isTrue();
    assertAllCompletedValid(c, id, List.of(0, 1, 2), msg);
    assertThat(c.events(2, SessionEvent.MessageRejected.class))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).startsWith("replayed musig2:nonce-share"));
  }

  @Test
  void aPartialSignatureThatDoesNotVerifyNamesItsSigner() {
    SimCluster c = new SimCluster(3, 15);
    byte[] msg = SessionRoundTripTest.message(5);
    String[] sid = new String[1];
    c.net.dropIf(s -> {
      if (s.from().equals("peer-1") && isType(s, MessageType.PARTIAL_SIG_SHARE)) {
        // peer-1 sends a wrong partial signature instead of its own, properly authenticated
        var genuine = (PartialSignatureShare) org.lotusia.musig2.p2p.wire.SessionMessages.decode(s.message());
        byte[] bad = genuine.partialSignature();
        bad[31] ^= 1;
        var wrong = new PartialSignatureShare(sid[0], genuine.signerIndex(), bad, genuine.timestamp(),
            genuine.nonceDigest(), null);
        c.net.inject("peer-1", s.to(), Forger.seal("peer-1", c.keys.get(1), wrong, 900,
            "bad-" + s.to(), c.net.time().millis()));
        return true;
      }
      return false;
    });
    SessionHandle h = c.create(0, msg, SessionOptions.defaults());
    sid[0] = h.sessionId();
    assertThat(c.runUntilFinished(h.sessionId(), List.of(0, 2), LONG)).isTrue();
    int culprit = h.announcement().indexOf(c.publicKeys.get(1));
    for (int i : List.of(0, 2)) {
      AbortReason r = abortReason(c, i, h.sessionId());
      assertThat(r.code()).isEqualTo(AbortReason.Code.INVALID_PARTIAL_SIGNATURE);
      assertThat(r.culprits()).containsExactly(culprit);
      assertThat(r.message()).isEqualTo("signer " + culprit
          + " (peer peer-1)'s partial signature does not verify");
    }
  }

  @Test
  void participantsThatCannotReachEachOtherAreRelayedByTheCreator() {
    SimCluster c = new SimCluster(4, 16);
    c.net.cut("peer-1", "peer-2").cut("peer-3", "peer-2");
    byte[] msg = SessionRoundTripTest.message(6);
    SessionHandle h = c.create(0, msg, SessionOptions.defaults());
    assertThat(c.runUntilAllFinished(h.sessionId(), LONG)).isTrue();
    assertAllCompletedValid(c, h.sessionId(), List.of(0, 1, 2, 3), msg);
    assertThat(c.managers.get(1).metrics().relayRequests()).isPositive();
    assertThat(c.managers.get(2).metrics().relayRequests()).isPositive();
    assertThat(c.managers.get(0).metrics().relayed())
        .isEqualTo(c.managers.get(1).metrics().relayRequests()
            + c.managers.get(2).metrics().relayRequests()
            + c.managers.get(3).metrics().relayRequests());
    for (int i = 0; i < 4; i++) {
      assertThat(c.managers.get(i).metrics().violations()).isZero();
    }
  }

  @Test
  void aParticipantRestartingMidSessionReportsItAbortedAndNeverSigns() {
    SimCluster c = new SimCluster(3, 17);
    // peer-2 never gets peer-0's nonce, so it is mid-session (nonce issued, not signed)
    c.net.dropIf(s -> s.from().equals("peer-0") && s.to().equals("peer-2")
        && isType(s, MessageType.NONCE_SHARE));
    byte[] msg = SessionRoundTripTest.message(7);
    SessionHandle h = c.create(0, msg, SessionOptions.defaults());
    String id = h.sessionId();
    assertThat(c.net.time().runUntil(
        () -> c.stores.get(2).load(id).map(SessionRecord::nonceIssued).orElse(false)
            && c.handle(1, id) != null
            && !c.events(1, SessionEvent.NoncesComplete.class).isEmpty(), LONG)).isTrue();
    int signer2 = h.announcement().indexOf(c.publicKeys.get(2));

    SessionManager restarted = c.start(2); // same peer ID and store, new process
    var aborted = restarted.recover(c.keys.get(2));
    assertThat(c.runUntilFinished(id, List.of(0, 1), LONG)).isTrue();
    assertThat(aborted.join()).containsExactly(id);
    for (int i : List.of(0, 1)) {
      AbortReason r = abortReason(c, i, id);
      assertThat(r.code()).isEqualTo(AbortReason.Code.ABORTED_BY_PEER);
      assertThat(r.message()).contains("signer " + signer2 + " restarted after issuing its nonce");
    }
    assertThat(c.events(2, SessionEvent.SessionAborted.class))
        .anySatisfy(e -> assertThat(e.reason().code()).isEqualTo(AbortReason.Code.RESTARTED));
    assertThat(c.stores.get(2).load(id).orElseThrow().phase()).isEqualTo(SessionPhase.ABORTED);
    assertThat(c.net.sent())
        .noneMatch(s -> s.from().equals("peer-2") && isType(s, MessageType.PARTIAL_SIG_SHARE));
  }

  @Test
  void aJoinerRestartingBeforeTheListIsReportedToEveryoneByTheCreator() {
    SimCluster c = new SimCluster(4, 19).manualJoin();
    SessionHandle h = c.create(0, SessionRoundTripTest.message(9), SessionOptions.defaults());
    String id = h.sessionId();
    for (int i : List.of(1, 2)) {
      var j = c.managers.get(i).join(h.announcement(), c.keys.get(i));
      c.net.time().runUntil(j::isDone, LONG);
      c.putHandle(i, j.join());
    }
    c.net.time().advance(Duration.ofSeconds(1));
    // peer-1 and peer-2 joined and wait for the list (peer-3 has not joined); peer-1 restarts
    c.start(1).recover(c.keys.get(1));
    assertThat(c.runUntilFinished(id, List.of(0, 2), LONG)).isTrue();
    assertThat(abortReason(c, 0, id).message()).contains("restarted before issuing its nonce");
    // peer-2 never knew peer-1; it learns of the abort from the creator, long before any timeout
    AbortReason r2 = abortReason(c, 2, id);
    assertThat(r2.code()).isEqualTo(AbortReason.Code.ABORTED_BY_PEER);
    assertThat(c.net.time().millis() - h.announcement().createdAt())
        .isLessThan(Duration.ofSeconds(10).toMillis());
    // a signer joining now is told at once that the session is gone
    var late = c.managers.get(3).join(h.announcement(), c.keys.get(3));
    c.net.time().runUntil(late::isDone, LONG);
    c.putHandle(3, late.join());
    assertThat(c.runUntilFinished(id, List.of(3), Duration.ofSeconds(5))).isTrue();
    assertThat(abortReason(c, 3, id).message()).contains("Session no longer exists");
  }

  @Test
  void abortsFromOutsidersOrUnsignedAreRefused() {
    SimCluster c = new SimCluster(3, 18);
    byte[] msg = SessionRoundTripTest.message(8);
    SessionHandle h = c.create(0, msg, SessionOptions.defaults());
    String id = h.sessionId();
    awaitReady(c, 2);
    long now = c.net.time().millis();
    int own = h.announcement().indexOf(c.publicKeys.get(1));
    var abort = new org.lotusia.musig2.p2p.wire.SessionAbort(id, "go away", now, own, null);
    // lotus-sdk form: unsigned, no signer index
    var bare = new org.lotusia.musig2.p2p.wire.SessionAbort(id, "go away", now, null, null);
    c.net.inject("peer-1", "peer-2", Forger.unsigned("peer-1", abort, "a1", now));
    c.net.inject("peer-1", "peer-2", Forger.unsigned("peer-1", bare, "a2", now));
    // an outsider claiming signer 1's index with its own key
    c.net.inject("mallory", "peer-2",
        Forger.seal("mallory", PrivateKey.of(BigInteger.TEN), abort, 1, "a3", now));
    assertThat(c.runUntilAllFinished(id, LONG)).isTrue();
    assertAllCompletedValid(c, id, List.of(0, 1, 2), msg);
    assertThat(c.events(2, SessionEvent.MessageRejected.class))
        .hasSize(3).allMatch(SessionEvent.MessageRejected::violation);
  }
}
