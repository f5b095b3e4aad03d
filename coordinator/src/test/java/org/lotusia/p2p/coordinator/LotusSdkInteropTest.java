package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.TestNodes.WAIT;
import static org.lotusia.p2p.coordinator.TestNodes.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.interop.JsInterop;
import org.lotusia.libp2p.interop.JsPeer;
import org.lotusia.p2p.coordinator.MessagingTest.Recorder;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * Against a js-libp2p peer set up like a lotus-sdk node (reference section 3: TCP and WebSocket,
 * Noise, Yamux, identify, ping, kad-dht on {@code /lotus/kad/1.0.0} in server mode, gossipsub with
 * StrictSign, a {@code /lotus/message/1.0.0} handler that reads one JSON object until the stream
 * closes): direct messages, topic messages and resources, in both directions.
 */
class LotusSdkInteropTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestNodes nodes = new TestNodes();
  private JsPeer js;
  private P2PCoordinator java;

  @BeforeEach
  void start() {
    JsInterop.requireJsPeer();
    js = new JsPeer("lotus-sdk", "--dht", "--dht-lotus-sdk", "--dht-protocol", "/lotus/kad/1.0.0", "--gossip", "--lotus", "--ws");
    js.awaitReady(WAIT);
    java = nodes.start();
    join(java.connectToPeer(js.addr()));
    await().atMost(WAIT).until(() -> java.getDHTStats().routingTableSize() >= 1);
  }

  @AfterEach
  void stop() {
    nodes.close();
    if (js != null) {
      js.close();
    }
  }

  @Test
  void directMessagesBothWays() throws Exception {
    Recorder chat = new Recorder("chat");
    java.registerProtocol(chat);
    var received = java.waitForEvent(P2PEvent.MessageReceived.class, e -> true, WAIT);
    // js -> Java: lotus-sdk's createMessage shape, sent with lotus-sdk's sendTo framing
    Map<String, Object> msg =
        Map.of(
            "type", "chat-message",
            "from", js.peerId(),
            "payload", Map.of("text", "hello from js"),
            "timestamp", System.currentTimeMillis(),
            "messageId", "mwpwybfc-49398e6b472c5c2c",
            "protocol", "chat");
    js.cmd("lotus-send", Map.of("peer", java.peerId(), "message", msg));
    P2PEvent.MessageReceived e = join(received);
    assertThat(e.message().type()).isEqualTo("chat-message");
    assertThat(e.message().from()).isEqualTo(js.peerId());
    assertThat(e.message().messageId()).isEqualTo("mwpwybfc-49398e6b472c5c2c");
    assertThat(e.message().payload().get("text").asText()).isEqualTo("hello from js");
    assertThat(e.from().peerId()).isEqualTo(js.peerId());
    await().atMost(WAIT).until(() -> chat.messages.size() == 1);

    // Java -> js: the js handler parses the JSON it read until the stream closed
    P2PMessage out = java.createMessage("chat-message", Map.of("text", "hello from java"), "chat");
    join(java.sendTo(js.peerId(), out));
    JsonNode got = js.awaitEvent(ev -> "lotus-message".equals(ev.path("event").asText()), WAIT);
    assertThat(got.get("from").asText()).isEqualTo(java.peerId());
    JsonNode m = got.get("message");
    assertThat(m.get("type").asText()).isEqualTo("chat-message");
    assertThat(m.get("from").asText()).isEqualTo(java.peerId());
    assertThat(m.get("payload").get("text").asText()).isEqualTo("hello from java");
    assertThat(m.get("messageId").asText()).isEqualTo(out.messageId());
    assertThat(m.get("timestamp").asLong()).isEqualTo(out.timestamp());
    assertThat(m.get("protocol").asText()).isEqualTo("chat");
    assertThat(got.get("bytes").asInt())
        .isEqualTo(java.securityManager().protocol().serialize(out).length);
  }

  @Test
  void topicMessagesBothWays() throws Exception {
    String topic = "lotus/discovery/interop";
    List<TopicMessage> got = new CopyOnWriteArrayList<>();
    join(java.subscribeToTopic(topic, got::add));
    js.cmd("subscribe", Map.of("topic", topic));
    await().atMost(WAIT).until(() -> java.getTopicPeers(topic).contains(js.peerId()));
    await()
        .atMost(WAIT)
        .until(() -> js.cmd("topic-peers", Map.of("topic", topic)).get("peers").toString().contains(java.peerId()));

    js.cmd("publish", Map.of("topic", topic, "data", "{\"hello\":\"world\",\"n\":1}"));
    await().atMost(WAIT).until(() -> got.size() == 1);
    assertThat(got.get(0).json().get("hello").asText()).isEqualTo("world");
    assertThat(got.get(0).from()).contains(js.peerId());

    join(java.publishToTopic(topic, Map.of("from", "java", "n", 2)));
    JsonNode ev = js.awaitEvent(e -> "gossip".equals(e.path("event").asText()), WAIT);
    assertThat(ev.get("topic").asText()).isEqualTo(topic);
    assertThat(JSON.readTree(ev.get("data").asText()).get("n").asInt()).isEqualTo(2);
    assertThat(ev.get("from").asText()).isEqualTo(java.peerId());
  }

  @Test
  void resourcesBothWays() throws Exception {
    // Java announces; js reads the record with a plain kad-dht get, as lotus-sdk's discoverResource does
    ResourceAnnouncement a = join(java.announceResource("session", "s-1", Map.of("status", "active")));
    JsonNode v = js.cmd("dht-get", Map.of("key", "resource:session:s-1"));
    JsonNode record = JSON.readTree(v.get("value").asText());
    assertThat(record.get("resourceId").asText()).isEqualTo("s-1");
    assertThat(record.get("resourceType").asText()).isEqualTo("session");
    assertThat(record.get("creatorPeerId").asText()).isEqualTo(java.peerId());
    assertThat(record.get("data").get("status").asText()).isEqualTo("active");
    assertThat(record.get("createdAt").asLong()).isEqualTo(a.createdAt());
    assertThat(record.get("signature").get("type").asText()).isEqualTo("Buffer");

    // js announces the way lotus-sdk does (unsigned JSON under resource:<type>:<id>); Java finds it
    long now = System.currentTimeMillis();
    String value =
        JSON.writeValueAsString(
            Map.of(
                "resourceId", "js-1",
                "resourceType", "session",
                "creatorPeerId", js.peerId(),
                "data", Map.of("k", "v"),
                "createdAt", now,
                "expiresAt", now + 60_000));
    js.cmd("dht-put", Map.of("key", "resource:session:js-1", "value", value));
    Optional<ResourceAnnouncement> found = join(java.discoverResource("session", "js-1"));
    assertThat(found).isPresent();
    assertThat(found.get().creatorPeerId()).isEqualTo(js.peerId());
    assertThat(found.get().data().get("k").asText()).isEqualTo("v");
    assertThat(found.get().authenticated()).isFalse();
  }
}
