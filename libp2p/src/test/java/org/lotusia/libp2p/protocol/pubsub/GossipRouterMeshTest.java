package org.lotusia.libp2p.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlGraft;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlPrune;
import org.lotusia.libp2p.protocol.pubsub.RouterHarness.Remote;

/** Mesh maintenance, fanout and backoff of the router, with a stepped clock. */
class GossipRouterMeshTest {
  private static final String T = "t";

  @Test
  void subscribeGraftsDPeersAndHeartbeatRefillsBelowDlo() {
    RouterHarness h = new RouterHarness();
    List<Remote> peers = h.peers(20, T, true);
    h.router.subscribe(T);
    assertThat(h.router.meshPeers(T)).hasSize(6);
    long grafted = peers.stream().filter(p -> h.graftsTo(p.id()) == 1).count();
    assertThat(grafted).isEqualTo(6);
    // three mesh peers leave: 3 < Dlo=4, the heartbeat grafts back up to D
    h.router.meshPeers(T).stream().limit(3).forEach(h.router::removePeer);
    assertThat(h.router.meshPeers(T)).hasSize(3);
    h.heartbeat();
    assertThat(h.router.meshPeers(T)).hasSize(6);
  }

  @Test
  void oversizedMeshIsPrunedToDKeepingOutboundQuota() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(T);
    List<Remote> inbound = h.peers(13, T, false);
    List<Remote> outbound = h.peers(3, T, true);
    for (Remote r : inbound) {
      h.router.handleRpc(r.id(), graft(T));
    }
    // inbound GRAFTs are accepted up to Dhi=12 only
    assertThat(h.router.meshPeers(T)).hasSize(12);
    for (Remote r : outbound) {
      h.router.handleRpc(r.id(), graft(T));
    }
    // a full mesh still takes outbound peers up to Dout=2
    assertThat(h.router.meshPeers(T)).hasSize(14);
    h.heartbeat();
    assertThat(h.router.meshPeers(T)).hasSize(6);
    long out = h.router.meshPeers(T).stream().filter(h.router::outbound).count();
    assertThat(out).isGreaterThanOrEqualTo(2);
    long pruned =
        List.of(inbound, outbound).stream()
            .flatMap(List::stream)
            .filter(r -> h.prunesTo(r.id()) > 0)
            .count();
    // 1 inbound and 1 outbound at GRAFT time, 8 by the heartbeat
    assertThat(pruned).isEqualTo(10);
  }

  @Test
  void inboundGraftIntoFullMeshIsPrunedWithBackoff() {
    RouterHarness h = new RouterHarness(b -> b.mesh(2, 1, 2, 0));
    List<Remote> peers = h.peers(3, T, false);
    h.router.subscribe(T);
    Remote extra =
        peers.stream()
            .filter(p -> !h.router.meshPeers(T).contains(p.id()))
            .findFirst()
            .orElseThrow();
    h.router.handleRpc(extra.id(), graft(T));
    assertThat(h.router.meshPeers(T)).doesNotContain(extra.id());
    ControlPrune prune =
        h.sentTo(extra.id()).get(h.sentTo(extra.id()).size() - 1).getControl().getPrune(0);
    assertThat(prune.getTopicID()).isEqualTo(T);
    assertThat(prune.getBackoff()).isEqualTo(60);
    assertThat(prune.getPeersCount()).isZero(); // PX is off by default
  }

  @Test
  void graftFloodDuringBackoffIsPenalisedUntilGraylisted() {
    RouterHarness h = new RouterHarness();
    List<Remote> peers = h.peers(1, T, false);
    PeerId p = peers.get(0).id();
    h.router.subscribe(T);
    assertThat(h.router.meshPeers(T)).contains(p);
    // the peer prunes us, which starts a 60 s backoff on our side too
    h.router.handleRpc(p, prune(T, 60));
    assertThat(h.router.meshPeers(T)).isEmpty();
    h.heartbeat();
    assertThat(h.router.meshPeers(T)).as("no graft during backoff").isEmpty();
    h.router.handleRpc(p, graft(T));
    assertThat(h.router.meshPeers(T)).isEmpty();
    assertThat(h.prunesTo(p)).isEqualTo(1);
    // within the flood threshold each GRAFT costs 2 behaviour points: -10 * 2^2 = -40 after one
    assertThat(h.router.scoreOf(p)).isEqualTo(-40.0);
    h.router.handleRpc(p, graft(T));
    assertThat(h.router.scoreOf(p)).isLessThan(-80);
    // graylisted: even a valid message is ignored now
    h.router.handleRpc(p, RouterHarness.publish(h.signed(peers.get(0), T, "x")));
    assertThat(h.delivered).isEmpty();
    // after the backoff and the penalty decay the peer can be grafted again
    for (int i = 0; i < 70; i++) {
      h.heartbeat();
    }
    assertThat(h.router.scoreOf(p)).isEqualTo(0.0);
    assertThat(h.router.meshPeers(T)).contains(p);
  }

  @Test
  void unsubscribePrunesWithUnsubscribeBackoff() {
    RouterHarness h = new RouterHarness();
    List<Remote> peers = h.peers(3, T, true);
    h.router.subscribe(T);
    h.router.unsubscribe(T);
    for (Remote r : peers) {
      ControlMessage c = h.sentTo(r.id()).get(h.sentTo(r.id()).size() - 1).getControl();
      assertThat(c.getPrune(0).getBackoff()).isEqualTo(10);
      assertThat(h.router.inBackoff(r.id(), T)).isTrue();
    }
    h.clock.advance(Duration.ofSeconds(11));
    assertThat(h.router.inBackoff(peers.get(0).id(), T)).isFalse();
  }

  @Test
  void fanoutPublishUsesDPeersAndExpiresAfterTtl() {
    RouterHarness h = new RouterHarness(b -> b.floodPublish(false));
    h.peers(10, T, true);
    Publisher.Published p = h.router.publish(T, "hello".getBytes());
    assertThat(p.recipients()).hasSize(6);
    assertThat(h.router.overlay().fanout(T)).hasSize(6);
    Publisher.Published again = h.router.publish(T, "again".getBytes());
    assertThat(again.recipients()).containsExactlyInAnyOrderElementsOf(p.recipients());
    h.clock.advance(Duration.ofSeconds(61));
    h.router.heartbeat();
    assertThat(h.router.overlay().hasFanout(T)).isFalse();
  }

  @Test
  void floodPublishReachesEveryTopicPeer() {
    RouterHarness h = new RouterHarness();
    h.peers(10, T, true);
    h.peers(3, "other", true);
    h.router.subscribe(T);
    Publisher.Published p = h.router.publish(T, "hello".getBytes());
    assertThat(p.recipients()).hasSize(10);
    assertThat(p.message().from()).isEqualTo(h.me.id());
  }

  @Test
  void subscriptionsAreAnnouncedToNewAndExistingPeers() {
    RouterHarness h = new RouterHarness();
    List<Remote> before = h.peers(1, "x", true);
    h.router.subscribe(T);
    assertThat(h.sentTo(before.get(0).id()).get(0).getSubscriptions(0).getTopicid()).isEqualTo(T);
    Remote late = Remote.create();
    h.router.addPeer(late.id(), "/meshsub/1.1.0", true);
    assertThat(h.sentTo(late.id()).get(0).getSubscriptions(0).getSubscribe()).isTrue();
  }

  @Test
  void pxIsFollowedOnlyWhenEnabledAndFromWellScoredPeers() {
    org.lotusia.libp2p.internal.proto.PubsubProtos.RPC pxPrune =
        RouterHarness.control(
            ControlMessage.newBuilder()
                .addPrune(
                    ControlPrune.newBuilder()
                        .setTopicID(T)
                        .setBackoff(60)
                        .addPeers(
                            org.lotusia.libp2p.internal.proto.PubsubProtos.PeerInfo.newBuilder()
                                .setPeerID(
                                    com.google.protobuf.ByteString.copyFrom(
                                        Remote.create().id().toBytes())))));
    RouterHarness off = new RouterHarness();
    Remote p1 = off.peers(1, T, true).get(0);
    off.router.handleRpc(p1.id(), pxPrune);
    assertThat(off.connectRequests).as("PX is off by default").isEmpty();

    RouterHarness on = new RouterHarness(b -> b.doPx(true));
    Remote p2 = on.peers(1, T, true).get(0);
    on.router.subscribe(T);
    on.router.handleRpc(p2.id(), pxPrune);
    assertThat(on.connectRequests).as("score 0 is below acceptPX 10").isEmpty();

    PeerScoreParams sp = PeerScoreParams.defaults().withTopic(T, TopicScoreParams.defaults());
    RouterHarness good = new RouterHarness(b -> b.doPx(true).score(sp));
    Remote p3 = good.peers(1, T, true).get(0);
    good.router.subscribe(T);
    for (int i = 0; i < 30; i++) {
      good.router.handleRpc(p3.id(), RouterHarness.publish(good.signed(p3, T, "m" + i)));
    }
    assertThat(good.router.scoreOf(p3.id())).isGreaterThanOrEqualTo(10);
    good.router.handleRpc(p3.id(), pxPrune);
    assertThat(good.connectRequests).hasSize(1);
  }

  @Test
  void attackPrunesOfUnknownTopicsLeaveNoBackoffState() {
    RouterHarness h = new RouterHarness();
    Remote p = h.peers(1, T, true).get(0);
    h.router.subscribe(T);
    for (int round = 0; round < 10; round++) {
      ControlMessage.Builder c = ControlMessage.newBuilder();
      for (int i = 0; i < 100; i++) {
        c.addPrune(
            ControlPrune.newBuilder().setTopicID("junk-" + round + "-" + i).setBackoff(86400));
      }
      h.router.handleRpc(p.id(), RouterHarness.control(c));
    }
    assertThat(h.router.overlay().hasBackoffEntries()).as("no entry per unknown topic").isFalse();
    // a PRUNE of our own topic still takes effect
    h.router.handleRpc(p.id(), prune(T, 60));
    assertThat(h.router.meshPeers(T)).doesNotContain(p.id());
    assertThat(h.router.inBackoff(p.id(), T)).isTrue();
  }

  @Test
  void attackTooManyPxPeersDropsThePrune() {
    RouterHarness h = new RouterHarness(b -> b.doPx(true));
    Remote p = h.peers(1, T, true).get(0);
    h.router.subscribe(T);
    ControlPrune.Builder prune = ControlPrune.newBuilder().setTopicID(T);
    for (int i = 0; i < 17; i++) {
      prune.addPeers(
          org.lotusia.libp2p.internal.proto.PubsubProtos.PeerInfo.newBuilder()
              .setPeerID(com.google.protobuf.ByteString.copyFrom(Remote.create().id().toBytes())));
    }
    h.router.handleRpc(p.id(), RouterHarness.control(ControlMessage.newBuilder().addPrune(prune)));
    assertThat(h.counters.rejectedRpcs.sum()).isEqualTo(1);
    assertThat(h.router.meshPeers(T)).contains(p.id());
  }

  @Test
  void opportunisticGraftAddsBetterPeersWhenTheMeshMedianIsLow() {
    TopicScoreParams tp =
        new TopicScoreParams(
            0.5,
            0,
            Duration.ofSeconds(1),
            3600,
            1,
            0.5,
            2000,
            0,
            0.5,
            100,
            20,
            Duration.ofSeconds(5),
            0,
            0.5,
            -1,
            0.3);
    PeerScoreParams sp = PeerScoreParams.defaults().withTopic(T, tp);
    RouterHarness h = new RouterHarness(b -> b.mesh(2, 1, 3, 0).score(sp));
    List<Remote> peers = h.peers(5, T, true);
    h.router.subscribe(T);
    Remote good =
        peers.stream()
            .filter(p -> !h.router.meshPeers(T).contains(p.id()))
            .findFirst()
            .orElseThrow();
    for (int i = 0; i < Heartbeat.OPPORTUNISTIC_GRAFT_TICKS - 1; i++) {
      h.heartbeat();
    }
    assertThat(h.router.meshPeers(T)).hasSize(2).doesNotContain(good.id());
    for (int i = 0; i < 10; i++) {
      h.router.handleRpc(good.id(), RouterHarness.publish(h.signed(good, T, "m" + i)));
    }
    h.heartbeat();
    assertThat(h.router.meshPeers(T)).hasSize(3).contains(good.id());
  }

  @Test
  void negativeScoreSurvivesAReconnect() {
    RouterHarness h = new RouterHarness();
    Remote p = h.peers(1, T, false).get(0);
    h.router.subscribe(T);
    h.router.handleRpc(p.id(), prune(T, 60));
    h.router.handleRpc(p.id(), graft(T));
    double penalised = h.router.scoreOf(p.id());
    assertThat(penalised).isLessThan(0);
    h.router.removePeer(p.id());
    h.router.addPeer(p.id(), "/meshsub/1.2.0", false);
    assertThat(h.router.scoreOf(p.id())).isEqualTo(penalised);
  }

  @Test
  void floodsubPeersGetEverythingAndNoControlAndMeshsub10PrunesCarryNoBackoff() {
    RouterHarness h = new RouterHarness(b -> b.mesh(1, 1, 1, 0));
    Remote flood = Remote.create();
    h.router.addPeer(flood.id(), "/floodsub/1.0.0", true);
    h.router.handleRpc(flood.id(), RouterHarness.subscribe(T));
    Remote modern = h.peers(1, T, true).get(0);
    h.router.subscribe(T);
    // floodsub peers never join the mesh and never receive control messages
    assertThat(h.router.meshPeers(T)).containsExactly(modern.id());
    h.router.handleRpc(modern.id(), RouterHarness.publish(h.signed(modern, T, "to all")));
    assertThat(h.messagesTo(flood.id())).isEqualTo(1);
    for (int i = 0; i < 3; i++) {
      h.heartbeat();
    }
    assertThat(h.sentTo(flood.id())).noneMatch(r -> r.hasControl());
    // the full mesh (D=Dhi=1) answers a GRAFT of a meshsub 1.0 peer with a PRUNE without backoff
    Remote old = Remote.create();
    h.router.addPeer(old.id(), "/meshsub/1.0.0", false);
    h.router.handleRpc(old.id(), RouterHarness.subscribe(T));
    h.router.handleRpc(old.id(), graft(T));
    ControlPrune p = h.sentTo(old.id()).get(h.sentTo(old.id()).size() - 1).getControl().getPrune(0);
    assertThat(p.hasBackoff()).isFalse();
    assertThat(h.router.meshPeers(T)).containsExactly(modern.id());
  }

  static org.lotusia.libp2p.internal.proto.PubsubProtos.RPC graft(String topic) {
    return RouterHarness.control(
        ControlMessage.newBuilder().addGraft(ControlGraft.newBuilder().setTopicID(topic)));
  }

  static org.lotusia.libp2p.internal.proto.PubsubProtos.RPC prune(String topic, long backoff) {
    return RouterHarness.control(
        ControlMessage.newBuilder()
            .addPrune(ControlPrune.newBuilder().setTopicID(topic).setBackoff(backoff)));
  }
}
