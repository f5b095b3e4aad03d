package org.lotusia.libp2p.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * The GossipSub network simulation at full size: 100 nodes on the in-memory transport, each
 * dialling 8 random others, one topic, 1,000 messages of 1 KiB from random publishers; then the
 * same with 10 % of the nodes killed half-way, and with 10 % of the nodes spamming invalid
 * messages. Prints delivery, latency, duplicates, bytes and graylisting per scenario.
 *
 * <p>Properties: {@code bench.nodes} (100), {@code bench.dials} (8), {@code bench.messages} (1000),
 * {@code bench.bytes} (1024), {@code bench.rate} (messages per second, 20), {@code bench.scenarios}
 * (any of {@code plain,kill,spam}, default all). Not a test.
 */
public final class GossipSimulationBench {

  private GossipSimulationBench() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    GossipSimulation.Params base =
        new GossipSimulation.Params(
            Integer.getInteger("bench.nodes", 100),
            Integer.getInteger("bench.dials", 8),
            Integer.getInteger("bench.messages", 1000),
            Integer.getInteger("bench.bytes", 1024),
            Integer.getInteger("bench.rate", 20),
            0,
            0,
            20,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            1);
    String scenarios = System.getProperty("bench.scenarios", "plain,kill,spam");
    System.out.printf(
        Locale.ROOT,
        "# GossipSimulationBench JDK %s, %d cores: %d nodes dialling %d, %d messages of %d bytes"
            + " at %d/s, heartbeat 1 s%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        base.nodes(),
        base.dialsPerNode(),
        base.messages(),
        base.messageBytes(),
        base.publishesPerSecond());
    if (scenarios.contains("plain")) {
      report("all nodes honest and alive", new GossipSimulation(base).run());
    }
    if (scenarios.contains("kill")) {
      report("10 % of the nodes killed half-way", new GossipSimulation(base.withKill(0.1)).run());
    }
    if (scenarios.contains("spam")) {
      report(
          "10 % of the nodes spam invalid messages (20/s each)",
          new GossipSimulation(base.withSpam(0.1)).run());
    }
  }

  private static void report(String name, GossipSimulation.Result r) {
    System.out.printf(Locale.ROOT, "%n## %s%n%s", name, r.describe());
  }
}
