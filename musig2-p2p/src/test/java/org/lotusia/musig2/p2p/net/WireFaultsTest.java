package org.lotusia.musig2.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.p2p.AbortReason;
import org.lotusia.musig2.p2p.SessionAbortedException;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.SessionEvent;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionOptions;
import org.lotusia.musig2.p2p.SessionResult;
import org.lotusia.musig2.p2p.TransactionSigning;
import org.lotusia.musig2.p2p.election.CoordinatorElection;
import org.lotusia.musig2.p2p.election.Election;
import org.lotusia.musig2.p2p.election.ElectionMethod;
import org.lotusia.musig2.p2p.sim.Forger;
import org.lotusia.musig2.p2p.wire.MessageType;
import org.lotusia.musig2.p2p.wire.NonceShare;
import org.lotusia.musig2.p2p.wire.PartialSignatureShare;
import org.lotusia.musig2.p2p.wire.SessionMessages;
import org.lotusia.p2p.protocol.MessageJson;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * The faults of a session on the wire, among real coordinators: what every honest signer ends with,
 * and who is named.
 */
class WireFaultsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static SessionConfig quick() {
    return SessionConfig.builder()
        .nonceTimeout(Duration.ofSeconds(20))
        .partialSignatureTimeout(Duration.ofSeconds(4))
        .broadcastTimeout(Duration.ofSeconds(3))
        .build();
  }

  static AbortReason abortOf(NetCluster c, int node, String id) {
    try {
      c.result(node, id);
    } catch (AssertionError e) {
      Throwable cause = e.getCause();
      if (cause instanceof CompletionException ce) {
        cause = ce.getCause();
      }
      assertThat(cause).isInstanceOf(SessionAbortedException.class);
      return ((SessionAbortedException) cause).reason();
    }
    throw new AssertionError("node " + node + " completed; an abort was expected");
  }

  /**
   * Every honest node ended aborted, and the culprit was named: by the node's own finding ({@code
   * code}, culprit listed), or, when another honest node found it first and its abort arrived
   * before this node's own finding, by that node's abort ({@code ABORTED_BY_PEER}, whose reason
   * quotes the finding). At least one node found it itself.
   */
  static void assertNamed(NetCluster c, String id, List<Integer> nodes, AbortReason.Code code,
      int culprit, String finding) {
    int found = 0;
    for (int i : nodes) {
      AbortReason r = abortOf(c, i, id);
      assertThat(r.message()).as("node %d", i).contains(finding);
      if (r.code() == code) {
        assertThat(r.culprits()).as("node %d", i).containsExactly(culprit);
        found++;
      } else {
        assertThat(r.code()).as("node %d", i).isEqualTo(AbortReason.Code.ABORTED_BY_PEER);
      }
    }
    assertThat(found).as("nodes that found the fault themselves").isPositive();
  }

  static void assertValid(NetCluster c, String id, List<Integer> nodes, byte[] msg) {
    byte[] key = TransactionSigning.aggregateKey(c.publicKeys);
    for (int i : nodes) {
      SessionResult r = c.result(i, id);
      assertThat(LotusSchnorr.verify(r.signature(), key, msg)).as("node " + i).isTrue();
    }
  }

  @Test
  void aSignerSilentAfterNoncesIsNamedInTheAbort() {
    try (NetCluster c = new NetCluster(4, 11, quick())) {
      c.connectAll().bindAll();
      c.shaped.get(2).drop(MessageType.PARTIAL_SIG_SHARE);
      c.awaitTopicPeers(0);
      SessionHandle h = c.create(0, NetworkSessionsTest.message("silent"), SessionOptions.defaults());
      int culprit = h.announcement().indexOf(c.publicKeys.get(2));
      String peer = c.nodes.get(2).peerId();
      assertNamed(c, h.sessionId(), List.of(0, 1, 3), AbortReason.Code.TIMEOUT, culprit,
          "signer " + culprit + " (peer " + peer + ") sent no partial signature");
    }
  }

  @Test
  void theElectedBroadcasterDyingAfterPartialsIsReplacedByFailover() {
    AtomicInteger doomed = new AtomicInteger(-1);
    List<Integer> broadcasts = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (NetCluster c = new NetCluster(4, 12, quick())) {
      c.customize(
              (i, b) ->
                  b.broadcaster(
                      result -> {
                        if (doomed.get() == i) {
                          // the elected signer dies with every partial signature in hand
                          c.nodes.get(i).stop();
                          return new CompletableFuture<>();
                        }
                        broadcasts.add(i);
                        return CompletableFuture.completedFuture(null);
                      }))
          .connectAll()
          .bindAll();
      Election election = CoordinatorElection.elect(c.publicKeys, ElectionMethod.LEXICOGRAPHIC);
      int elected = nodeHolding(c, election.coordinatorIndex());
      int successor = nodeHolding(c, election.at(1));
      doomed.set(elected);
      int creator = elected == 0 ? 1 : 0;
      c.awaitTopicPeers(creator);
      byte[] msg = NetworkSessionsTest.message("failover");
      SessionHandle h = c.create(creator, msg, SessionOptions.defaults());
      List<Integer> live = new ArrayList<>(List.of(0, 1, 2, 3));
      live.remove(Integer.valueOf(elected));
      assertValid(c, h.sessionId(), live, msg);
      assertThat(broadcasts).containsExactly(successor);
      for (int i : live) {
        assertThat(c.result(i, h.sessionId()).broadcasterIndex()).isEqualTo(election.at(1));
        assertThat(c.events(i, SessionEvent.CoordinatorFailedOver.class))
            .anySatisfy(e -> assertThat(e.failedIndex()).isEqualTo(election.at(0)));
      }
      // the takeover was announced on the wire by the successor
      assertThat(c.shaped.get(successor).sent).anyMatch(s -> s.is(MessageType.COORDINATOR_FAILOVER));
    }
  }

  @Test
  void forgedMessagesClaimingAnotherSignerAreRefused() throws Exception {
    try (NetCluster c = new NetCluster(3, 13, SessionConfig.defaults())) {
      c.connectAll().bindAll();
      // node 2 holds back its nonce, so the session waits while the forgeries arrive
      CompletableFuture<Void> gate = c.shaped.get(2).hold(MessageType.NONCE_SHARE);
      c.awaitTopicPeers(0);
      byte[] msg = NetworkSessionsTest.message("forged");
      SessionHandle h = c.create(0, msg, SessionOptions.defaults());
      String id = h.sessionId();
      await().atMost(NetCluster.WAIT)
          .until(() -> !c.events(2, SessionEvent.SessionReady.class).isEmpty()
              && c.shaped.get(0).sent.stream().anyMatch(s -> s.is(MessageType.NONCE_SHARE)));
      int victim = h.announcement().indexOf(c.publicKeys.get(0));
      int own = h.announcement().indexOf(c.publicKeys.get(1));
      long now = System.currentTimeMillis();
      byte[] point = PrivateKey.of(BigInteger.valueOf(5)).publicKeyBytes();
      byte[] nonce = new byte[66];
      System.arraycopy(point, 0, nonce, 0, 33);
      System.arraycopy(point, 0, nonce, 33, 33);
      String mallory = c.nodes.get(1).peerId();
      String target = c.nodes.get(2).peerId();
      // 1. node 1 claims node 0's signer index, signing with its own key, over the real wire
      P2PMessage claim = Forger.seal(mallory, c.keys.get(1), NonceShare.of(id, victim, nonce, now),
          500, "forged-1", now);
      NetCluster.join(c.nodes.get(1).sendTo(target, claim));
      // 2. node 1 sends a nonce for its own index, signed by a key that is not its signer key
      P2PMessage wrongKey = Forger.seal(mallory, PrivateKey.of(BigInteger.valueOf(99)),
          NonceShare.of(id, own, nonce, now), 501, "forged-2", now);
      NetCluster.join(c.nodes.get(1).sendTo(target, wrongKey));
      // 3. node 1 is not the creator, yet it passes on node 0's genuine nonce as a relay
      P2PMessage genuine = c.shaped.get(0).sent.stream()
          .filter(s -> s.is(MessageType.NONCE_SHARE)).findFirst().orElseThrow().message();
      P2PMessage relayed = relayEnvelope(c, 1, genuine, target);
      NetCluster.join(c.nodes.get(1).sendTo(target, relayed));
      await().atMost(NetCluster.WAIT)
          .until(() -> c.events(2, SessionEvent.MessageRejected.class).stream()
              .filter(SessionEvent.MessageRejected::violation).count() >= 3);
      gate.complete(null);
      assertValid(c, id, List.of(0, 1, 2), msg);
      // on a loaded machine a message of an earlier phase may also arrive late: refused, never a
      // violation, and not what this test is about
      List<SessionEvent.MessageRejected> all = c.events(2, SessionEvent.MessageRejected.class);
      assertThat(all).filteredOn(r -> !r.violation()).allMatch(r -> r.reason().startsWith("late "));
      List<SessionEvent.MessageRejected> rejected =
          all.stream().filter(SessionEvent.MessageRejected::violation).toList();
      assertThat(rejected).hasSize(3).allMatch(r -> r.peerId().equals(mallory));
      assertThat(rejected).extracting(SessionEvent.MessageRejected::reason)
          .anyMatch(r -> r.contains("claims signer index " + victim))
          .anyMatch(r -> r.contains("signature does not verify"))
          .anyMatch(r -> r.contains("only the session creator relays"));
    }
  }

  @Test
  void aReplayedNonceMessageHasNoEffect() throws Exception {
    try (NetCluster c = new NetCluster(3, 14, SessionConfig.defaults())) {
      c.connectAll().bindAll();
      // node 0 holds back its partial signature, so the session is still running for the replays
      CompletableFuture<Void> gate = c.shaped.get(0).hold(MessageType.PARTIAL_SIG_SHARE);
      c.awaitTopicPeers(0);
      byte[] msg = NetworkSessionsTest.message("replay");
      SessionHandle h = c.create(0, msg, SessionOptions.defaults());
      await().atMost(NetCluster.WAIT)
          .until(() -> !c.events(2, SessionEvent.NoncesComplete.class).isEmpty());
      String target = c.nodes.get(2).peerId();
      P2PMessage original = c.shaped.get(1).sent.stream()
          .filter(s -> s.is(MessageType.NONCE_SHARE) && s.peer().equals(target))
          .findFirst().orElseThrow().message();
      // 1. the same envelope again, from its sender: the coordinator's de-duplication drops it
      NetCluster.join(c.nodes.get(1).sendTo(target, original));
      // 2. the creator passes it on again as a relay: the session layer refuses the replay
      P2PMessage asRelay = new P2PMessage(original.type(), original.from(), target,
          original.payload(), original.timestamp(), original.messageId(), null, original.protocol());
      NetCluster.join(c.nodes.get(0).sendTo(target, relayEnvelope(c, 0, asRelay, target)));
      await().atMost(NetCluster.WAIT)
          .until(() -> c.events(2, SessionEvent.MessageRejected.class).stream()
              .anyMatch(e -> e.reason().startsWith("replayed ")));
      gate.complete(null);
      assertValid(c, h.sessionId(), List.of(0, 1, 2), msg);
      // the replay is refused once; on a loaded machine a message of an earlier phase may also
      // arrive late (refused, not a violation), which is not what this test is about
      List<SessionEvent.MessageRejected> rejected = c.events(2, SessionEvent.MessageRejected.class);
      assertThat(rejected)
          .filteredOn(e -> e.reason().startsWith("replayed "))
          .singleElement()
          .satisfies(e -> assertThat(e.reason()).startsWith("replayed musig2:nonce-share"));
      assertThat(rejected)
          .filteredOn(e -> !e.reason().startsWith("replayed "))
          .allSatisfy(e -> assertThat(e.reason()).startsWith("late "))
          .noneMatch(SessionEvent.MessageRejected::violation);
    }
  }

  @Test
  void aPartialSignatureThatDoesNotVerifyNamesItsSigner() {
    try (NetCluster c = new NetCluster(3, 15, quick())) {
      c.connectAll().bindAll();
      AtomicInteger seq = new AtomicInteger(900);
      c.shaped.get(1).rewrite =
          (peer, m) -> {
            if (!m.type().equals(MessageType.PARTIAL_SIG_SHARE.wire())) {
              return m;
            }
            // node 1 sends a wrong partial signature, properly signed as its own
            PartialSignatureShare genuine = (PartialSignatureShare) SessionMessages.decode(m);
            byte[] bad = genuine.partialSignature();
            bad[31] ^= 1;
            PartialSignatureShare wrong = new PartialSignatureShare(genuine.sessionId(),
                genuine.signerIndex(), bad, genuine.timestamp(), genuine.nonceDigest(), null);
            return Forger.seal(m.from(), c.keys.get(1), wrong, seq.getAndIncrement(),
                "bad-" + peer, System.currentTimeMillis());
          };
      c.awaitTopicPeers(0);
      SessionHandle h = c.create(0, NetworkSessionsTest.message("bad psig"), SessionOptions.defaults());
      int culprit = h.announcement().indexOf(c.publicKeys.get(1));
      assertNamed(c, h.sessionId(), List.of(0, 2), AbortReason.Code.INVALID_PARTIAL_SIGNATURE,
          culprit, "signer " + culprit + " (peer " + c.nodes.get(1).peerId()
              + ")'s partial signature does not verify");
    }
  }

  /** A relay envelope of node {@code from} carrying {@code inner}, as the creator forwards. */
  static P2PMessage relayEnvelope(NetCluster c, int from, P2PMessage inner, String target)
      throws Exception {
    return c.nodes.get(from).createMessage(
        MuSig2Wire.RELAY_TYPE, JSON.readTree(MessageJson.toBytes(inner)), MuSig2Wire.PROTOCOL_NAME);
  }

  static int nodeHolding(NetCluster c, int sortedIndex) {
    List<byte[]> sorted = new ArrayList<>(c.publicKeys);
    sorted.sort(java.util.Arrays::compareUnsigned);
    for (int i = 0; i < c.publicKeys.size(); i++) {
      if (java.util.Arrays.equals(c.publicKeys.get(i), sorted.get(sortedIndex))) {
        return i;
      }
    }
    throw new AssertionError();
  }
}
