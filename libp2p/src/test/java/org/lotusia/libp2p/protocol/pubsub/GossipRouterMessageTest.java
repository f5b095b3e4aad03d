package org.lotusia.libp2p.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlIDontWant;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlIHave;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlIWant;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.Message;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;
import org.lotusia.libp2p.protocol.pubsub.RouterHarness.Remote;

/** Forwarding, deduplication, validation and gossip (IHAVE/IWANT/IDONTWANT) of the router. */
class GossipRouterMessageTest {
  private static final String T = "t";

  @Test
  void messageIsDeliveredOnceAndForwardedToMeshExceptSourceAndAuthor() throws Exception {
    RouterHarness h = new RouterHarness();
    List<Remote> peers = h.peers(6, T, true);
    h.router.subscribe(T);
    Remote source = peers.get(0);
    Remote author = peers.get(1);
    Message m = h.signed(author, T, "hello");
    h.router.handleRpc(source.id(), RouterHarness.publish(m));
    h.router.handleRpc(peers.get(2).id(), RouterHarness.publish(m));
    assertThat(h.delivered).hasSize(1);
    PubsubMessage got = h.delivered.get(0);
    assertThat(got.data()).isEqualTo("hello".getBytes());
    assertThat(got.from()).isEqualTo(author.id());
    assertThat(got.receivedFrom()).isEqualTo(source.id());
    assertThat(h.counters.duplicates.sum()).isEqualTo(1);
    assertThat(h.messagesTo(source.id())).isZero();
    assertThat(h.messagesTo(author.id())).isZero();
    for (Remote r : peers.subList(2, 6)) {
      assertThat(h.messagesTo(r.id())).isEqualTo(1);
    }
  }

  @Test
  void messageIdIsPublicKeyProtobufFollowedBySeqno() throws Exception {
    RouterHarness h = new RouterHarness();
    Remote a = Remote.create();
    Message m = MessageSigning.sign(a.key(), a.id(), T, new byte[] {1}, 0x0102030405060708L);
    byte[] key = a.key().publicKey().encoded();
    byte[] id = RouterHarness.id(m).toByteArray();
    assertThat(id).hasSize(key.length + 8);
    assertThat(java.util.Arrays.copyOf(id, key.length)).isEqualTo(key);
    assertThat(java.util.Arrays.copyOfRange(id, key.length, id.length))
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    // Ed25519 keys are inlined in the peer ID, so the key field is left out
    assertThat(m.hasKey()).isFalse();
    assertThat(h.router.publish(T, new byte[0]).message().id()).hasSize(key.length + 8);
  }

  @Test
  void validatorOutcomes() {
    PeerScoreParams sp = PeerScoreParams.defaults().withTopic(T, TopicScoreParams.defaults());
    RouterHarness h = new RouterHarness(b -> b.score(sp));
    List<Remote> peers = h.peers(3, T, true);
    h.router.subscribe(T);
    h.router.addValidator(
        T,
        msg ->
            switch (new String(msg.data())) {
              case "good" -> TopicValidationResult.ACCEPT;
              case "bad" -> TopicValidationResult.REJECT;
              default -> TopicValidationResult.IGNORE;
            });
    PeerId src = peers.get(0).id();
    h.router.handleRpc(src, RouterHarness.publish(h.signed(peers.get(0), T, "meh")));
    assertThat(h.delivered).isEmpty();
    assertThat(h.router.scoreOf(src)).isGreaterThanOrEqualTo(0);
    h.router.handleRpc(src, RouterHarness.publish(h.signed(peers.get(0), T, "bad")));
    assertThat(h.delivered).isEmpty();
    assertThat(h.counters.invalid.sum()).isEqualTo(1);
    // P4: -1 * 1^2 * topic weight 0.5 (plus P1 time in mesh 0 so far)
    assertThat(h.router.scoreOf(src)).isLessThan(0);
    h.router.handleRpc(src, RouterHarness.publish(h.signed(peers.get(0), T, "good")));
    assertThat(h.delivered).hasSize(1);
    assertThat(h.messagesTo(peers.get(1).id())).isEqualTo(1);
  }

