package org.lotusia.libp2p.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.interop.JsInterop;
import org.lotusia.libp2p.interop.JsPeer;

/**
 * Peer exchange with signed peer records between Java and js-libp2p ({@code @libp2p/gossipsub} with
 * {@code doPX}): a PRUNE from a full mesh names another peer with its signed record, and the pruned
 * peer, which knew nothing of that peer, dials it from the record. Both directions.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GossipSubJsPxInteropTest {
  private static final String TOPIC = "lotus/interop/px";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final List<JsPeer> js = new ArrayList<>();
  private Host host;
  private GossipSub java;

  @AfterEach
  void stop() {
    if (java != null) {
      java.close();
    }
    if (host != null) {
      host.closeAsync().orTimeout(30, TimeUnit.SECONDS).join();
    }
    js.forEach(JsPeer::close);
  }

  private JsPeer jsPeer(String name, String... flags) {
    List<String> args = new ArrayList<>(List.of("--gossip"));
    args.addAll(List.of(flags));
    JsPeer p = new JsPeer(name, args.toArray(String[]::new));
    js.add(p);
    p.awaitReady(Duration.ofSeconds(60));
    return p;
  }

  private GossipSub javaNode(GossipSubConfig cfg) {
    host = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
    join(host.start());
    java = new GossipSub(host, cfg);
    join(java.start());
    return java;
  }

  private static <T> T join(CompletableFuture<T> f) {
    return f.orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static List<String> peers(JsonNode reply) {
    List<String> out = new ArrayList<>();
    reply.get("peers").forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> connections(JsPeer p) {
    return p.cmd("peers", Map.of()).get("connections").findValuesAsText("peer");
  }

  @Test
  void javaFollowsJsPeerExchangeToAPeerItKnewNothingOf() {
    JsInterop.requireJsPeer();
    // b keeps a mesh of one (with c) and prunes further grafts with PX
    JsPeer b = jsPeer("px-b", "--gossip-px", "--gossip-d", "1,1,1");
    JsPeer c = jsPeer("px-c");
    b.cmd("subscribe", Map.of("topic", TOPIC));
    c.cmd("subscribe", Map.of("topic", TOPIC));
    b.cmd("dial", Map.of("addr", c.addr()));
    await()
        .atMost(WAIT)
        .until(() -> peers(b.cmd("mesh-peers", Map.of("topic", TOPIC))).contains(c.peerId()));
    PeerId bId = PeerId.parse(b.peerId());
    PeerId cId = PeerId.parse(c.peerId());
    // Java trusts b (application score), so it follows b's PX
    GossipSub j =
        javaNode(
            GossipSubConfig.builder()
                .doPx(true)
                .score(
                    PeerScoreParams.builder()
                        .appSpecificScore(p -> p.equals(bId) ? 100 : 0, 1)
                        .build())
                .build());
    join(host.dial(Multiaddr.parse(b.addr())));
    await()
        .atMost(WAIT)
        .until(() -> join(j.score(bId)) == 100.0 && join(j.topicPeers(TOPIC)).contains(bId));
    assertThat(host.peerStore().addresses(cId)).isEmpty();
    join(j.subscribe(TOPIC, m -> {}));
    await().atMost(WAIT).until(() -> !host.connections(cId).isEmpty());
    assertThat(host.peerStore().addresses(cId)).isNotEmpty();
    await().atMost(WAIT).until(() -> join(j.meshPeers(TOPIC)).contains(cId));
  }

  @Test
  void jsFollowsJavaPeerExchangeWithTheSignedRecordJavaGot() {
    JsInterop.requireJsPeer();
    JsPeer c = jsPeer("px-c2");
    GossipSub j = javaNode(GossipSubConfig.builder().doPx(true).mesh(1, 1, 1, 0).build());
    join(j.subscribe(TOPIC, m -> {}));
    c.cmd("subscribe", Map.of("topic", TOPIC));
    join(host.dial(Multiaddr.parse(c.addr())));
    PeerId cId = PeerId.parse(c.peerId());
    await().atMost(WAIT).until(() -> join(j.meshPeers(TOPIC)).contains(cId));
    // a knows only Java; its GRAFT finds Java's mesh full and is pruned with c's record
    JsPeer a = jsPeer("px-a", "--gossip-px");
    a.cmd("dial", Map.of("addr", host.listenAddresses().get(0).toString()));
    a.cmd("subscribe", Map.of("topic", TOPIC));
    assertThat(connections(a)).doesNotContain(c.peerId());
    await().atMost(WAIT).until(() -> connections(a).contains(c.peerId()));
    assertThat(join(j.meshPeers(TOPIC))).containsExactly(cId);
  }
}
