package org.lotusia.libp2p.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.ResourceLimits;

/**
 * Heap used per idle connection: opens N connections (TCP+Noise+Yamux, identify done) from one host
 * to another in the same JVM and compares used heap after GC before and after. Both ends live in
 * this JVM, so the figure per connection end is half the difference per connection.
 *
 * <p>Arguments: {@code [connections, default 1000]}. Not a test.
 */
public final class IdleConnectionHeapBench {

  private IdleConnectionHeapBench() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int limit = n + 16;
    // All connections come from one loopback peer, which the default per-peer connection and per-IP
    // inbound rate limits exist to refuse; the bench measures idle memory, not those limits.
    ResourceLimits oneBusyPeer =
        ResourceLimits.builder()
            .inboundRatePerIp(1_000_000, 1_000_000)
            .maxPendingInbound(limit)
            .maxPendingInboundPerIp(limit)
            .maxPendingInboundPerSubnet(limit)
            .maxConnectionsPerPeer(limit)
            .build();
    Host server =
        new HostBuilder()
            .listen("/ip4/127.0.0.1/tcp/0")
            .eventLoopThreads(1)
            .connectionLimits(limit, limit, limit)
            .resourceLimits(oneBusyPeer)
            .build();
    Host client =
        new HostBuilder()
            .eventLoopThreads(1)
            .connectionLimits(limit, limit, limit)
            .resourceLimits(oneBusyPeer)
            .build();
    try {
      server.start().get();
      client.start().get();
      Multiaddr addr = server.listenAddresses().get(0);
      // Warm up classes and pools with a few connections, then close them.
      for (int i = 0; i < 20; i++) {
        client.dial(addr, DialOptions.FORCE).get().close().get();
      }
      long before = usedAfterGc();
      List<Connection> open = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        open.add(client.dial(addr, DialOptions.FORCE).get());
      }
      // Wait for identify streams on both sides to finish, so the connections are idle.
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline
          && (server.connections().size() < n
              || server.connections().stream().anyMatch(c -> !c.streams().isEmpty())
              || client.connections().stream().anyMatch(c -> !c.streams().isEmpty()))) {
        Thread.sleep(50); // polling a benchmark condition, not a test
      }
      long after = usedAfterGc();
      double perPair = (after - before) / (double) n;
      System.out.printf(
          Locale.ROOT,
          "JDK %s, %d cores: %d idle connections: heap %+.1f MiB, %.1f KiB per connection (both"
              + " ends), ~%.1f KiB per end%n",
          Runtime.version(),
          Runtime.getRuntime().availableProcessors(),
          n,
          (after - before) / 1048576.0,
          perPair / 1024,
          perPair / 2048);
      if (open.size() != n || server.connections().size() != n) {
        throw new IllegalStateException(
            "expected " + n + " connections, server has " + server.connections().size());
      }
    } finally {
      client.closeAsync().get();
      server.closeAsync().get();
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return mem.getHeapMemoryUsage().getUsed();
  }
}
