package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lotusia.libp2p.interop.JsInterop;
import org.lotusia.libp2p.interop.JsPeer;

/**
 * End to end through the real {@code lotus-p2p} launcher: {@code node} processes with {@code
 * --json}, the tools against them, a js-libp2p peer set up like a lotus-sdk node, and a node
 * restarted on its data directory that comes back with its identity, dials its known peers and
 * serves the DHT records it held.
 */
class LauncherIT {

  private final List<NodeProcess> nodes = new ArrayList<>();
  private JsPeer js;
  @TempDir Path tmp;

  @AfterEach
  void stop() throws InterruptedException {
    for (NodeProcess n : nodes) {
      n.close();
    }
    if (js != null) {
      js.close();
    }
  }

  private NodeProcess node(String... args) throws Exception {
    NodeProcess n = NodeProcess.start(Launcher.prefix(), args);
    nodes.add(n);
    return n;
  }

  private static JsonNode statusOf(NodeProcess n) throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + n.statusPort() + "/status")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    return NodeProcess.JSON.readTree(r.body());
  }

  private static Launcher.Result ok(Launcher.Result r) {
    assertThat(r.code()).as("exit code; stderr: " + r.err()).isZero();
    return r;
  }

  @Test
  void nodesAndToolsThenARestartOnTheSameDataDirectory() throws Exception {
    Path dirA = tmp.resolve("a");
    NodeProcess a = node("--data-dir", dirA.toString(), "--status", "0", "--topic", "chat");
    NodeProcess b = node("--data-dir", tmp.resolve("b").toString(), "--bootstrap", a.addr(), "--topic", "chat");
    a.awaitEvent("peer-connected", e -> e.path("peerId").asText().equals(b.peerId()));

    // send: one P2PMessage, printed by the node with its fields
    JsonNode sent = ok(Launcher.run("send", a.addr(), "--type", "greeting", "--payload", "{\"n\":1}", "--protocol", "chat", "--json")).json();
    String sender = sent.path("message").path("from").asText();
    JsonNode msg = a.awaitEvent("message", e -> e.path("message").path("type").asText().equals("greeting"));
    assertThat(msg.path("peerId").asText()).isEqualTo(sender);
    assertThat(msg.path("message").path("payload").path("n").asInt()).isEqualTo(1);
    assertThat(msg.path("message").path("protocol").asText()).isEqualTo("chat");
    assertThat(msg.path("message").path("messageId").asText()).isEqualTo(sent.path("message").path("messageId").asText());

    // pubsub: a follower joins a's mesh, then a message published through a reaches everyone
    List<String> subCmd = new ArrayList<>(Launcher.prefix());
    subCmd.addAll(List.of("pubsub", "sub", "--bootstrap", a.addr(), "chat", "--count", "1", "--timeout", "120"));
    Process sub = new ProcessBuilder(subCmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      org.awaitility.Awaitility.await().atMost(NodeProcess.WAIT).until(() -> {
        JsonNode topic = statusOf(a).path("topics").path("subscribed").get(0);
        return topic.path("meshPeers").asInt() >= 2;
      });
      ok(Launcher.run("pubsub", "pub", "--bootstrap", a.addr(), "chat", "{\"hello\":\"world\"}"));
      for (NodeProcess n : List.of(a, b)) {
        n.awaitEvent("topic-message", e -> e.path("topic").asText().equals("chat")
            && e.path("data").path("hello").asText().equals("world"));
      }
      assertThat(sub.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).as("sub exits after --count 1").isTrue();
      assertThat(sub.exitValue()).isZero();
      assertThat(new String(sub.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .matches("chat 12D3KooW\\w+: \\{\"hello\":\"world\"\\}\\R");
    } finally {
      sub.destroyForcibly();
    }

    // resources: announced through a, discovered through b, read raw from the DHT
    JsonNode announced = ok(Launcher.run("resource", "announce", "--bootstrap", a.addr(), "svc", "r1", "--data", "{\"v\":7}", "--json")).json();
    JsonNode found = ok(Launcher.run("resource", "discover", "--bootstrap", b.addr(), "svc", "r1", "--json")).json();
    JsonNode r = found.path("resources").get(0);
    assertThat(r.path("creator").asText()).isEqualTo(announced.path("creator").asText());
    assertThat(r.path("data").path("v").asInt()).isEqualTo(7);
    assertThat(r.path("authenticated").asBoolean()).isTrue();
    String raw = ok(Launcher.run("dht", "get", "--bootstrap", a.addr(), "resource:svc:r1")).out();
    assertThat(NodeProcess.JSON.readTree(raw).path("resourceId").asText()).isEqualTo("r1");
    Launcher.Result refused = Launcher.run("dht", "put", "--bootstrap", a.addr(), "resource:svc:r2", "not an announcement");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.errorLines()).singleElement().asString().startsWith("error: the record was refused: ");

    // status: the summary of a's /status
    String status = ok(Launcher.run("status", "127.0.0.1:" + a.statusPort())).out();
    assertThat(status).contains("peer ID:   " + a.peerId()).contains("  " + b.peerId()).contains("topic:     chat");

    // restart a on its data directory with b gone: same identity, the record is still served
    assertThat(a.terminate(15)).isZero();
    assertThat(b.terminate(15)).isZero();
    NodeProcess a2 = node("--data-dir", dirA.toString());
    assertThat(a2.peerId()).isEqualTo(a.peerId());
    String again = ok(Launcher.run("dht", "get", "--bootstrap", a2.addr(), "resource:svc:r1")).out();
    assertThat(again).isEqualTo(raw);
  }

  @Test
  void aLotusSdkShapedJsPeerAndARestartedNodeThatDialsItAgain() throws Exception {
    JsInterop.requireJsPeer();
    js = new JsPeer("lotus-sdk", "--dht", "--dht-lotus-sdk", "--dht-protocol", "/lotus/kad/1.0.0", "--gossip", "--lotus");
    js.awaitReady(Duration.ofSeconds(60));
    Path dir = tmp.resolve("n");
    NodeProcess n = node("--data-dir", dir.toString(), "--topic", "lotus-chat");
    js.cmd("dial", Map.of("addr", n.addr()));
    n.awaitEvent("peer-connected", e -> e.path("peerId").asText().equals(js.peerId()));

    // js -> node: lotus-sdk's sendTo framing and createMessage shape
    Map<String, Object> m = Map.of("type", "chat-message", "from", js.peerId(), "payload", Map.of("text", "hi from js"),
        "timestamp", System.currentTimeMillis(), "messageId", "mx1-js", "protocol", "chat");
    js.cmd("lotus-send", Map.of("peer", n.peerId(), "message", m));
    JsonNode got = n.awaitEvent("message", e -> e.path("message").path("messageId").asText().equals("mx1-js"));
    assertThat(got.path("message").path("payload").path("text").asText()).isEqualTo("hi from js");

    // node <- tool -> js: the send tool speaks lotus-sdk's framing to the js peer too
    ok(Launcher.run("send", js.addr(), "--type", "ping-js", "--payload", "{\"k\":2}"));
    JsonNode atJs = js.awaitEvent(ev -> "lotus-message".equals(ev.path("event").asText())
        && "ping-js".equals(ev.path("message").path("type").asText()), Duration.ofSeconds(60));
    assertThat(atJs.path("message").path("payload").path("k").asInt()).isEqualTo(2);

    // js publishes on the topic the node follows
    js.cmd("subscribe", Map.of("topic", "lotus-chat"));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
      js.cmd("publish", Map.of("topic", "lotus-chat", "data", "{\"from\":\"js\"}"));
      return n.lines.stream().anyMatch(l -> l.contains("\"topic-message\"") && l.contains("\"from\":\"js\""));
    });

    // restarted, the node dials the peer it knew
    assertThat(n.terminate(15)).isZero();
    NodeProcess n2 = node("--data-dir", dir.toString());
    n2.awaitEvent("peer-connected", e -> e.path("peerId").asText().equals(js.peerId()));
  }
}
