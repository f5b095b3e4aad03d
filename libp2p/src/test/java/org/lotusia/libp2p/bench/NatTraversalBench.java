package org.lotusia.libp2p.bench;

import java.util.ArrayList;
import java.util.List;
import org.lotusia.libp2p.netlab.NatScenario;
import org.lotusia.libp2p.netlab.NetLab;

/**
 * NAT traversal in the namespace lab, measured: time from a node's start behind NAT to a usable
 * relayed address, and the DCUtR success rate and time to upgrade over N runs (default 20) through
 * endpoint-independent NATs. Needs root, iproute2 and nftables. Run as root with {@code scripts/bench
 * libp2p org.lotusia.libp2p.bench.NatTraversalBench [runs]}.
 */
public final class NatTraversalBench {

  private NatTraversalBench() {}

  /** Runs the measurement. */
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    var why = NetLab.unavailable();
    if (why.isPresent()) {
      System.out.println("NAT lab unavailable: " + why.get());
      return;
    }
    List<Long> circuit = new ArrayList<>();
    List<Long> upgrade = new ArrayList<>();
    int direct = 0;
    try (NatScenario s = new NatScenario()) {
      for (int i = 0; i < runs; i++) {
        NatScenario.Outcome o = s.run(i, false);
        circuit.add(o.circuitMs());
        if (o.direct()) {
          direct++;
          upgrade.add(o.upgradeMs());
        }
        System.out.printf("run %2d: relayed address after %5d ms, direct=%s attempts=%d upgrade %d ms%n",
            i + 1, o.circuitMs(), o.direct(), o.attempts(), o.upgradeMs());
      }
    }
    System.out.printf("DCUtR success %d/%d (%.0f %%)%n", direct, runs, 100.0 * direct / runs);
    System.out.println("time to relayed address ms: " + stats(circuit));
    System.out.println("time to direct connection ms: " + stats(upgrade));
  }

  private static String stats(List<Long> v) {
    if (v.isEmpty()) {
      return "n/a";
    }
    List<Long> s = new ArrayList<>(v);
    s.sort(null);
    return "median " + s.get(s.size() / 2) + ", min " + s.get(0) + ", max " + s.get(s.size() - 1);
  }
}
