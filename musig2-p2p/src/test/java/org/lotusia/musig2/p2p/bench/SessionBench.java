package org.lotusia.musig2.p2p.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.musig2.p2p.Broadcaster;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionOptions;
import org.lotusia.musig2.p2p.sim.SimCluster;

/**
 * Whole MuSig2 sessions between session managers on the in-memory network, every participant
 * on one thread (simulated time, so the figures are computation alone: key aggregation, message
 * signatures and their verification, nonces, partial signatures, JSON encoding and parsing).
 *
 * <p>1. Wall and CPU time of one n-of-n session, from create to every participant's result, for
 * each n; median of the runs after one warm-up run. 2. Sessions per second that one creator
 * coordinates: k concurrent 2-of-2 sessions, each with its own partner, all created at once; the
 * figure includes the partners' work, which runs on the same thread.
 *
 * <p>Run: {@code scripts/bench musig2-p2p org.lotusia.musig2.p2p.bench.SessionBench [runs]
 * [n,n,...] [k]} (defaults 5, 2,10,50 and 200).
 */
public final class SessionBench {

  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  private SessionBench() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int[] sizes =
        args.length > 1
            ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
            : new int[] {2, 10, 50};
    int k = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    System.out.printf(
        "# SessionBench java=%s vm=%s cpus=%d provider=%s runs=%d%n",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(),
        Secp256k1.defaultProvider().getClass().getSimpleName(),
        runs);
    System.out.println("# whole session, all participants on one thread");
    System.out.println("n\twall_ms_median\twall_ms_min\tcpu_ms_median\tms_per_signer");
    for (int n : sizes) {
      session(n, 1); // warm-up
      long[] wall = new long[runs];
      long[] cpu = new long[runs];
      for (int r = 0; r < runs; r++) {
        long[] t = session(n, 100 + r);
        wall[r] = t[0];
        cpu[r] = t[1];
      }
      Arrays.sort(wall);
      Arrays.sort(cpu);
      double med = wall[runs / 2] / 1e6;
      System.out.printf("%d\t%.1f\t%.1f\t%.1f\t%.2f%n", n, med, wall[0] / 1e6, cpu[runs / 2] / 1e6,
          med / n);
    }
    System.out.println("# one creator coordinating k concurrent 2-of-2 sessions");
    System.out.println("k\twall_ms\tcpu_ms\tsessions_per_s_wall\tsessions_per_s_cpu");
    throughput(Math.max(10, k / 10)); // warm-up
    for (int r = 0; r < Math.max(1, runs / 2); r++) {
      long[] t = throughput(k);
      System.out.printf("%d\t%.1f\t%.1f\t%.1f\t%.1f%n", k, t[0] / 1e6, t[1] / 1e6,
          k / (t[0] / 1e9), k / (t[1] / 1e9));
    }
  }

  /** One n-of-n session; returns {wall ns, cpu ns}. */
  static long[] session(int n, long seed) {
    SimCluster c = new SimCluster(n, seed, SessionConfig.builder().maxSigners(Math.max(n, 2))
        .build());
    byte[] msg = new byte[32];
    msg[0] = (byte) seed;
    long cpu0 = MX.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    SessionHandle h = c.create(0, msg, SessionOptions.defaults());
    if (!c.runUntilAllFinished(h.sessionId(), Duration.ofMinutes(10))) {
      throw new IllegalStateException("session of " + n + " did not finish");
    }
    long wall = System.nanoTime() - t0;
    long cpu = MX.getCurrentThreadCpuTime() - cpu0;
    c.handle(1, h.sessionId()).result().join();
    return new long[] {wall, cpu};
  }

  /** k concurrent 2-of-2 sessions created by node 0; returns {wall ns, cpu ns}. */
  static long[] throughput(int k) {
    SessionConfig cfg = SessionConfig.builder().maxSessions(k + 1).build();
    SimCluster c = new SimCluster(k + 1, 7, cfg, i -> Broadcaster.NONE, false).manualJoin();
    long cpu0 = MX.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= k; i++) {
      byte[] msg = new byte[32];
      msg[0] = (byte) i;
      msg[1] = (byte) (i >> 8);
      SessionHandle h =
          c.create(0, List.of(c.publicKeys.get(0), c.publicKeys.get(i)), msg,
              SessionOptions.defaults());
      int node = i;
      c.managers.get(i).join(h.announcement(), c.keys.get(i))
          .thenAccept(j -> c.putHandle(node, j));
      ids.add(h.sessionId());
    }
    for (int i = 0; i < k; i++) {
      if (!c.runUntilFinished(ids.get(i), List.of(0, i + 1), Duration.ofMinutes(10))) {
        throw new IllegalStateException("session " + i + " did not finish");
      }
    }
    long ns = System.nanoTime() - t0;
    long cpu = MX.getCurrentThreadCpuTime() - cpu0;
    for (String id : ids) {
      c.handle(0, id).result().join();
    }
    return new long[] {ns, cpu};
  }
}
