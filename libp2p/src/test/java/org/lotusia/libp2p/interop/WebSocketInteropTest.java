package org.lotusia.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.interop.JsLibp2pInteropTest.join;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.protocol.ping.PingSession;
import org.lotusia.libp2p.stack.Transports;

/**
 * The Java host against js-libp2p 3.3 with {@code @libp2p/websockets} over {@code /tcp/<port>/ws} +
 * Noise + Yamux, in both directions: ping, echo, identify and 4 MiB each way checked byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WebSocketInteropTest {
  private static final int BIG = 4 << 20;

  private Host java;
  private final Map<Connection, IdentifyInfo> identifiedOn = new ConcurrentHashMap<>();

  @BeforeAll
  void start() {
    JsInterop.requireJsPeer();
    java =
        new HostBuilder()
            .transports(Transports.tcp(), Transports.websocket())
            .listen("/ip4/127.0.0.1/tcp/0")
            .listen("/ip4/127.0.0.1/tcp/0/ws")
            .build();
    java.addProtocol(new Ping());
    TestProtocols.serve(java);
    java.addListener(
        new HostListener() {
          @Override
          public void identifyCompleted(Connection connection, IdentifyInfo info) {
            identifiedOn.put(connection, info);
          }
        });
    join(java.start());
  }

  @AfterAll
  void stop() {
    if (java != null) {
      join(java.closeAsync());
    }
  }

  private static String wsAddr(JsPeer peer) {
    return StreamSupport.stream(
            peer.awaitReady(Duration.ofSeconds(60)).get("addrs").spliterator(), false)
        .map(JsonNode::asText)
        .filter(a -> a.contains("/ws/"))
        .findFirst()
        .orElseThrow();
  }

  private Multiaddr javaWs() {
    return java.listenAddresses().stream()
        .filter(a -> a.toString().contains("/ws"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void javaDialsJsOverWebSocket() {
    try (JsPeer js = new JsPeer("ws-listener", "--ws")) {
      Multiaddr target = Multiaddr.parse(wsAddr(js));
      Connection c = join(java.dial(target));
      assertThat(c.remotePeer()).isEqualTo(PeerId.parse(js.peerId()));
      assertThat(c.remoteAddress().withoutPeerId()).isEqualTo(target.withoutPeerId());
      assertThat(c.securityProtocol()).isEqualTo("/noise");
      assertThat(c.muxerProtocol()).isEqualTo("/yamux/1.0.0");

      await().atMost(Duration.ofSeconds(20)).until(() -> identifiedOn.containsKey(c));
      IdentifyInfo info = identifiedOn.get(c);
      assertThat(info.listenAddrs()).contains(target.withoutPeerId());
      // js saw our outbound socket, as a WebSocket address
      assertThat(info.observedAddr().map(Multiaddr::withoutPeerId))
          .contains(c.localAddress().withoutPeerId());
      assertThat(c.localAddress().toString()).endsWith("/ws");

      JsonNode peers = js.cmd("peers", Map.of());
      assertThat(peers.get("connections").get(0).get("remoteAddr").asText())
          .startsWith(c.localAddress().withoutPeerId().toString());

      PingSession ping = join(java.newStream(c, new Ping()));
      for (int i = 0; i < 3; i++) {
        assertThat(join(ping.ping())).isPositive();
      }
      join(ping.close());

      byte[] payload = new byte[100_000];
      new SecureRandom().nextBytes(payload);
      Stream echo = join(c.newStream(List.of(JsPeer.ECHO)));
      join(echo.write(payload).thenCompose(v -> echo.closeWrite()));
      assertThat(join(echo.readAll(1 << 20))).isEqualTo(payload);

      Stream toSink = join(c.newStream(List.of(JsPeer.SINK)));
      byte[] sent = join(TestProtocols.sendPattern(toSink, BIG));
      join(toSink.closeWrite());
      assertThat(join(toSink.readAll(64)))
          .as("js checked every byte and answers their SHA-256")
          .isEqualTo(sent);

      Stream fromSource = join(c.newStream(List.of(JsPeer.SOURCE)));
      join(fromSource.write(ByteBuffer.allocate(8).putLong(BIG).array()));
      assertThat(join(TestProtocols.receivePattern(fromSource)).bytes()).isEqualTo(BIG);
      join(c.close());
    }
  }

  @Test
  void jsDialsJavaOverWebSocket() {
    try (JsPeer js = new JsPeer("ws-dialer", "--ws")) {
      js.awaitReady(Duration.ofSeconds(60));
      PeerId jsId = PeerId.parse(js.peerId());
      JsonNode conn = js.cmd("dial", Map.of("addr", javaWs().toString()));
      assertThat(conn.get("peer").asText()).isEqualTo(java.peerId().toString());
      assertThat(conn.get("encryption").asText()).isEqualTo("/noise");
      assertThat(conn.get("multiplexer").asText()).isEqualTo("/yamux/1.0.0");
      assertThat(conn.get("remoteAddr").asText()).contains("/ws");

      await().atMost(Duration.ofSeconds(10)).until(() -> !java.connections(jsId).isEmpty());
      Connection c = java.connections(jsId).get(0);
      assertThat(c.remoteAddress().toString()).endsWith("/ws");

      JsonNode seen =
          js.awaitEvent(
              e ->
                  "identify".equals(e.path("event").asText())
                      && java.peerId().toString().equals(e.path("peer").asText()),
              Duration.ofSeconds(20));
      assertThat(seen.get("listenAddrs").toString()).contains(javaWs().withoutPeerId().toString());
      assertThat(seen.get("observedAddr").asText()).endsWith("/ws");

      assertThat(js.cmd("ping", Map.of("addr", javaWs().toString())).get("rttMs").asDouble())
          .isGreaterThanOrEqualTo(0);
      String peer = java.peerId().toString();
      assertThat(
              js.cmd("echo", Map.of("peer", peer, "streams", 10, "bytes", 65536))
                  .get("streams")
                  .asInt())
          .isEqualTo(10);
      JsonNode sink = js.cmd("sink", Map.of("peer", peer, "bytes", BIG));
      JsonNode source = js.cmd("source", Map.of("peer", peer, "bytes", BIG));
      assertThat(sink.get("sha256").asText()).isEqualTo(source.get("sha256").asText());
      assertThat(source.get("bytes").asLong()).isEqualTo(BIG);
      assertThat(java.connections(jsId))
          .allSatisfy(x -> assertThat(x.remoteAddress().toString()).endsWith("/ws"));
    }
  }
}
