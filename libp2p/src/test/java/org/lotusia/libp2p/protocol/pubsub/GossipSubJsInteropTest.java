package org.lotusia.libp2p.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.interop.JsInterop;
import org.lotusia.libp2p.interop.JsPeer;

/**
 * Java GossipSub against js-libp2p's {@code @libp2p/gossipsub} with StrictSign, in both directions,
 * relaying between two js peers, and IHAVE/IWANT repair in both directions (which only works when
 * both sides compute the same message IDs).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GossipSubJsInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private JsPeer a;
  private JsPeer b;
  private final List<Host> hosts = new ArrayList<>();
  private final List<GossipSub> services = new ArrayList<>();

  @BeforeAll
  void start() {
    JsInterop.requireJsPeer();
    a = new JsPeer("gossip-a", "--gossip");
    b = new JsPeer("gossip-b", "--gossip");
    a.awaitReady(Duration.ofSeconds(60));
    b.awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() {
    services.forEach(GossipSub::close);
    for (Host h : hosts) {
      h.closeAsync().orTimeout(30, TimeUnit.SECONDS).join();
    }
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  private GossipSub javaNode(IdentityPrivateKey key, GossipSubConfig cfg) {
    Host h = new HostBuilder().identity(key).listen("/ip4/127.0.0.1/tcp/0").build();
    hosts.add(h);
    join(h.start());
    GossipSub g = new GossipSub(h, cfg);
    services.add(g);
    join(g.start());
    return g;
  }

  private Host hostOf(GossipSub g) {
    return hosts.get(services.indexOf(g));
  }

  private static <T> T join(CompletableFuture<T> f) {
    return f.orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static List<String> peers(JsonNode reply) {
    List<String> out = new ArrayList<>();
    reply.get("peers").forEach(n -> out.add(n.asText()));
    return out;
  }

  private void awaitMesh(JsPeer js, String topic, GossipSub java) {
    PeerId jsId = PeerId.parse(js.peerId());
    String javaId = hostOf(java).peerId().toBase58();
    await()
        .atMost(WAIT)
        .until(
            () ->
                join(java.meshPeers(topic)).contains(jsId)
                    && peers(js.cmd("mesh-peers", Map.of("topic", topic))).contains(javaId));
  }

  private static JsonNode awaitGossip(JsPeer js, String topic, String data) {
    return js.awaitEvent(
        e ->
            "gossip".equals(e.path("event").asText())
                && topic.equals(e.path("topic").asText())
                && data.equals(e.path("data").asText()),
        WAIT);
  }

  private static String b64(byte[] id) {
    // js prints message IDs as unpadded base64 (messageIdToString)
    return Base64.getEncoder().withoutPadding().encodeToString(id);
  }

  @Test
  void jsPublishesJavaReceivesAndJavaPublishesJsReceives() {
    String topic = "lotus/interop/both";
    GossipSub java = javaNode(Keys.generateEd25519(), GossipSubConfig.defaults());
    List<PubsubMessage> got = new CopyOnWriteArrayList<>();
    join(java.subscribe(topic, got::add));
    a.cmd("subscribe", Map.of("topic", topic));
    join(hostOf(java).dial(Multiaddr.parse(a.addr())));
    awaitMesh(a, topic, java);

    a.cmd("publish", Map.of("topic", topic, "data", "{\"hello\":\"world\",\"n\":1}"));
    await().atMost(WAIT).until(() -> !got.isEmpty());
    PubsubMessage m = got.get(0);
    assertThat(new String(m.data())).isEqualTo("{\"hello\":\"world\",\"n\":1}");
    assertThat(m.from()).isEqualTo(PeerId.parse(a.peerId()));
    assertThat(m.seqno()).hasSize(8);

    PublishResult sent = join(java.publish(topic, "from java".getBytes()));
    assertThat(sent.recipients()).contains(PeerId.parse(a.peerId()));
    JsonNode ev = awaitGossip(a, topic, "from java");
    assertThat(ev.get("from").asText()).isEqualTo(hostOf(java).peerId().toBase58());
    // js computed the same message ID as Java
    assertThat(ev.get("msgId").asText()).isEqualTo(b64(sent.message().id()));
  }

  @Test
  void strictNoSignBothDirections() {
    String topic = "lotus/interop/nosign";
    try (JsPeer js = new JsPeer("gossip-nosign", "--gossip", "--gossip-nosign")) {
      js.awaitReady(Duration.ofSeconds(60));
      GossipSub java =
          javaNode(
              Keys.generateEd25519(),
              GossipSubConfig.builder().signaturePolicy(SignaturePolicy.STRICT_NO_SIGN).build());
      List<PubsubMessage> got = new CopyOnWriteArrayList<>();
      join(java.subscribe(topic, got::add));
      js.cmd("subscribe", Map.of("topic", topic));
      join(hostOf(java).dial(Multiaddr.parse(js.addr())));
      awaitMesh(js, topic, java);
      js.cmd("publish", Map.of("topic", topic, "data", "anon-js"));
      await().atMost(WAIT).until(() -> !got.isEmpty());
      assertThat(got.get(0).from()).isNull();
      PublishResult sent = join(java.publish(topic, "anon-java".getBytes()));
      JsonNode ev = awaitGossip(js, topic, "anon-java");
      assertThat(ev.get("from").isNull()).isTrue();
      assertThat(ev.get("msgId").asText()).isEqualTo(b64(sent.message().id()));
    }
  }

  @Test
  void rsaAuthorCarriesItsKeyAndJsAcceptsIt() {
    String topic = "lotus/interop/rsa";
    GossipSub java = javaNode(Keys.generateRsa(2048), GossipSubConfig.defaults());
    join(java.subscribe(topic, m -> {}));
    a.cmd("subscribe", Map.of("topic", topic));
    join(hostOf(java).dial(Multiaddr.parse(a.addr())));
    awaitMesh(a, topic, java);
    PublishResult sent = join(java.publish(topic, "rsa".getBytes()));
    JsonNode ev = awaitGossip(a, topic, "rsa");
    assertThat(ev.get("msgId").asText()).isEqualTo(b64(sent.message().id()));
  }

  @Test
  @Order(1)
  void javaRelaysBetweenTwoJsPeers() {
    String topic = "lotus/interop/relay";
    GossipSub java = javaNode(Keys.generateEd25519(), GossipSubConfig.defaults());
    List<PubsubMessage> got = new CopyOnWriteArrayList<>();
    join(java.subscribe(topic, got::add));
    a.cmd("subscribe", Map.of("topic", topic));
    b.cmd("subscribe", Map.of("topic", topic));
    join(hostOf(java).dial(Multiaddr.parse(a.addr())));
    join(hostOf(java).dial(Multiaddr.parse(b.addr())));
    awaitMesh(a, topic, java);
    awaitMesh(b, topic, java);
    String javaId = hostOf(java).peerId().toBase58();
    // the js peers must not be connected to each other, so everything goes through Java
    a.cmd("hangup", Map.of("peer", b.peerId()));
    await()
        .atMost(WAIT)
        .until(
            () ->
                a.cmd("peers", Map.of()).get("connections").findValuesAsText("peer").stream()
                    .noneMatch(b.peerId()::equals));

    a.cmd("publish", Map.of("topic", topic, "data", "a-to-b"));
    JsonNode atB = awaitGossip(b, topic, "a-to-b");
    assertThat(atB.get("from").asText()).isEqualTo(a.peerId());
    assertThat(atB.get("propagationSource").asText()).isEqualTo(javaId);
    await()
        .atMost(WAIT)
        .until(() -> got.stream().anyMatch(m -> "a-to-b".equals(new String(m.data()))));
    PubsubMessage mine =
        got.stream().filter(m -> "a-to-b".equals(new String(m.data()))).findFirst().orElseThrow();
    assertThat(b64(mine.id())).isEqualTo(atB.get("msgId").asText());

    b.cmd("publish", Map.of("topic", topic, "data", "b-to-a"));
    JsonNode atA = awaitGossip(a, topic, "b-to-a");
    assertThat(atA.get("propagationSource").asText()).isEqualTo(javaId);
  }

  /** A Java node that never keeps a mesh (D=0) and does not flood: only gossip can carry data. */
  private GossipSub gossipOnlyNode() {
    return javaNode(
        Keys.generateEd25519(),
        GossipSubConfig.builder().mesh(0, 0, 0, 0).floodPublish(false).build());
  }

  @Test
  void ihaveIwantRepairFromJavaToJs() {
    String topic = "lotus/interop/repair-out";
    GossipSub java = gossipOnlyNode();
    join(java.subscribe(topic, m -> {}));
    a.cmd("subscribe", Map.of("topic", topic));
    join(hostOf(java).dial(Multiaddr.parse(a.addr())));
    PeerId aId = PeerId.parse(a.peerId());
    await().atMost(WAIT).until(() -> join(java.topicPeers(topic)).contains(aId));
    await()
        .atMost(WAIT)
        .until(
            () ->
                peers(a.cmd("topic-peers", Map.of("topic", topic)))
                    .contains(hostOf(java).peerId().toBase58()));
    PublishResult sent = join(java.publish(topic, "repaired".getBytes()));
    assertThat(sent.recipients()).as("no eager push from a meshless node").isEmpty();
    // the heartbeat sends IHAVE, js asks with IWANT for exactly Java's ID and gets the message
    JsonNode ev = awaitGossip(a, topic, "repaired");
    assertThat(ev.get("msgId").asText()).isEqualTo(b64(sent.message().id()));
    assertThat(ev.get("propagationSource").asText()).isEqualTo(hostOf(java).peerId().toBase58());
  }

  @Test
  @Order(2)
  void ihaveIwantRepairFromJsToJava() {
    String topic = "lotus/interop/repair-in";
    GossipSub java = gossipOnlyNode();
    List<PubsubMessage> got = new CopyOnWriteArrayList<>();
    join(java.subscribe(topic, got::add));
    a.cmd("subscribe", Map.of("topic", topic));
    b.cmd("subscribe", Map.of("topic", topic));
    // a - b - java: a is not connected to java, b only gossips to java (java prunes b's GRAFT)
    a.cmd("dial", Map.of("addr", b.addr()));
    join(hostOf(java).dial(Multiaddr.parse(b.addr())));
    PeerId bId = PeerId.parse(b.peerId());
    await().atMost(WAIT).until(() -> join(java.topicPeers(topic)).contains(bId));
    await()
        .atMost(WAIT)
        .until(() -> peers(a.cmd("mesh-peers", Map.of("topic", topic))).contains(b.peerId()));
    a.cmd("publish", Map.of("topic", topic, "data", "via-ihave"));
    JsonNode atB = awaitGossip(b, topic, "via-ihave");
    await().atMost(WAIT).until(() -> !got.isEmpty());
    PubsubMessage m = got.get(0);
    assertThat(new String(m.data())).isEqualTo("via-ihave");
    assertThat(m.receivedFrom()).isEqualTo(bId);
    assertThat(m.from()).isEqualTo(PeerId.parse(a.peerId()));
    assertThat(b64(m.id())).isEqualTo(atB.get("msgId").asText());
    assertThat(join(java.meshPeers(topic))).isEmpty();
    a.cmd("hangup", Map.of("peer", b.peerId()));
  }
}
