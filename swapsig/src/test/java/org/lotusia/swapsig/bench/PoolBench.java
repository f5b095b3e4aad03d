package org.lotusia.swapsig.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.swapsig.SwapHandle;
import org.lotusia.swapsig.SwapOutcome;
import org.lotusia.swapsig.SwapSigEvent;
import org.lotusia.swapsig.testing.MemoryNet;
import org.lotusia.swapsig.testing.PoolHarness;
import org.lotusia.swapsig.wire.PoolAnnouncement;

/**
 * Whole SwapSig pools on the chain simulator with blocks on a timer, participants on the in-memory
 * network (real threads, real Chronik HTTP to the simulator). Per run: the time from the pool's
 * creation to the last participant's confirmed payout, the split at the end of setup confirmation,
 * and per participant the transactions and chain bytes the pool put on the chain (setup and
 * settlement) and the bytes of P2P messages it sent (pool messages and MuSig2 session messages).
 *
 * <p>Run: {@code scripts/bench swapsig org.lotusia.swapsig.bench.PoolBench [participants]
 * [block-ms] [runs]} (defaults 10, 1000, 3).
 */
public final class PoolBench {

  private PoolBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    long blockMs = args.length > 1 ? Long.parseLong(args[1]) : 1000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    System.out.printf(
        "# PoolBench java=%s cpus=%d participants=%d block_ms=%d runs=%d%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        n,
        blockMs,
        runs);
    System.out.println(
        "run\ttotal_ms\tsetup_confirmed_ms\ttx_per_participant\tchain_bytes_per_participant"
            + "\tp2p_bytes_per_participant\tp2p_messages_per_participant");
    long[] totals = new long[runs];
    for (int r = 0; r < runs; r++) {
      totals[r] = run(r, n, blockMs);
    }
    Arrays.sort(totals);
    System.out.printf("# median total_ms %d%n", totals[runs / 2]);
  }

  private static long run(int r, int n, long blockMs) throws Exception {
    try (PoolHarness h = PoolHarness.start(n, Duration.ofMillis(blockMs))) {
      int before = h.net.sent().size();
      long[] setupDone = {0};
      long t0 = System.nanoTime();
      h.participants.get(0).swaps.addListener(e -> {
        if (e instanceof SwapSigEvent.SetupComplete) {
          setupDone[0] = System.nanoTime();
        }
      });
      PoolAnnouncement pool =
          h.createPool(PoolHarness.params(n).setupConfirmTimeout(Duration.ofMinutes(10))
              .settlementTimeout(Duration.ofMinutes(5)).build());
      List<SwapHandle> handles = h.joinAll(pool);
      List<SwapOutcome> out = PoolHarness.outcomes(handles, Duration.ofMinutes(10));
      long total = (System.nanoTime() - t0) / 1_000_000;
      for (SwapOutcome o : out) {
        if (o.status() != SwapOutcome.Status.COMPLETED) {
          throw new IllegalStateException("a pool of the bench did not complete: " + o);
        }
      }
      Map<String, Integer> chainTx = new HashMap<>();
      for (PoolHarness.Peer p : h.participants) {
        for (SwapSigEvent e : p.events) {
          if (e instanceof SwapSigEvent.SetupTxBroadcast s) {
            chainTx.put(s.txid(), Transaction.fromHex(s.rawTx()).size());
          } else if (e instanceof SwapSigEvent.SettlementTxBroadcast s) {
            chainTx.put(s.txid(), Transaction.fromHex(s.rawTx()).size());
          }
        }
      }
      List<MemoryNet.Sent> sent = new ArrayList<>(h.net.sent().subList(before, h.net.sent().size()));
      long p2pBytes = sent.stream().mapToLong(s -> s.json().length()).sum();
      long chainBytes = chainTx.values().stream().mapToLong(Integer::longValue).sum();
      System.out.printf(
          "%d\t%d\t%d\t%.1f\t%d\t%d\t%d%n",
          r,
          total,
          (setupDone[0] - t0) / 1_000_000,
          chainTx.size() / (double) n,
          chainBytes / n,
          p2pBytes / n,
          sent.size() / n);
      return total;
    }
  }
}
