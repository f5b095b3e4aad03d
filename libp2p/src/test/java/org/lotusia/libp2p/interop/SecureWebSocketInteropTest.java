package org.lotusia.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lotusia.libp2p.interop.JsLibp2pInteropTest.join;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lotusia.libp2p.stack.Transports;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.WebSocketOptions;
import org.lotusia.libp2p.WebSocketTls;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.testing.TestCertificates;

/**
 * Secure WebSocket against js-libp2p's {@code @libp2p/websockets} 10.1.21, both ways, with a
 * certificate the test makes: js listens on {@code /wss} with it ({@code https} options; js reports
 * the address as {@code /tls/ws}) and the Java dialler trusts the test CA; the
 * Java node listens on {@code /wss} and js dials it trusting the CA through Node's {@code
 * NODE_EXTRA_CA_CERTS}.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SecureWebSocketInteropTest {

  private static final TestCertificates CERTS = TestCertificates.create("localhost", "127.0.0.1");

  @TempDir Path dir;
  private Host java;

  @BeforeEach
  void start() {
    JsInterop.requireJsPeer();
    WebSocketTls tls =
        WebSocketTls.builder()
            .certificatePem(CERTS.chainPem(dir), CERTS.keyPem(dir))
            .trustPem(CERTS.caPem(dir))
            .build();
    java =
        new HostBuilder()
            .transports(Transports.tcp(), Transports.websocket(WebSocketOptions.DEFAULT, tls))
            .listen("/ip4/127.0.0.1/tcp/0/wss")
            .build();
    java.addProtocol(new Ping());
    TestProtocols.serve(java);
    join(java.start());
  }

  @AfterEach
  void stop() {
    if (java != null) {
      join(java.closeAsync());
    }
  }

  private static byte[] echo(Connection c, int size) {
    byte[] payload = new byte[size];
    new SecureRandom().nextBytes(payload);
    Stream s = join(c.newStream(List.of(JsPeer.ECHO)));
    join(s.write(payload).thenCompose(v -> s.closeWrite()));
    byte[] back = join(s.readAll(size + 1));
    assertThat(back).isEqualTo(payload);
    return back;
  }

  @Test
  void javaDialsJsOverTlsWebSocket() {
    try (JsPeer js =
        new JsPeer(
            "wss-listener",
            "--wss-cert", CERTS.chainPem(dir).toString(),
            "--wss-key", CERTS.keyPem(dir).toString())) {
      String tlsWs =
          StreamSupport.stream(
                  js.awaitReady(Duration.ofSeconds(60)).get("addrs").spliterator(), false)
              .map(JsonNode::asText)
              .filter(a -> a.contains("/tls/ws/"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("js reports no /tls/ws address"));

      Connection c = join(java.dial(Multiaddr.parse(tlsWs)));

      assertThat(c.remotePeer()).isEqualTo(PeerId.parse(js.peerId()));
      assertThat(c.remoteAddress().toString()).contains("/tls/ws");
      assertThat(join(join(java.newStream(c, new Ping())).ping())).isPositive();
      echo(c, 200_000);
    }
  }

  @Test
  void jsDialsJavaOverWss() {
    try (JsPeer js =
        new JsPeer(
            "wss-dialer",
            Map.of("NODE_EXTRA_CA_CERTS", CERTS.caPem(dir).toString()),
            "--ws")) {
      js.awaitReady(Duration.ofSeconds(60));
      Multiaddr wss = java.listenAddresses().get(0);
      assertThat(wss.toString()).contains("/wss");

      JsonNode conn = js.cmd("dial", Map.of("addr", wss.withPeerId(java.peerId()).toString()));
      assertThat(conn.get("peer").asText()).isEqualTo(java.peerId().toString());
      assertThat(js.cmd("ping", Map.of("peer", java.peerId().toString())).get("rttMs").asDouble())
          .isGreaterThanOrEqualTo(0);
      JsonNode echoed =
          js.cmd("echo", Map.of("peer", java.peerId().toString(), "streams", 4, "bytes", 50_000));
      assertThat(echoed.get("streams").asInt()).isEqualTo(4);
    }
  }
}
