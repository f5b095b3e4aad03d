package org.lotusia.p2p.security.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Random;
import org.lotusia.p2p.protocol.MessageJson;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.security.CoreSecurityManager;
import org.lotusia.p2p.security.MessageCheck;
import org.lotusia.p2p.security.SecurityLimits;

/**
 * Inbound pipeline throughput on one thread: deserialize + validate + hash + de-duplicate +
 * security check ({@link CoreSecurityManager#checkMessage(String, byte[])}) for distinct ~300-byte
 * messages.
 *
 * <p>Prints wall-clock throughput and throughput per second of this thread's CPU time (the latter
 * is the one-core figure when the machine is shared).
 *
 * <p>Run: {@code java -cp <test classpath> org.lotusia.p2p.security.bench.InboundPipelineBench
 * [messages] [rounds]}.
 */
public final class InboundPipelineBench {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private InboundPipelineBench() {}

  /**
   * Runs the benchmark and prints messages per second per round.
   *
   * @param args optional message count per round (default 200,000) and measured rounds (default 5)
   */
  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    long t0 = 1_700_000_000_000L;
    Clock clock = Clock.fixed(Instant.ofEpochMilli(t0), ZoneOffset.UTC);
    String sender = "12D3KooWRBhwfeP2Y4TCx1SM6s9rUoHhRYDLnBo5bGbHUCbtcRCu";
    Random rnd = new Random(1);
    HexFormat hex = HexFormat.of();
    byte[][] messages = new byte[count][];
    long totalBytes = 0;
    for (int i = 0; i < count; i++) {
      byte[] session = new byte[16];
      byte[] nonce = new byte[33];
      rnd.nextBytes(session);
      rnd.nextBytes(nonce);
      ObjectNode payload =
          JsonNodeFactory.instance
              .objectNode()
              .put("sessionId", hex.formatHex(session))
              .put("nonce", hex.formatHex(nonce));
      byte[] id = new byte[8];
      rnd.nextBytes(id);
      P2PMessage m =
          new P2PMessage(
              "musig2:nonce",
              sender,
              null,
              payload,
              t0,
              Long.toString(t0, 36) + "-" + hex.formatHex(id),
              null,
              "musig2");
      messages[i] = MessageJson.toBytes(m);
      totalBytes += messages[i].length;
    }
    System.out.printf(
        "JDK %s, %d distinct messages of %d bytes on average, %d cores available%n",
        Runtime.version(), count, totalBytes / count, Runtime.getRuntime().availableProcessors());
    for (int r = -3; r < rounds; r++) {
      CoreSecurityManager manager =
          CoreSecurityManager.builder()
              .clock(clock)
              .limits(
                  SecurityLimits.builder()
                      .seenCacheSize(10_000)
                      // one sender at a fixed clock: a burst as large as the run keeps every
                      // message accepted while the rate check still runs
                      .messageBurst(Integer.MAX_VALUE)
                      .build())
              .build();
      long start = System.nanoTime();
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      long processStart = PROCESS.getProcessCpuTime();
      int accepted = 0;
      for (byte[] bytes : messages) {
        MessageCheck c = manager.checkMessage(sender, bytes);
        if (c.accepted()) {
          accepted++;
        }
      }
      long elapsed = System.nanoTime() - start;
      long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
      long processCpu = PROCESS.getProcessCpuTime() - processStart;
      if (accepted != count) {
        throw new IllegalStateException("only " + accepted + " of " + count + " accepted");
      }
      System.out.printf(
          "%s round %d: %,.0f messages/s wall clock (%.2f us/message); per second of CPU: "
              + "%,.0f (this thread), %,.0f (whole process incl. GC and JIT)%n",
          r < 0 ? "warm-up" : "measured",
          r < 0 ? r + 4 : r + 1,
          count / (elapsed / 1e9),
          elapsed / 1e3 / count,
          count / (cpu / 1e9),
          count / (processCpu / 1e9));
    }
  }
}
