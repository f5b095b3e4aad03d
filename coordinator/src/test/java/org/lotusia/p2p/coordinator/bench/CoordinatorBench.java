package org.lotusia.p2p.coordinator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.lotusia.p2p.coordinator.AnnounceOptions;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.PeerInfo;
import org.lotusia.p2p.coordinator.ProtocolHandler;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.security.SecurityLimits;

/**
 * Coordinator figures for docs/BENCHMARKS.md: direct messages per second between two coordinators
 * over one connection (lotus-sdk's framing: one stream per message), a broadcast to 50 peers, and
 * discover latency in a 20-node network. Run with {@code scripts/bench coordinator
 * org.lotusia.p2p.coordinator.bench.CoordinatorBench}; {@code -Dbench.messages=N} sets the message
 * count (default 50,000).
 */
public final class CoordinatorBench {

  private CoordinatorBench() {}

  /** A counting handler. */
  private static final class Counter implements ProtocolHandler {
    final AtomicInteger n = new AtomicInteger();
    volatile CountDownLatch done = new CountDownLatch(1);
    volatile int target;

    @Override
    public String protocolName() {
      return "bench";
    }

    @Override
    public void handleMessage(P2PMessage message, PeerInfo from) {
      if (n.incrementAndGet() == target) {
        done.countDown();
      }
    }
  }

  private static P2PConfig config() {
    return P2PConfig.builder()
        .listen("/ip4/127.0.0.1/tcp/0")
        .dhtServer(true)
        .handlerQueueCapacity(100_000)
        // a benchmark sender is one peer sending as fast as it can: lift the per-peer rate limit
        .securityLimits(SecurityLimits.builder().messageRatePerSecond(1_000_000).messageBurst(1_000_000).build())
        .build();
  }

  private static P2PCoordinator start() {
    P2PCoordinator c = new P2PCoordinator(config());
    c.start().join();
    return c;
  }

  /** Runs the benchmarks named in {@code args} ({@code messages}, {@code broadcast}, {@code discover}); all by default. */
  public static void main(String[] args) throws Exception {
    int messages = Integer.getInteger("bench.messages", 50_000);
    System.out.printf("JDK %s, %d cores%n", Runtime.version(), Runtime.getRuntime().availableProcessors());
    java.util.Set<String> parts =
        args.length == 0 ? java.util.Set.of("messages", "broadcast", "discover") : java.util.Set.of(args);
    if (parts.contains("messages")) {
      directMessages(messages, true);
      directMessages(messages, false);
    }
    if (parts.contains("broadcast")) {
      broadcast(50);
    }
    if (parts.contains("discover")) {
      discover(20);
    }
  }

  /**
   * One coordinator sends {@code total} messages to another: on a message channel, or (the
   * receiver serving no channels, as a lotus-sdk node) on one stream each.
   */
  private static void directMessages(int total, boolean channel) throws Exception {
    P2PConfig receiver =
        channel ? config() : config().toBuilder().messageChannelIdle(java.time.Duration.ZERO).build();
    try (P2PCoordinator a = start();
        P2PCoordinator b = new P2PCoordinator(receiver)) {
      b.start().join();
      Counter counter = new Counter();
      b.registerProtocol(counter);
      a.connectToPeer(b.getStats().multiaddrs().get(0)).join();
      for (int round = 0; round < 3; round++) {
        int count = round == 0 ? Math.min(total, 5000) : total; // the first round warms up
        counter.n.set(0);
        counter.target = count;
        counter.done = new CountDownLatch(1);
        Semaphore inFlight = new Semaphore(128);
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
            new java.util.concurrent.atomic.AtomicReference<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
          inFlight.acquire();
          a.sendTo(b.peerId(), a.createMessage("m", Map.of("i", i), "bench"))
              .whenComplete(
                  (v, e) -> {
                    inFlight.release();
                    if (e != null) {
                      failed.incrementAndGet();
                      failure.compareAndSet(null, e);
                    }
                  });
        }
        // a failed send is reported to the sender; the rest must all arrive
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (counter.n.get() + failed.get() < count && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (counter.n.get() + failed.get() < count) {
          throw new IllegalStateException(
              "only " + counter.n.get() + " of " + count + " messages arrived, " + failed.get() + " sends failed");
        }
        if (round > 0) {
          System.out.printf(
              "direct messages: %d in %.2f s = %.0f messages/s (128 in flight, %s)%s%n",
              counter.n.get(), s, counter.n.get() / s, channel ? "one message channel" : "one stream each",
              failed.get() == 0 ? "" : "; " + failed.get() + " sends failed: " + failure.get()
                  + " (receiver: " + b.networkComponents().orElseThrow().host().stats() + ")");
        }
      }
    }
  }

