package org.lotusia.libp2p.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.PubsubProtos.Message;
import org.lotusia.libp2p.protocol.pubsub.RouterHarness.HeldValidation;
import org.lotusia.libp2p.protocol.pubsub.RouterHarness.Remote;

/**
 * The inbound pipeline of the router: deduplication before verification, messages under validation,
 * forgeries, the validation queue bound, message ID functions and topic events.
 */
class GossipRouterValidationTest {
  private static final String T = "t";

  @Test
  void duplicatesCostNoVerificationEvenWhileTheFirstCopyIsValidated() throws Exception {
    HeldValidation v = new HeldValidation();
    RouterHarness h = new RouterHarness(b -> b, v);
    List<Remote> peers = h.peers(6, T, true);
    h.router.subscribe(T);
    Message m = h.signed(peers.get(5), T, "once");
    h.router.handleRpc(peers.get(0).id(), RouterHarness.publish(m));
    h.router.handleRpc(peers.get(1).id(), RouterHarness.publish(m));
    h.router.handleRpc(peers.get(2).id(), RouterHarness.publish(m));
    assertThat(v.jobs).hasSize(1);
    assertThat(h.router.validating()).isEqualTo(1);
    assertThat(h.delivered).isEmpty();
    v.completeAll();
    assertThat(v.runs).isEqualTo(1);
    assertThat(h.delivered).hasSize(1);
    assertThat(h.counters.duplicates.sum()).isEqualTo(2);
    // copies that came during validation are not sent back to their senders
    assertThat(h.messagesTo(peers.get(1).id())).isZero();
    assertThat(h.messagesTo(peers.get(2).id())).isZero();
    // after validation a copy is stopped by the seen cache, again without verification
    h.router.handleRpc(peers.get(3).id(), RouterHarness.publish(m));
    assertThat(v.jobs).isEmpty();
    assertThat(h.counters.duplicates.sum()).isEqualTo(3);
  }

  @Test
  void aForgeryThatArrivesFirstCannotSuppressTheGenuineMessage() throws Exception {
    HeldValidation v = new HeldValidation();
    RouterHarness h = new RouterHarness(b -> b, v);
    List<Remote> peers = h.peers(4, T, true);
    h.router.subscribe(T);
    Message genuine = h.signed(peers.get(3), T, "genuine");
    // same author and seqno, so the same ID, but content the author never signed
    Message forged = genuine.toBuilder().setData(ByteString.copyFromUtf8("forged")).build();
    Message forgedAgain =
        forged.toBuilder().setSignature(ByteString.copyFrom(new byte[64])).build();
    assertThat(RouterHarness.idUnchecked(forged)).isEqualTo(RouterHarness.id(genuine));
    PeerId attacker = peers.get(0).id();
    h.router.handleRpc(attacker, RouterHarness.publish(forged));
    h.router.handleRpc(peers.get(1).id(), RouterHarness.publish(genuine));
    h.router.handleRpc(attacker, RouterHarness.publish(forgedAgain));
    v.completeAll();
    assertThat(v.runs).as("forgery, then the genuine copy kept aside").isEqualTo(2);
    assertThat(h.delivered).hasSize(1);
    assertThat(new String(h.delivered.get(0).data())).isEqualTo("genuine");
    assertThat(h.delivered.get(0).receivedFrom()).isEqualTo(peers.get(1).id());
    assertThat(h.counters.invalid.sum()).isEqualTo(1);
    assertThat(h.router.scoreOf(attacker)).isLessThan(0);
  }

  @Test
  void aFullValidationQueueDropsWithoutBlameAndReleasesTheMessage() {
    HeldValidation v = new HeldValidation();
    v.capacity = 2;
    RouterHarness h = new RouterHarness(b -> b, v);
    List<Remote> peers = h.peers(2, T, true);
    h.router.subscribe(T);
    PeerId src = peers.get(0).id();
    Message dropped = null;
    for (int i = 0; i < 5; i++) {
      Message m = h.signed(peers.get(1), T, "m" + i);
      h.router.handleRpc(src, RouterHarness.publish(m));
      dropped = m;
    }
    assertThat(v.jobs).hasSize(2);
    assertThat(h.router.validating()).as("dropped ones are not under validation").isEqualTo(2);
    v.completeAll();
    assertThat(h.delivered).hasSize(2);
    assertThat(h.router.scoreOf(src)).isEqualTo(0.0);
    // a dropped message was not marked seen: a later copy is validated and delivered
    h.router.handleRpc(peers.get(1).id(), RouterHarness.publish(dropped));
    v.completeAll();
    assertThat(h.delivered).hasSize(3);
  }

