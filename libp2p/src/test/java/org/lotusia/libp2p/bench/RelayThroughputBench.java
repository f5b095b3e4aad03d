package org.lotusia.libp2p.bench;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.libp2p.interop.JsPeer;
import org.lotusia.libp2p.interop.TestProtocols;
import org.lotusia.libp2p.protocol.relay.CircuitRelay;
import org.lotusia.libp2p.protocol.relay.RelayService;
import org.lotusia.libp2p.protocol.relay.RelayServiceConfig;

/**
 * Single-stream throughput of one relayed circuit beside a direct connection, three Java hosts on
 * TCP loopback in one process: B downloads N bytes from A over a direct connection, then over a
 * circuit through relay R (a relay without limits, so the circuit carries the whole transfer). The
 * relayed bytes cross two Noise+Yamux connections at the relay and are encrypted end to end by a
 * third, so expect well under half the direct figure on a machine with few cores.
 *
 * <p>Properties: {@code bench.bytes} per run (default 256 MiB), {@code bench.runs} (default 3).
 * Run with {@code scripts/bench libp2p org.lotusia.libp2p.bench.RelayThroughputBench}.
 */
public final class RelayThroughputBench {
  private RelayThroughputBench() {}

  public static void main(String[] args) throws Exception {
    long bytes = Long.getLong("bench.bytes", 256L << 20);
    int runs = Integer.getInteger("bench.runs", 3);
    System.out.printf(
        "# RelayThroughputBench java %s, %d cores, %d MiB per run, %d runs, Gbit/s = 10^9 bit/s%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        bytes >> 20,
        runs);
    Host r = host();
    Host a = host();
    Host b = host();
    RelayService relay =
        new RelayService(r, RelayServiceConfig.builder().circuitLimits(null).build());
    CircuitRelay ca = new CircuitRelay(a);
    CircuitRelay cb = new CircuitRelay(b);
    try {
      ca.reserve(r.listenAddresses().get(0)).get(30, TimeUnit.SECONDS);
      Multiaddr circuit = ca.circuitAddresses().get(0);
      Connection direct =
          b.dial(a.listenAddresses().get(0), DialOptions.FORCE).get(30, TimeUnit.SECONDS);
      Connection relayed = b.dial(circuit, DialOptions.FORCE).get(30, TimeUnit.SECONDS);
      download(direct, 64L << 20); // warm-up of both paths (JIT, windows)
      download(relayed, 64L << 20);
      for (int i = 0; i < runs; i++) {
        report("direct   B -> A  TCP+Noise+Yamux", bytes, download(direct, bytes));
        report("relayed  B -> R -> A  circuit v2", bytes, download(relayed, bytes));
      }
    } finally {
      cb.close();
      ca.close();
      relay.close();
      b.closeAsync().get(30, TimeUnit.SECONDS);
      a.closeAsync().get(30, TimeUnit.SECONDS);
      r.closeAsync().get(30, TimeUnit.SECONDS);
    }
  }

  private static Host host() throws Exception {
    Host h = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
    TestProtocols.serve(h);
    h.start().get(30, TimeUnit.SECONDS);
    return h;
  }

  private static void report(String what, long bytes, double seconds) {
    System.out.printf(
        "%-36s %8.1f MiB in %6.2f s = %6.3f Gbit/s%n",
        what, bytes / 1048576.0, seconds, bytes * 8 / seconds / 1e9);
  }

  /** Asks the source protocol on {@code c} for {@code bytes} bytes and counts them. */
  private static double download(Connection c, long bytes) throws Exception {
    long start = System.nanoTime();
    Stream s = c.newStream(List.of(JsPeer.SOURCE)).get(30, TimeUnit.SECONDS);
    CompletableFuture<Long> done = new CompletableFuture<>();
    long[] count = {0};
    s.setReader(
        new StreamReader() {
          @Override
          public void onData(Stream stream, byte[] chunk) {
            count[0] += chunk.length;
          }

          @Override
          public void onEnd(Stream stream) {
            done.complete(count[0]);
          }

          @Override
          public void onError(Stream stream, Throwable cause) {
            done.completeExceptionally(cause);
          }
        });
    s.write(ByteBuffer.allocate(8).putLong(bytes).array());
    long got = done.get(10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    s.close();
    if (got != bytes) {
      throw new IllegalStateException("received " + got + " bytes, expected " + bytes);
    }
    return seconds;
  }
}
