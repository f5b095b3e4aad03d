package org.lotusia.libp2p.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlGraft;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlPrune;
import org.lotusia.libp2p.internal.proto.PubsubProtos.PeerInfo;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;
import org.lotusia.libp2p.protocol.pubsub.RouterHarness.Remote;
import org.lotusia.libp2p.record.PeerRecord;

/** P6 IP colocation, direct peers and peer exchange with signed records, on the router. */
class GossipRouterPeersTest {
  private static final String T = "t";

  private static RPC graft(String topic) {
    return RouterHarness.control(
        ControlMessage.newBuilder().addGraft(ControlGraft.newBuilder().setTopicID(topic)));
  }

  @Test
  void attackManyPeersFromOneAddressAreChargedBeyondTheThreshold() {
    RouterHarness h = new RouterHarness();
    List<PeerId> sybils = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Remote r = Remote.create();
      h.router.addPeer(r.id(), "/meshsub/1.2.0", false, "203.0.113.7");
      sybils.add(r.id());
    }
    Remote honest = Remote.create();
    h.router.addPeer(honest.id(), "/meshsub/1.2.0", false, "198.51.100.1");
    Remote local = Remote.create();
    for (int i = 0; i < 20; i++) {
      h.router.addPeer(Remote.create().id(), "/meshsub/1.2.0", false, "127.0.0.1");
    }
    h.router.addPeer(local.id(), "/meshsub/1.2.0", false, "127.0.0.1");
    // 12 at one address, threshold 10: surplus 2, -5 * 2^2 for each of them
    for (PeerId p : sybils) {
      assertThat(h.router.scoreOf(p)).isEqualTo(-20.0);
    }
    assertThat(h.router.scoreOf(honest.id())).isEqualTo(0.0);
    assertThat(h.router.scoreOf(local.id())).as("loopback is whitelisted").isEqualTo(0.0);
    // below 0: none of them is taken into a mesh
    for (PeerId p : sybils) {
      h.router.handleRpc(p, RouterHarness.subscribe(T));
    }
    h.router.subscribe(T);
    assertThat(h.router.meshPeers(T)).doesNotContainAnyElementsOf(sybils);
    // when two leave, the rest are at the threshold and no longer charged
    h.router.removePeer(sybils.get(0));
    h.router.removePeer(sybils.get(1));
    assertThat(h.router.scoreOf(sybils.get(2))).isEqualTo(0.0);
  }

  @Test
  void directPeersGetEveryMessageOutsideTheMeshAndAreNeverGraylisted() {
    Remote direct = Remote.create();
    Multiaddr addr = Multiaddr.parse("/ip4/192.0.2.1/tcp/4001").withPeerId(direct.id());
    RouterHarness h = new RouterHarness(b -> b.directPeers(List.of(addr), Duration.ofMinutes(5)));
    List<Remote> peers = h.peers(8, T, true);
    h.router.addPeer(direct.id(), "/meshsub/1.2.0", true);
    h.router.handleRpc(direct.id(), RouterHarness.subscribe(T));
    h.router.subscribe(T);
    for (int i = 0; i < 5; i++) {
      h.heartbeat();
    }
    assertThat(h.router.meshPeers(T)).hasSize(6).doesNotContain(direct.id());
    // a message from a mesh peer goes to the direct peer as well
    h.router.handleRpc(
        peers.get(0).id(), RouterHarness.publish(h.signed(peers.get(1), T, "for everyone")));
    assertThat(h.messagesTo(direct.id())).isEqualTo(1);
    // GRAFT from a direct peer is refused with a PRUNE
    h.router.handleRpc(direct.id(), graft(T));
    assertThat(h.router.meshPeers(T)).doesNotContain(direct.id());
    assertThat(h.prunesTo(direct.id())).isEqualTo(1);
    // own messages go to it even with flood publishing off
    RouterHarness quiet =
        new RouterHarness(
            b -> b.directPeers(List.of(addr), Duration.ofMinutes(5)).floodPublish(false));
    quiet.peers(8, T, true);
    quiet.router.addPeer(direct.id(), "/meshsub/1.2.0", true);
    quiet.router.handleRpc(direct.id(), RouterHarness.subscribe(T));
    quiet.router.subscribe(T);
    assertThat(quiet.router.publish(T, "mine".getBytes()).recipients()).contains(direct.id());
    // its RPCs are accepted whatever its score
    for (int i = 0; i < 5; i++) {
      h.router.handleRpc(direct.id(), RouterHarness.publish(h.signed(direct, T, "spam" + i)));
      h.router.handleRpc(
          direct.id(), RouterHarness.publish(MessageSigning.unsigned(T, ("x" + i).getBytes())));
    }
    assertThat(h.router.scoreOf(direct.id())).isLessThan(-80);
    int before = h.delivered.size();
    h.router.handleRpc(direct.id(), RouterHarness.publish(h.signed(direct, T, "still heard")));
    assertThat(h.delivered).hasSize(before + 1);
    assertThat(h.counters.graylistedRpcs.sum()).isZero();
  }

  @Test
  void directPeerAddressesMustNamePeers() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                GossipSubConfig.builder()
                    .directPeers(
                        List.of(Multiaddr.parse("/ip4/192.0.2.1/tcp/4001")), Duration.ofMinutes(5))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/p2p/");
  }

  @Test
  void pruneCarriesSignedPeerRecordsOfTheExchangedPeers() {
    RouterHarness h = new RouterHarness(b -> b.doPx(true).mesh(2, 1, 2, 0));
    List<Remote> peers = h.peers(4, T, true);
    for (Remote r : peers) {
      PeerRecord rec =
          new PeerRecord(r.id(), 1, List.of(Multiaddr.parse("/ip4/192.0.2.9/tcp/4001")));
      h.records.put(r.id(), rec.seal(r.key()).toBytes());
    }
    h.router.subscribe(T);
    Remote extra =
        peers.stream()
            .filter(p -> !h.router.meshPeers(T).contains(p.id()))
            .findFirst()
            .orElseThrow();
    h.router.handleRpc(extra.id(), graft(T));
    h.router.handleRpc(
        peers.stream()
            .filter(p -> !h.router.meshPeers(T).contains(p.id()) && !p.equals(extra))
            .findFirst()
            .orElseThrow()
            .id(),
        graft(T));
    // the mesh is full (Dhi 2): the later GRAFT is pruned with PX
    ControlPrune prune = null;
    for (Remote r : peers) {
      for (RPC rpc : h.sentTo(r.id())) {
        if (rpc.hasControl() && rpc.getControl().getPruneCount() > 0) {
          prune = rpc.getControl().getPrune(0);
        }
      }
    }
    assertThat(prune).isNotNull();
    assertThat(prune.getBackoff()).isEqualTo(60);
    assertThat(prune.getPeersList()).isNotEmpty();
    for (PeerInfo info : prune.getPeersList()) {
      PeerId id = PeerId.fromBytes(info.getPeerID().toByteArray());
      assertThat(info.hasSignedPeerRecord()).isTrue();
      assertThat(PeerRecord.open(info.getSignedPeerRecord().toByteArray()).peerId()).isEqualTo(id);
    }
  }

  @Test
  void receivedPxIsPassedOnWithItsRecordAndBounded() {
    PeerScoreParams trusted =
        PeerScoreParams.builder().appSpecificScore(p -> 0, 1).build(); // P5 set per peer below
    RouterHarness h = new RouterHarness(b -> b.doPx(true).score(trusted));
    Remote bootstrapper = h.peers(1, T, true).get(0);
    h.router.setAppScore(bootstrapper.id(), 50);
    h.router.subscribe(T);
    ControlPrune.Builder prune = ControlPrune.newBuilder().setTopicID(T).setBackoff(60);
    Remote withRecord = Remote.create();
    byte[] record =
        new PeerRecord(withRecord.id(), 1, List.of(Multiaddr.parse("/ip4/192.0.2.5/tcp/1")))
            .seal(withRecord.key())
            .toBytes();
    prune.addPeers(
        PeerInfo.newBuilder()
            .setPeerID(ByteString.copyFrom(withRecord.id().toBytes()))
            .setSignedPeerRecord(ByteString.copyFrom(record)));
    prune.addPeers(PeerInfo.newBuilder().setPeerID(ByteString.copyFromUtf8("not a peer id")));
    prune.addPeers(PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(h.me.id().toBytes())));
    for (int i = 0; i < 13; i++) {
      prune.addPeers(
          PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(Remote.create().id().toBytes())));
    }
    h.router.handleRpc(
        bootstrapper.id(), RouterHarness.control(ControlMessage.newBuilder().addPrune(prune)));
    // 16 entries: the malformed one and ourselves are skipped, the other 14 go out
    assertThat(h.connectRequests).hasSize(14).doesNotContain(h.me.id());
    assertThat(h.connectRequests.get(0)).isEqualTo(withRecord.id());
    assertThat(h.connectRecords.get(0)).hasValue(record);
    assertThat(h.connectRecords.get(1)).isEmpty();
    assertThat(Set.copyOf(h.connectRequests)).hasSize(14);
  }
}
