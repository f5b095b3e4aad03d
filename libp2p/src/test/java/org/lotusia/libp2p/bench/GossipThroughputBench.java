package org.lotusia.libp2p.bench;

import java.util.Locale;
import org.lotusia.libp2p.protocol.pubsub.GossipSubConfig;

/**
 * One GossipSub node's throughput: messages per second it verifies (Ed25519 StrictSign), delivers
 * and forwards to its mesh, fed by 4 peers and forwarding to 6; see {@link GossipThroughput}.
 *
 * <p>Properties: {@code bench.messages} (default 50000), {@code bench.bytes} (1024), {@code
 * bench.threads} (validation threads, default max(2, cores)), {@code bench.concurrency} (messages
 * of the one topic validated at once, default the thread count), {@code bench.runs} (3). Not a
 * test.
 */
public final class GossipThroughputBench {

  private GossipThroughputBench() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    int messages = Integer.getInteger("bench.messages", 50_000);
    int bytes = Integer.getInteger("bench.bytes", 1024);
    int threads =
        Integer.getInteger(
            "bench.threads", Math.max(2, Runtime.getRuntime().availableProcessors()));
    int concurrency = Integer.getInteger("bench.concurrency", threads);
    int runs = Integer.getInteger("bench.runs", 3);
    System.out.printf(
        Locale.ROOT,
        "# GossipThroughputBench JDK %s, %d cores: %d messages of %d bytes, 4 feeders, 6"
            + " receivers, %d validation threads, %d per topic%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        messages,
        bytes,
        threads,
        concurrency);
    GossipSubConfig node =
        GossipSubConfig.builder()
            .validation(threads, 4096, concurrency)
            .outboundQueueSize(4096)
            .build();
    // warm-up
    GossipThroughput.run(
        new GossipThroughput.Params(Math.max(2000, messages / 10), bytes, 4, 6, 512, node));
    for (int r = 1; r <= runs; r++) {
      GossipThroughput.Result res =
          GossipThroughput.run(new GossipThroughput.Params(messages, bytes, 4, 6, 512, node));
      System.out.printf(Locale.ROOT, "%n## run %d%n%s", r, res.describe());
    }
  }
}
