package org.lotusia.libp2p.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.ResourceLimits;
import org.lotusia.libp2p.interop.JsPeer;

/**
 * Full connection set-ups per second over loopback: TCP connect, multistream-select, Noise XX,
 * multistream-select, Yamux, then close. Java to Java one at a time and with several in flight, and
 * js-libp2p to js-libp2p one at a time in the same run (js coalesces concurrent dials to one peer,
 * so only its sequential figure is comparable).
 *
 * <p>Properties: {@code bench.handshakes} (default 1000), {@code bench.concurrency} (default 8),
 * {@code bench.js} (default true: also measure js to js). Not a test.
 */
public final class HandshakeBench {

  private HandshakeBench() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    int n = Integer.getInteger("bench.handshakes", 1000);
    int concurrency = Integer.getInteger("bench.concurrency", 8);
    System.out.printf(
        Locale.ROOT,
        "# HandshakeBench JDK %s, %d cores, %d handshakes per case%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        n);
    // Measure after the Noise cipher calibration, which runs on a background thread at first use.
    System.out.println("# Noise cipher: " + org.lotusia.libp2p.NoiseCipher.settled().get());
    // Every set-up comes from one loopback client, which the default per-IP inbound rate and
    // per-peer connection limits exist to refuse; the bench measures set-ups, not those limits.
    ResourceLimits unlimited =
        ResourceLimits.builder()
            .inboundRatePerIp(1_000_000, 1_000_000)
            .maxPendingInbound(1_000)
            .maxPendingInboundPerIp(1_000)
            .maxPendingInboundPerSubnet(1_000)
            .maxConnectionsPerPeer(1_000)
            .build();
    Host server =
        new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").resourceLimits(unlimited).build();
    Host client = new HostBuilder().resourceLimits(unlimited).build();
    try {
      server.start().get();
      client.start().get();
      Multiaddr addr = server.listenAddresses().get(0);
      // Each case gets one untimed round of its own size first, js too: a timed round that still
      // ran while the JIT compiled the code would measure the compiler.
      run(client, addr, n, 1);
      report("Java -> Java, sequential", n, run(client, addr, n, 1));
      run(client, addr, n, concurrency);
      report("Java -> Java, " + concurrency + " in flight", n, run(client, addr, n, concurrency));
    } finally {
      client.closeAsync().get();
      server.closeAsync().get();
    }
    if (Boolean.parseBoolean(System.getProperty("bench.js", "true"))) {
      try (JsPeer a = new JsPeer("bench-hs-a");
          JsPeer b = new JsPeer("bench-hs-b")) {
        a.awaitReady(Duration.ofSeconds(60));
        b.awaitReady(Duration.ofSeconds(60));
        a.cmd("handshakes", Map.of("addr", b.addr(), "count", n, "concurrency", 1));
        JsonNode r = a.cmd("handshakes", Map.of("addr", b.addr(), "count", n, "concurrency", 1));
        report(
            "js   -> js,   sequential",
            r.get("count").asInt(),
            r.get("elapsedMs").asDouble() / 1000);
      }
    }
  }

  private static void report(String what, int n, double secs) {
    System.out.printf(
        Locale.ROOT,
        "%-32s %6.0f/s  (%d in %.2f s, %.2f ms each)%n",
        what,
        n / secs,
        n,
        secs,
        secs * 1000 / n);
  }

  /**
   * Opens and closes {@code n} forced connections, {@code concurrency} at a time; returns seconds.
   */
  private static double run(Host client, Multiaddr addr, int n, int concurrency) {
    AtomicInteger left = new AtomicInteger(n);
    long start = System.nanoTime();
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      workers.add(next(client, addr, left));
    }
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    return (System.nanoTime() - start) / 1e9;
  }

  private static CompletableFuture<Void> next(Host client, Multiaddr addr, AtomicInteger left) {
    if (left.getAndDecrement() <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    return client
        .dial(addr, DialOptions.FORCE)
        .thenCompose(c -> c.close())
        .thenCompose(v -> next(client, addr, left));
  }
}