  @Test
  void rejectedMessageChargesEverySenderAndIsNotValidatedAgain() {
    HeldValidation v = new HeldValidation();
    RouterHarness h = new RouterHarness(b -> b, v);
    List<Remote> peers = h.peers(3, T, true);
    h.router.subscribe(T);
    h.router.addValidator(T, m -> TopicValidationResult.REJECT);
    Message m = h.signed(peers.get(2), T, "bad");
    h.router.handleRpc(peers.get(0).id(), RouterHarness.publish(m));
    h.router.handleRpc(peers.get(1).id(), RouterHarness.publish(m));
    v.completeAll();
    assertThat(h.router.scoreOf(peers.get(0).id())).isEqualTo(-10.0);
    assertThat(h.router.scoreOf(peers.get(1).id())).isEqualTo(-10.0);
    h.router.handleRpc(peers.get(2).id(), RouterHarness.publish(m));
    assertThat(v.jobs).isEmpty();
    assertThat(h.delivered).isEmpty();
  }

  @Test
  void goCompatibleMessageIdsAreFromAndSeqno() throws Exception {
    RouterHarness h = new RouterHarness(b -> b.messageIdFunction(MessageIdFunction.fromAndSeqno()));
    List<Remote> peers = h.peers(1, T, true);
    h.router.subscribe(T);
    Remote author = peers.get(0);
    Message m =
        MessageSigning.sign(author.key(), author.id(), T, new byte[] {1}, 0x0102030405060708L);
    h.router.handleRpc(author.id(), RouterHarness.publish(m));
    byte[] from = author.id().toBytes();
    byte[] id = h.delivered.get(0).id();
    assertThat(id).hasSize(from.length + 8);
    assertThat(java.util.Arrays.copyOf(id, from.length)).isEqualTo(from);
    // an Ed25519 peer ID is 0x00 0x24 followed by the key protobuf: js's ID without that prefix
    assertThat(java.util.Arrays.copyOfRange(id, 2, id.length))
        .isEqualTo(RouterHarness.id(m).toByteArray());
    assertThat(h.router.publish(T, new byte[] {2}).message().id()).startsWith(h.me.id().toBytes());
  }

  @Test
  void aMessageIdFunctionThatFailsMakesTheMessageInvalid() {
    RouterHarness h =
        new RouterHarness(
            b ->
                b.messageIdFunction(
                    in -> {
                      if (in.data().length == 0) {
                        throw new IllegalArgumentException("empty");
                      }
                      return in.data().length == 1 ? new byte[0] : in.data();
                    }));
    List<Remote> peers = h.peers(1, T, true);
    h.router.subscribe(T);
    Remote p = peers.get(0);
    h.router.handleRpc(
        p.id(), RouterHarness.publish(MessageSigning.sign(p.key(), p.id(), T, new byte[0], 1)));
    h.router.handleRpc(
        p.id(), RouterHarness.publish(MessageSigning.sign(p.key(), p.id(), T, new byte[1], 2)));
    h.router.handleRpc(
        p.id(), RouterHarness.publish(MessageSigning.sign(p.key(), p.id(), T, new byte[2], 3)));
    assertThat(h.counters.invalid.sum()).isEqualTo(2);
    assertThat(h.delivered).hasSize(1);
    assertThat(h.delivered.get(0).id()).isEqualTo(new byte[2]);
  }

  @Test
  void topicEventsFollowSubscriptionsAndDeparture() {
    RouterHarness h = new RouterHarness();
    Remote p = Remote.create();
    h.router.addPeer(p.id(), "/meshsub/1.2.0", true);
    h.router.handleRpc(p.id(), RouterHarness.subscribe("a"));
    h.router.handleRpc(p.id(), RouterHarness.subscribe("a"));
    h.router.handleRpc(p.id(), RouterHarness.subscribe("b"));
    h.router.handleRpc(
        p.id(),
        org.lotusia.libp2p.internal.proto.PubsubProtos.RPC
            .newBuilder()
            .addSubscriptions(
                org.lotusia.libp2p.internal.proto.PubsubProtos.RPC
                    .SubOpts
                    .newBuilder()
                    .setSubscribe(false)
                    .setTopicid("a"))
            .build());
    h.router.removePeer(p.id());
    assertThat(h.events)
        .containsExactly("+a@" + p.id(), "+b@" + p.id(), "-a@" + p.id(), "-b@" + p.id());
  }
}
