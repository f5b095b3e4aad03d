package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.TestNodes.WAIT;
import static org.lotusia.p2p.coordinator.TestNodes.connect;
import static org.lotusia.p2p.coordinator.TestNodes.join;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.PeerId;
import org.lotusia.p2p.security.SecurityLimits;

class TopicsTest {

  private final TestNodes nodes = new TestNodes();

  @AfterEach
  void close() {
    nodes.close();
  }

  @Test
  void publishedJsonReachesEveryHandlerOfTheTopic() {
    P2PCoordinator a = nodes.start();
    P2PCoordinator b = nodes.start();
    connect(a, b);
    List<TopicMessage> first = new CopyOnWriteArrayList<>();
    List<TopicMessage> second = new CopyOnWriteArrayList<>();
    Registration r1 = join(b.subscribeToTopic("lotus/discovery/test", first::add));
    join(b.subscribeToTopic("lotus/discovery/test", second::add));
    join(a.subscribeToTopic("lotus/discovery/test", m -> {}));
    await().atMost(WAIT).until(() -> a.getTopicPeers("lotus/discovery/test").contains(b.peerId()));

    Map<String, Object> value = new java.util.LinkedHashMap<>();
    value.put("hello", "world");
    value.put("n", 1);
    join(a.publishToTopic("lotus/discovery/test", value));
    await().atMost(WAIT).until(() -> first.size() == 1 && second.size() == 1);
    TopicMessage m = first.get(0);
    assertThat(m.text()).isEqualTo("{\"hello\":\"world\",\"n\":1}");
    assertThat(m.json().get("n").asInt()).isEqualTo(1);
    assertThat(m.from()).contains(a.peerId());
    assertThat(m.receivedFrom()).isEqualTo(a.peerId());

    r1.close(); // one handler leaves, the topic stays
    join(a.publishToTopic("lotus/discovery/test", Map.of("n", 2)));
    await().atMost(WAIT).until(() -> second.size() == 2);
    assertThat(first).hasSize(1);

    join(b.unsubscribeFromTopic("lotus/discovery/test"));
    await().atMost(WAIT).until(() -> !a.getTopicPeers("lotus/discovery/test").contains(b.peerId()));
    join(a.publishToTopic("lotus/discovery/test", Map.of("n", 3)));
    assertThat(b.getStats().topics().delivered()).isEqualTo(2);
  }

  @Test
  void anOversizedTopicMessageIsRefusedByTheSecurityManager() {
    P2PCoordinator a = nodes.start();
    P2PCoordinator b =
        nodes.start(c -> c.securityLimits(SecurityLimits.builder().maxTopicMessageSize(1000).build()));
    connect(a, b);
    List<TopicMessage> got = new CopyOnWriteArrayList<>();
    join(b.subscribeToTopic("t", got::add));
    join(a.subscribeToTopic("t", m -> {}));
    await().atMost(WAIT).until(() -> a.getTopicPeers("t").contains(b.peerId()));
    join(a.publishToTopic("t", "x".repeat(2000)));
    join(a.publishToTopic("t", "small"));
    await().atMost(WAIT).until(() -> got.size() == 1);
    assertThat(got.get(0).text()).isEqualTo("\"small\"");
    assertThat(b.getStats().topics().refused()).isEqualTo(1);
  }

  @Test
  void anApplicationValidatorDecidesAfterTheSecurityManager() {
    P2PCoordinator a = nodes.start();
    P2PCoordinator b = nodes.start();
    connect(a, b);
    List<TopicMessage> got = new CopyOnWriteArrayList<>();
    Registration check =
        b.addTopicValidator(
            "v",
            m ->
                m.text().contains("bad")
                    ? TopicMessageValidator.Verdict.REJECT
                    : TopicMessageValidator.Verdict.ACCEPT);
    join(b.subscribeToTopic("v", got::add));
    join(a.subscribeToTopic("v", m -> {}));
    await().atMost(WAIT).until(() -> a.getTopicPeers("v").contains(b.peerId()));
    join(a.publishToTopic("v", "bad one"));
    join(a.publishToTopic("v", "good one"));
    await().atMost(WAIT).until(() -> got.size() == 1);
    assertThat(got.get(0).text()).isEqualTo("\"good one\"");
    assertThat(b.getStats().topics().refused()).isEqualTo(1);
    check.close();
    join(a.publishToTopic("v", "bad again"));
    await().atMost(WAIT).until(() -> got.size() == 2);
  }

  @Test
  void theMeshMonitorReportsUnhealthyThenHealthyMeshes() {
    P2PCoordinator a = nodes.start(c -> c.monitor(MonitorConfig.fast().withMinMeshPeers(1)));
    var unhealthy = a.waitForEvent(P2PEvent.MeshHealthChanged.class, e -> !e.healthy(), WAIT);
    join(a.subscribeToTopic("mesh", m -> {}));
    assertThat(join(unhealthy).meshPeers()).isZero();
    var healthy = a.waitForEvent(P2PEvent.MeshHealthChanged.class, e -> e.healthy(), WAIT);
    P2PCoordinator b = nodes.start();
    connect(b, a);
    join(b.subscribeToTopic("mesh", m -> {}));
    P2PEvent.MeshHealthChanged h = join(healthy);
    assertThat(h.topic()).isEqualTo("mesh");
    assertThat(h.meshPeers()).isEqualTo(1);
    await().atMost(WAIT).until(() -> a.getTopicMeshHealth("mesh").map(MeshHealth::healthy).orElse(false));
    assertThat(a.getTopicMeshHealth("mesh").get().subscribers()).isEqualTo(1);
  }

  @Test
  void warningsOfTheSecurityManagerLowerThePeersGossipSubScore() {
    P2PCoordinator a = nodes.start();
    P2PCoordinator b = nodes.start();
    connect(a, b);
    join(a.subscribeToTopic("scored", m -> {}));
    join(b.subscribeToTopic("scored", m -> {}));
    await().atMost(WAIT).until(() -> a.getTopicPeers("scored").contains(b.peerId()));
    var gossip = a.networkComponents().orElseThrow().gossip().orElseThrow();
    PeerId bId = PeerId.parse(b.peerId());
    assertThat(join(gossip.score(bId))).isEqualTo(0.0);

    // two of the five warnings before a temporary ban: P5 = -2/5, weighted 10
    a.securityManager().warnPeer(b.peerId(), "test");
    a.securityManager().warnPeer(b.peerId(), "test");
    await().atMost(WAIT).until(() -> Math.abs(join(gossip.score(bId)) + 4.0) < 1e-9);
    assertThat(a.getConnectedPeers()).extracting(PeerInfo::peerId).contains(b.peerId());

    a.securityManager().unbanPeer(b.peerId());
    await().atMost(WAIT).until(() -> join(gossip.score(bId)) == 0.0);
  }

  @Test
  void topicsNeedGossipSub() {
    P2PCoordinator a = nodes.start(c -> c.enableGossipSub(false));
    assertThatThrownBy(() -> a.subscribeToTopic("t", m -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("GossipSub is not enabled in the configuration");
    assertThat(a.getTopicPeers("t")).isEmpty();
  }
}