  @Test
  void unsignedAndBadlySignedMessagesAreRejectedUnderStrictSign() throws Exception {
    RouterHarness h = new RouterHarness();
    List<Remote> peers = h.peers(6, T, true);
    h.router.subscribe(T);
    h.router.handleRpc(
        peers.get(0).id(), RouterHarness.publish(MessageSigning.unsigned(T, "x".getBytes())));
    Message good = h.signed(peers.get(5), T, "payload");
    Message tampered = good.toBuilder().setData(ByteString.copyFromUtf8("PAYLOAD")).build();
    h.router.handleRpc(peers.get(1).id(), RouterHarness.publish(tampered));
    Message wrongKey =
        good.toBuilder()
            .setKey(ByteString.copyFrom(peers.get(0).key().publicKey().encoded()))
            .build();
    h.router.handleRpc(peers.get(2).id(), RouterHarness.publish(wrongKey));
    Message shortSeqno = good.toBuilder().setSeqno(ByteString.copyFrom(new byte[4])).build();
    h.router.handleRpc(peers.get(3).id(), RouterHarness.publish(shortSeqno));
    assertThat(h.delivered).isEmpty();
    assertThat(h.counters.invalid.sum()).isEqualTo(4);
    // each sender is charged with the default parameters, though the topic has none
    for (int i = 0; i < 4; i++) {
      assertThat(h.router.scoreOf(peers.get(i).id())).isEqualTo(-10.0);
    }
    // the genuine message still gets through: the forgery with its ID did not poison the cache
    h.router.handleRpc(peers.get(4).id(), RouterHarness.publish(good));
    assertThat(h.delivered).hasSize(1);
  }

  @Test
  void aPeerSendingInvalidMessagesIsGraylistedWithTheDefaultParameters() {
    RouterHarness h = new RouterHarness();
    List<Remote> peers = h.peers(2, T, true);
    h.router.subscribe(T);
    h.router.addValidator(
        T,
        m ->
            new String(m.data()).startsWith("spam")
                ? TopicValidationResult.REJECT
                : TopicValidationResult.ACCEPT);
    PeerId spammer = peers.get(0).id();
    for (int i = 0; i < 3; i++) {
      h.router.handleRpc(spammer, RouterHarness.publish(h.signed(peers.get(0), T, "spam" + i)));
    }
    // P4 for topics without parameters: -10 * 3^2, below the graylist threshold -80
    assertThat(h.router.scoreOf(spammer)).isEqualTo(-90.0);
    h.router.handleRpc(spammer, RouterHarness.publish(h.signed(peers.get(0), T, "fine")));
    assertThat(h.delivered).isEmpty();
    assertThat(h.counters.graylistedRpcs.sum()).isEqualTo(1);
    // the penalty decays (0.9 per heartbeat): after 4 heartbeats -10 * (3 * 0.9^4)^2 = -38.7
    for (int i = 0; i < 4; i++) {
      h.heartbeat();
    }
    assertThat(h.router.scoreOf(spammer)).isGreaterThan(-80).isLessThan(-10);
    h.router.handleRpc(spammer, RouterHarness.publish(h.signed(peers.get(0), T, "fine again")));
    assertThat(h.delivered).hasSize(1);
  }

  @Test
  void strictNoSignRejectsSignedAndAcceptsUnsigned() {
    RouterHarness h = new RouterHarness(b -> b.signaturePolicy(SignaturePolicy.STRICT_NO_SIGN));
    List<Remote> peers = h.peers(1, T, true);
    h.router.subscribe(T);
    h.router.handleRpc(peers.get(0).id(), RouterHarness.publish(h.signed(peers.get(0), T, "s")));
    assertThat(h.delivered).isEmpty();
    h.router.handleRpc(
        peers.get(0).id(), RouterHarness.publish(MessageSigning.unsigned(T, "u".getBytes())));
    assertThat(h.delivered).hasSize(1);
    assertThat(h.delivered.get(0).from()).isNull();
    assertThat(h.delivered.get(0).id()).hasSize(32);
  }

