package org.lotusia.libp2p.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import org.lotusia.libp2p.protocol.kad.KadDht;
import org.lotusia.libp2p.protocol.kad.KadSimulation;

/**
 * A Kad-DHT network on the in-memory transport: starts N server nodes (each dials one random
 * earlier node, then all bootstrap), reports the routing-table fill and the heap per idle node,
 * puts K random keys from random nodes and gets each from another random node (stopping at the
 * first value), then kills 20 % of the nodes and gets every record live nodes still store.
 * Reports success rates, median and p95 hops (lookup rounds) and lookup times.
 *
 * <p>Arguments: {@code [nodes, default 500] [keys, default 1000]}. Not a test.
 */
public final class KadSimulationBench {

  private KadSimulationBench() {}

  /** Runs the simulation. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int k = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    long before = usedAfterGc();
    try (KadSimulation sim = new KadSimulation(1)) {
      sim.start(n);
      long idle = usedAfterGc();
      List<KadDht> nodes = sim.nodes();
      int min = nodes.stream().mapToInt(KadDht::routingTableSize).min().orElse(0);
      double mean = nodes.stream().mapToInt(KadDht::routingTableSize).average().orElse(0);
      System.out.printf(
          Locale.ROOT,
          "nodes %d, joined in %d ms, bootstrapped (two rounds) in %d ms%n"
              + "routing table: mean %.1f peers, min %d%n"
              + "heap per idle node: %.2f MiB (%d MiB for all)%n",
          n,
          sim.joinMillis(),
          sim.bootstrapMillis(),
          mean,
          min,
          (idle - before) / (double) n / (1 << 20),
          (idle - before) >> 20);
      report("put", sim.put(k, 16));
      report("get", sim.getAll(16));
      sim.kill(0.2);
      System.out.printf(Locale.ROOT, "killed 20 %%: %d nodes live%n", sim.live().size());
      report("get after kill (records still stored)", sim.getStillStored(16));
    }
  }

  private static void report(String what, KadSimulation.Outcome o) {
    System.out.printf(
        Locale.ROOT,
        "%s: %d/%d succeeded (%.1f %%); hops median %d, p95 %d; time median %d ms, p95 %d ms%n",
        what,
        o.succeeded(),
        o.attempted(),
        100 * o.successRate(),
        o.hops().isEmpty() ? 0 : o.hopsQuantile(0.5),
        o.hops().isEmpty() ? 0 : o.hopsQuantile(0.95),
        o.millis().isEmpty() ? 0 : o.millisQuantile(0.5),
        o.millis().isEmpty() ? 0 : o.millisQuantile(0.95));
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200); // let the collector settle between requests; a benchmark, not a test
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
