package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code node --status}: {@code /status} JSON, {@code /metrics} in the Prometheus text format, the
 * HTML page rendered by a real headless Chromium, all read-only and bound to loopback. A peer
 * connects first, so the node has something to show.
 */
class StatusServerTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private final List<NodeProcess> nodes = new ArrayList<>();
  @TempDir Path tmp;

  @AfterEach
  void kill() throws InterruptedException {
    for (NodeProcess n : nodes) {
      n.close();
    }
  }

  private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private NodeProcess twoNodes() throws Exception {
    NodeProcess a =
        NodeProcess.start(NodeProcess.javaCli(), "--data-dir", tmp.resolve("a").toString(), "--status", "0", "--topic", "chat",
            "--relay-server");
    nodes.add(a);
    NodeProcess b =
        NodeProcess.start(
            NodeProcess.javaCli(), "--data-dir", tmp.resolve("b").toString(), "--bootstrap", a.addr(), "--topic", "chat");
    nodes.add(b);
    a.awaitEvent("peer-connected", e -> e.path("peerId").asText().equals(b.peerId()));
    return a;
  }

  @Test
  void statusAndMetricsDescribeTheNodeAndChangeNothing() throws Exception {
    NodeProcess a = twoNodes();
    String other = nodes.get(1).peerId();
    await().atMost(NodeProcess.WAIT).until(() -> {
      JsonNode s = NodeProcess.JSON.readTree(get(a.statusPort(), "/status").body());
      return s.path("dht").path("routingTableSize").asInt() == 1
          && s.path("topics").path("subscribed").get(0).path("topicPeers").asInt() == 1;
    });
    HttpResponse<String> res = get(a.statusPort(), "/status");
    assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode s = NodeProcess.JSON.readTree(res.body());
    assertThat(s.path("peerId").asText()).isEqualTo(a.peerId());
    assertThat(s.path("addrs").get(0).asText()).isEqualTo(a.addr());
    JsonNode peer = s.path("peers").get(0);
    assertThat(peer.path("peerId").asText()).isEqualTo(other);
    assertThat(peer.path("agentVersion").asText()).isEqualTo("lotus-p2p-node/0.1.0");
    assertThat(peer.path("connections").get(0).path("direction").asText()).isEqualTo("inbound");
    assertThat(NodeProcess.JSON.convertValue(peer.path("protocols"), STRINGS)).contains("/lotus/kad/1.0.0", "/meshsub/1.1.0");
    assertThat(s.path("dht").path("mode").asText()).isEqualTo("server");
    assertThat(s.path("dht").path("buckets").size()).isPositive();
    assertThat(s.path("topics").path("subscribed").get(0).path("topic").asText()).isEqualTo("chat");
    assertThat(s.path("security").path("bannedPeers").isArray()).isTrue();
    assertThat(s.path("protocols").path("/ipfs/id/1.0.0").path("bytesIn").asLong()).isPositive();
    assertThat(NodeProcess.JSON.convertValue(s.path("protocolsServed"), STRINGS))
        .as("--relay-server serves the hop protocol")
        .contains("/libp2p/circuit/relay/0.2.0/hop", "/lotus/message/1.0.0", "/perf/1.0.0");
    assertThat(s.path("dataDir").path("path").asText()).isEqualTo(tmp.resolve("a").toAbsolutePath().toString());
    JsonNode cipher = s.path("noiseCipher");
    assertThat(cipher.path("implementation").asText()).isIn("native", "jdk", "java");
    assertThat(cipher.path("basis").asText()).isIn("provisional", "calibrated", "only available", "property");
    if (cipher.path("basis").asText().equals("calibrated")) {
      assertThat(cipher.path("measuredGbps").has(cipher.path("implementation").asText())).isTrue();
    }
    JsonNode secp = s.path("secp256k1");
    assertThat(secp.path("implementation").asText()).isIn("native", "bouncycastle");
    assertThat(secp.path("basis").asText()).isIn("auto", "property");
    String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
    if (os.contains("linux") && System.getProperty("os.arch").matches("amd64|x86_64")) {
      // the node process picks libsecp256k1 by itself where its library ships
      assertThat(secp.path("implementation").asText()).isEqualTo("native");
      assertThat(secp.path("description").asText()).startsWith("libsecp256k1 (ACINQ secp256k1-kmp");
    }

    HttpResponse<String> metrics = get(a.statusPort(), "/metrics");
    assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
    assertThat(metrics.body())
        .contains("lotus_p2p_connections{direction=\"inbound\"} 1.0")
        .contains("lotus_p2p_peers_connected 1.0")
        .contains("lotus_p2p_dht_routing_table_peers 1.0")
        .contains("lotus_p2p_refusals_total{reason=\"PEER_BANNED\"} 0.0")
        .contains("lotus_p2p_host_refusals_total{reason=\"pending-per-ip\"} 0.0")
        .contains("lotus_p2p_gossip_mesh_peers{topic=\"chat\"}")
        .contains("lotus_p2p_streams{protocol=")
        .contains("lotus_p2p_protocol_bytes_total{direction=\"in\",protocol=\"/ipfs/id/1.0.0\"}")
        .contains("jvm_memory_used_bytes")
        .contains("# TYPE lotus_p2p_dht_query_seconds histogram");

    // read-only: other methods are refused, and the node is unchanged by all of this
    HttpResponse<String> post = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.statusPort() + "/status"))
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    // an oversized request is refused and the server keeps serving
    HttpResponse<String> big = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.statusPort() + "/status"))
            .header("X-Filler", "x".repeat(64 * 1024)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(big.statusCode()).isEqualTo(431);
    assertThat(get(a.statusPort(), "/status").statusCode()).isEqualTo(200);
    assertThat(a.lines).noneMatch(l -> l.contains("\"peer-disconnected\""));
  }

  /** Where the Debian package puts Chromium; .ci/run installs it. */
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void theStatusPageRendersInAHeadlessBrowser() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      // in CI the set-up installs it, so its absence there is a failure, not a skip
      assertThat(System.getenv("CI")).as("Chromium missing in CI: .ci/run installs the Debian package chromium").isNotEqualTo("true");
      Assumptions.abort("Chromium is not installed (apt-get install chromium): the browser rendering is not checked here");
    }
    NodeProcess a = twoNodes();
    String other = nodes.get(1).peerId();
    Path profile = Files.createDirectory(tmp.resolve("chromium-profile"));
    Path shot = tmp.resolve("status.png");
    String url = "http://127.0.0.1:" + a.statusPort() + "/";
    List<String> flags = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile);
    List<String> dump = new ArrayList<>(flags);
    dump.addAll(List.of("--dump-dom", url));
    Process p = new ProcessBuilder(dump).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(dom)
        .contains("<title>lotus-p2p node ")
        .contains("<code id=\"peer-id\">" + a.peerId() + "</code>")
        .contains("<span id=\"peer-count\">1</span>")
        .contains(other)
        .contains("<span id=\"dht-mode\">server</span>")
        .contains("chat");
    List<String> screenshot = new ArrayList<>(flags);
    screenshot.addAll(List.of("--window-size=1200,900", "--screenshot=" + shot, url));
    Process s = new ProcessBuilder(screenshot).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(s.waitFor(60, TimeUnit.SECONDS)).isTrue();
    byte[] png = Files.readAllBytes(shot);
    assertThat(png.length).as("a rendered page").isGreaterThan(10_000);
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    Path keep = Path.of("target", "status-page.png");
    Files.copy(shot, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