  @Test
  void heartbeatGossipsIhaveToNonMeshPeersAndServesIwantAtMostThreeTimes() throws Exception {
    RouterHarness h = new RouterHarness(b -> b.mesh(2, 1, 3, 0));
    List<Remote> peers = h.peers(6, T, true);
    h.router.subscribe(T);
    Message m = h.signed(peers.get(0), T, "gossip me");
    ByteString id = RouterHarness.id(m);
    PeerId meshPeer = h.router.meshPeers(T).iterator().next();
    h.router.handleRpc(meshPeer, RouterHarness.publish(m));
    h.heartbeat();
    Remote outsider =
        peers.stream()
            .filter(p -> !h.router.meshPeers(T).contains(p.id()))
            .findFirst()
            .orElseThrow();
    List<RPC> toOutsider = h.sentTo(outsider.id());
    ControlIHave ihave = toOutsider.get(toOutsider.size() - 1).getControl().getIhave(0);
    assertThat(ihave.getTopicID()).isEqualTo(T);
    assertThat(ihave.getMessageIDsList()).containsExactly(id);
    RPC iwant =
        RouterHarness.control(
            ControlMessage.newBuilder().addIwant(ControlIWant.newBuilder().addMessageIDs(id)));
    for (int i = 0; i < 5; i++) {
      h.router.handleRpc(outsider.id(), iwant);
    }
    assertThat(h.messagesTo(outsider.id())).isEqualTo(3);
    // after mcacheLength heartbeats the message is gone from the cache and from gossip
    for (int i = 0; i < 5; i++) {
      h.heartbeat();
    }
    assertThat(h.router.mcache().get(id)).isNull();
  }

  @Test
  void ihaveOfUnseenIdsIsAnsweredWithIwantAndSeenIdsAreSkipped() throws Exception {
    RouterHarness h = new RouterHarness();
    List<Remote> peers = h.peers(2, T, true);
    h.router.subscribe(T);
    Message seen = h.signed(peers.get(0), T, "seen");
    h.router.handleRpc(peers.get(0).id(), RouterHarness.publish(seen));
    ByteString unseen = ByteString.copyFromUtf8("unseen-id");
    h.router.handleRpc(
        peers.get(1).id(),
        RouterHarness.control(
            ControlMessage.newBuilder()
                .addIhave(
                    ControlIHave.newBuilder()
                        .setTopicID(T)
                        .addMessageIDs(RouterHarness.id(seen))
                        .addMessageIDs(unseen))));
    List<RPC> out = h.sentTo(peers.get(1).id());
    ControlIWant iwant = out.get(out.size() - 1).getControl().getIwant(0);
    assertThat(iwant.getMessageIDsList()).containsExactly(unseen);
  }

  @Test
  void attackTooManyIhaveIdsDropsTheRpcAndPenalises() {
    RouterHarness h = new RouterHarness(b -> b.rpcLimits(1000, 1000, 100, 100, 100));
    List<Remote> peers = h.peers(1, T, true);
    h.router.subscribe(T);
    PeerId p = peers.get(0).id();
    ControlIHave.Builder big = ControlIHave.newBuilder().setTopicID(T);
    for (int i = 0; i < 101; i++) {
      big.addMessageIDs(ByteString.copyFromUtf8("id" + i));
    }
    int before = h.sentTo(p).size();
    h.router.handleRpc(p, RouterHarness.control(ControlMessage.newBuilder().addIhave(big)));
    assertThat(h.sentTo(p)).hasSize(before);
    assertThat(h.counters.rejectedRpcs.sum()).isEqualTo(1);
    assertThat(h.router.scoreOf(p)).isEqualTo(-10.0);
  }

