package org.lotusia.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Proves the js reference peers themselves: two js-libp2p nodes talk through every command the Java
 * interop tests rely on. When a Java-to-js test fails, this one tells whether the harness is at fault.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsPeerHarnessTest {
  private JsPeer a;
  private JsPeer b;

  @BeforeAll
  void start() {
    JsInterop.requireJsPeer();
    a = new JsPeer("harness-a");
    b = new JsPeer("harness-b");
    a.awaitReady(Duration.ofSeconds(60));
    b.awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  @Test
  void dialsIdentifiesAndPings() {
    JsonNode conn = a.cmd("dial", Map.of("addr", b.addr()));
    assertThat(conn.get("encryption").asText()).isEqualTo("/noise");
    assertThat(conn.get("multiplexer").asText()).isEqualTo("/yamux/1.0.0");
    JsonNode identify = a.awaitEvent(e -> "identify".equals(e.path("event").asText())
        && b.peerId().equals(e.path("peer").asText()), Duration.ofSeconds(20));
    assertThat(identify.get("protocols").toString()).contains(JsPeer.ECHO, "/ipfs/ping/1.0.0");
    assertThat(a.cmd("ping", Map.of("peer", b.peerId())).get("rttMs").asDouble()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void streamsCarryBytesBothWays() {
    a.cmd("dial", Map.of("addr", b.addr()));
    assertThat(a.cmd("echo", Map.of("peer", b.peerId(), "streams", 20, "bytes", 4096)).get("streams").asInt())
        .isEqualTo(20);
    int size = 1 << 20;
    JsonNode sink = a.cmd("sink", Map.of("peer", b.peerId(), "bytes", size));
    JsonNode source = a.cmd("source", Map.of("peer", b.peerId(), "bytes", size));
    assertThat(sink.get("sha256").asText()).isEqualTo(source.get("sha256").asText());
  }

  @Test
  void failuresAreReported() {
    assertThatThrownBy(() -> a.cmd("dial", Map.of("addr", "/ip4/127.0.0.1/tcp/1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("failed dial");
  }
}
