package org.lotusia.libp2p.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.lotusia.libp2p.interop.JsPeer;

/**
 * js-libp2p to js-libp2p baselines on this machine: single-stream throughput over TCP+Noise+Yamux and
 * sequential full handshakes per second, both between two real js-libp2p 3.x processes.
 *
 * <p>Run: {@code mvn -B -q -pl libp2p -am test-compile exec:java -Dexec.mainClass=org.lotusia.libp2p.bench.JsBaselineBench
 * -Dexec.classpathScope=test}; optional {@code -Dbench.bytes=} (per run, default 1 GiB), {@code -Dbench.runs=} (3),
 * {@code -Dbench.handshakes=} (500).
 */
public final class JsBaselineBench {
  private JsBaselineBench() {}

  public static void main(String[] args) {
    long bytes = Long.getLong("bench.bytes", 1L << 30);
    int runs = Integer.getInteger("bench.runs", 3);
    int handshakes = Integer.getInteger("bench.handshakes", 500);
    try (JsPeer a = new JsPeer("bench-a"); JsPeer b = new JsPeer("bench-b")) {
      a.awaitReady(Duration.ofSeconds(60));
      b.awaitReady(Duration.ofSeconds(60));
      a.cmd("dial", Map.of("addr", b.addr()));
      a.cmd("source", Map.of("peer", b.peerId(), "bytes", 64L << 20, "verify", false)); // warm-up
      for (int i = 0; i < runs; i++) {
        JsonNode r = a.cmd("source", Map.of("peer", b.peerId(), "bytes", bytes, "verify", false));
        System.out.printf("js->js throughput run %d: %d bytes in %.0f ms = %.2f Gbit/s%n",
            i + 1, bytes, r.get("elapsedMs").asDouble(), bytes * 8 / r.get("elapsedMs").asDouble() / 1e6);
      }
      a.cmd("handshakes", Map.of("addr", b.addr(), "count", 50, "concurrency", 1)); // warm-up
      JsonNode h = a.cmd("handshakes", Map.of("addr", b.addr(), "count", handshakes, "concurrency", 1));
      System.out.printf("js->js full handshakes (TCP+Noise+Yamux, sequential): %d in %.0f ms = %.0f/s%n",
          h.get("count").asInt(), h.get("elapsedMs").asDouble(), h.get("perSecond").asDouble());
    }
  }
}