  @Test
  void attackIhaveSpamIsCappedPerHeartbeat() {
    RouterHarness h = new RouterHarness(b -> b.ihaveLimits(10, 50));
    List<Remote> peers = h.peers(1, T, true);
    h.router.subscribe(T);
    PeerId p = peers.get(0).id();
    int asked = 0;
    for (int r = 0; r < 20; r++) {
      ControlIHave.Builder ih = ControlIHave.newBuilder().setTopicID(T);
      for (int i = 0; i < 20; i++) {
        ih.addMessageIDs(ByteString.copyFromUtf8(r + "/" + i));
      }
      h.router.handleRpc(p, RouterHarness.control(ControlMessage.newBuilder().addIhave(ih)));
    }
    for (RPC rpc : h.sentTo(p)) {
      if (rpc.hasControl()) {
        asked +=
            rpc.getControl().getIwantList().stream()
                .mapToInt(ControlIWant::getMessageIDsCount)
                .sum();
      }
    }
    assertThat(asked).isEqualTo(50);
  }

  @Test
  void ihaveMessagesAreCountedPerRpcNotPerTopic() {
    RouterHarness h = new RouterHarness(b -> b.ihaveLimits(10, 5000));
    PeerId p = h.peers(1, T, true).get(0).id();
    ControlMessage.Builder c = ControlMessage.newBuilder();
    for (int t = 0; t < 12; t++) {
      h.router.subscribe("t" + t);
      c.addIhave(
          ControlIHave.newBuilder()
              .setTopicID("t" + t)
              .addMessageIDs(ByteString.copyFromUtf8("" + t)));
    }
    h.sent.clear();
    h.router.handleRpc(p, RouterHarness.control(c));
    assertThat(iwantIds(h, p)).as("one RPC with IHAVEs of 12 topics").isEqualTo(12);
    for (int r = 0; r < 12; r++) {
      ControlIHave.Builder ih = ControlIHave.newBuilder().setTopicID("t0");
      h.router.handleRpc(
          p,
          RouterHarness.control(
              ControlMessage.newBuilder()
                  .addIhave(ih.addMessageIDs(ByteString.copyFromUtf8("r" + r)))));
    }
    assertThat(iwantIds(h, p)).as("the 10 RPC per heartbeat cap").isEqualTo(12 + 9);
  }

  private static int iwantIds(RouterHarness h, PeerId p) {
    int n = 0;
    for (RPC rpc : h.sentTo(p)) {
      n +=
          rpc.getControl().getIwantList().stream().mapToInt(ControlIWant::getMessageIDsCount).sum();
    }
    return n;
  }