  private static void broadcast(int peers) throws Exception {
    // the hub keeps every spoke: lotus-sdk's default of 50 connections would trim some of them
    P2PCoordinator hub = new P2PCoordinator(config().toBuilder().maxConnections(4 * peers).build());
    hub.start().join();
    List<P2PCoordinator> spokes = new ArrayList<>();
    try {
      Counter shared = new Counter(); // every spoke counts into one latch per round
      for (int i = 0; i < peers; i++) {
        P2PCoordinator s = start();
        s.registerProtocol(shared);
        spokes.add(s);
        hub.connectToPeer(s.getStats().multiaddrs().get(0)).join();
      }
      long[] ms = new long[20];
      for (int round = 0; round < ms.length; round++) {
        shared.n.set(0);
        shared.target = peers;
        shared.done = new CountDownLatch(1);
        long t0 = System.nanoTime();
        hub.broadcast(hub.createMessage("b", Map.of("round", round), "bench")).join();
        if (!shared.done.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("only " + shared.n.get() + " of " + peers + " peers got the broadcast");
        }
        ms[round] = (System.nanoTime() - t0) / 1_000_000;
      }
      Arrays.sort(ms);
      System.out.printf(
          "broadcast to %d peers, until every peer's handler has it: median %d ms, max %d ms (20 rounds)%n",
          peers, ms[ms.length / 2], ms[ms.length - 1]);
    } finally {
      for (P2PCoordinator s : spokes) {
        s.close();
      }
      hub.close();
    }
  }

  private static void discover(int n) throws Exception {
    List<P2PCoordinator> nodes = new ArrayList<>();
    try {
      P2PCoordinator seed = start();
      nodes.add(seed);
      String seedAddr = seed.getStats().multiaddrs().get(0);
      for (int i = 1; i < n; i++) {
        P2PCoordinator c =
            new P2PCoordinator(config().toBuilder().bootstrapPeers(seedAddr).build());
        c.start().join();
        nodes.add(c);
      }
      // a node that joined early may know only the seed: lookups through it still reach every node
      for (P2PCoordinator c : nodes) {
        while (c.getDHTStats().routingTableSize() < 1) {
          Thread.sleep(50);
        }
      }
      for (int i = 0; i < n; i++) {
        nodes.get(i)
            .announceResource("bench", "r" + i, Map.of("i", i), AnnounceOptions.ttl(Duration.ofMinutes(10)))
            .join();
      }
      long[] byKey = new long[n * 5];
      long[] byType = new long[n];
      int k = 0;
      for (int i = 0; i < n; i++) {
        P2PCoordinator reader = nodes.get(i);
        for (int j = 1; j <= 5; j++) {
          long t0 = System.nanoTime();
          if (reader.discoverResource("bench", "r" + ((i + j * 3) % n)).join().isEmpty()) {
            throw new IllegalStateException("not found");
          }
          byKey[k++] = (System.nanoTime() - t0) / 1000;
        }
        long t0 = System.nanoTime();
        int found = reader.discoverResources("bench").join().size();
        byType[i] = (System.nanoTime() - t0) / 1000;
        if (found != n) {
          System.out.printf("  node %d found %d of %d by type%n", i, found, n);
        }
      }
      Arrays.sort(byKey);
      Arrays.sort(byType);
      System.out.printf(
          "discover in %d nodes: by key median %.1f ms, p95 %.1f ms; all of a type (%d) median %.1f ms, p95 %.1f ms%n",
          n,
          byKey[byKey.length / 2] / 1000.0,
          byKey[byKey.length * 95 / 100] / 1000.0,
          n,
          byType[byType.length / 2] / 1000.0,
          byType[byType.length * 95 / 100] / 1000.0);
    } finally {
      for (P2PCoordinator c : nodes) {
        c.close();
      }
    }
  }
}