  @Test
  void attackTooManySubscriptionsOrMessagesInOneRpc() {
    RouterHarness h = new RouterHarness(b -> b.rpcLimits(5, 2, 100, 100, 100));
    List<Remote> peers = h.peers(1, T, true);
    h.router.subscribe(T);
    PeerId p = peers.get(0).id();
    RPC.Builder subs = RPC.newBuilder();
    for (int i = 0; i < 6; i++) {
      subs.addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid("x" + i));
    }
    h.router.handleRpc(p, subs.build());
    assertThat(h.router.topicPeers("x0")).isEmpty();
    RPC.Builder msgs = RPC.newBuilder();
    for (int i = 0; i < 3; i++) {
      msgs.addPublish(h.signed(peers.get(0), T, "m" + i));
    }
    h.router.handleRpc(p, msgs.build());
    assertThat(h.delivered).isEmpty();
    assertThat(h.counters.rejectedRpcs.sum()).isEqualTo(2);
  }

  @Test
  void largeMessagesTriggerIdontwantAndIdontwantSuppressesForwarding() throws Exception {
    RouterHarness h = new RouterHarness();
    List<Remote> peers = h.peers(4, T, true);
    h.router.subscribe(T);
    Message big = h.signed(peers.get(0), T, "x".repeat(600));
    ByteString id = RouterHarness.id(big);
    PeerId quiet = peers.get(3).id();
    h.router.handleRpc(
        quiet,
        RouterHarness.control(
            ControlMessage.newBuilder()
                .addIdontwant(ControlIDontWant.newBuilder().addMessageIDs(id))));
    h.router.handleRpc(peers.get(1).id(), RouterHarness.publish(big));
    assertThat(h.messagesTo(quiet)).isZero();
    assertThat(h.messagesTo(peers.get(2).id())).isEqualTo(1);
    boolean sentIdontwant =
        h.sentTo(peers.get(2).id()).stream()
            .anyMatch(r -> r.hasControl() && r.getControl().getIdontwantCount() == 1);
    assertThat(sentIdontwant).isTrue();
    // small messages do not
    h.router.handleRpc(peers.get(1).id(), RouterHarness.publish(h.signed(peers.get(0), T, "s")));
    long idontwants =
        h.sentTo(peers.get(2).id()).stream()
            .filter(r -> r.hasControl() && r.getControl().getIdontwantCount() > 0)
            .count();
    assertThat(idontwants).isEqualTo(1);
  }

  @Test
  void brokenIwantPromiseCostsABehaviourPointAndAKeptOneDoesNot() throws Exception {
    RouterHarness h = new RouterHarness();
    List<Remote> peers = h.peers(2, T, true);
    h.router.subscribe(T);
    PeerId liar = peers.get(0).id();
    PeerId honest = peers.get(1).id();
    Message m = h.signed(peers.get(1), T, "promised");
    h.router.handleRpc(liar, ihave(ByteString.copyFromUtf8("never-sent")));
    h.router.handleRpc(honest, ihave(RouterHarness.id(m)));
    h.router.handleRpc(honest, RouterHarness.publish(m));
    for (int i = 0; i < 4; i++) {
      h.heartbeat();
    }
    // one broken promise: P7 = -10 * 1^2 right after expiry, then decaying
    assertThat(h.router.scoreOf(liar)).isLessThan(0);
    assertThat(h.router.scoreOf(honest)).isEqualTo(0.0);
    assertThat(h.router.promises().size()).isZero();
  }

  private static RPC ihave(ByteString id) {
    return RouterHarness.control(
        ControlMessage.newBuilder()
            .addIhave(ControlIHave.newBuilder().setTopicID(T).addMessageIDs(id)));
  }

  @Test
  void seenCacheIsBoundedAndExpires() {
    SeenCache c = new SeenCache(1000, 3);
    for (int i = 0; i < 5; i++) {
      assertThat(c.add(ByteString.copyFromUtf8("m" + i), i)).isTrue();
    }
    assertThat(c.size()).isEqualTo(3);
    assertThat(c.add(ByteString.copyFromUtf8("m4"), 10)).isFalse();
    c.prune(2000);
    assertThat(c.size()).isZero();
  }

  @Test
  void firstDeliveriesRaiseTheScore() {
    PeerScoreParams sp = PeerScoreParams.defaults().withTopic(T, TopicScoreParams.defaults());
    RouterHarness h = new RouterHarness(b -> b.score(sp));
    List<Remote> peers = h.peers(1, T, true);
    h.router.subscribe(T);
    for (int i = 0; i < 4; i++) {
      h.router.handleRpc(
          peers.get(0).id(), RouterHarness.publish(h.signed(peers.get(0), T, "" + i)));
    }
    // P2: 4 first deliveries * weight 1 * topic weight 0.5
    assertThat(h.router.scoreOf(peers.get(0).id())).isEqualTo(2.0);
    h.heartbeat();
    h.heartbeat();
    // decayed twice (0.5) and 2 s in mesh (P1 1/s): (1 + 2) * 0.5
    assertThat(h.router.scoreOf(peers.get(0).id())).isEqualTo(1.5);
  }
}
