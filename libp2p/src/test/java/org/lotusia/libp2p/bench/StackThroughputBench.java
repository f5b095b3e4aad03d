package org.lotusia.libp2p.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.libp2p.interop.JsPeer;
import org.lotusia.libp2p.interop.TestProtocols;

/**
 * Single-stream throughput over TCP + Noise + Yamux on loopback, in one run: Java to Java, js to
 * js, Java to js and js to Java, beside two baselines measured in the same run: raw TCP loopback
 * (java.net sockets, 64 KiB writes) and the JDK's ChaCha20-Poly1305 over Noise-sized frames.
 *
 * <p>Every transfer uses the {@code /test/source/1.0.0} protocol: the receiver asks for N bytes and
 * counts them without checking (the interop tests check bytes; this measures the stack).
 * Properties: {@code bench.bytes} per run (default 1 GiB), {@code bench.runs} (default 3), {@code
 * bench.javaOnly} (default false: only Java to Java, without the js peers and the baselines, for
 * profiling; {@code bench.warmupBytes}, default 1 GiB, is its warm-up). Every Java to Java line also gives the CPU time the process spent (both hosts, all
 * threads) and the bytes moved per CPU-second, the figure that stays honest when other load shares
 * the cores.
 */
public final class StackThroughputBench {
  private StackThroughputBench() {}

  public static void main(String[] args) throws Exception {
    long bytes = Long.getLong("bench.bytes", 1L << 30);
    int runs = Integer.getInteger("bench.runs", 3);
    System.out.printf(
        "# StackThroughputBench java %s, %d cores, %d MiB per run, %d runs, Gbit/s = 10^9 bit/s%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        bytes >> 20,
        runs);

    // Measure after the Noise cipher calibration, which runs on a background thread at first use.
    System.out.println("# Noise cipher: " + org.lotusia.libp2p.NoiseCipher.settled().get());
    if (Boolean.getBoolean("bench.javaOnly")) {
      javaOnly(bytes, runs);
      return;
    }
    for (int i = 0; i < runs; i++) {
      report("raw TCP loopback (java.net, 64 KiB writes)", bytes, rawTcp(bytes));
    }
    ChaChaPolyBench.main(new String[] {"2"});

    Host server = javaHost();
    Host client = javaHost();
    try (JsPeer jsA = new JsPeer("bench-js-a");
        JsPeer jsB = new JsPeer("bench-js-b")) {
      jsA.awaitReady(Duration.ofSeconds(60));
      jsB.awaitReady(Duration.ofSeconds(60));
      Multiaddr serverAddr = server.listenAddresses().get(0);
      Multiaddr jsAddr = Multiaddr.parse(jsB.addr());
      jsA.cmd("dial", Map.of("addr", jsB.addr()));
      jsA.cmd("dial", Map.of("addr", serverAddr.toString()));
      // warm-up (JIT, windows): one untimed round of every path with the bytes of a timed one, so
      // that no path is measured while code it shares with another is still being recompiled
      javaDownload(client, serverAddr, 1L << 30);
      javaDownload(client, jsAddr, bytes);
      jsDownload(jsA, jsB.peerId(), bytes);
      jsDownload(jsA, server.peerId().toString(), bytes);
      javaDownload(client, serverAddr, bytes);
      for (int i = 0; i < runs; i++) {
        reportWithCpu(client, serverAddr, bytes);
        report("js   -> js    TCP+Noise+Yamux", bytes, jsDownload(jsA, jsB.peerId(), bytes));
        report(
            "Java -> js    TCP+Noise+Yamux",
            bytes,
            jsDownload(jsA, server.peerId().toString(), bytes));
        report("js   -> Java  TCP+Noise+Yamux", bytes, javaDownload(client, jsAddr, bytes));
      }
    } finally {
      client.closeAsync();
      server.closeAsync();
    }
  }

  /** Java to Java only: a warm-up, then {@code runs} transfers with their CPU time. */
  private static void javaOnly(long bytes, int runs) throws Exception {
    Host server = javaHost();
    Host client = javaHost();
    try {
      Multiaddr serverAddr = server.listenAddresses().get(0);
      javaDownload(client, serverAddr, Long.getLong("bench.warmupBytes", 1L << 30));
      for (int i = 0; i < runs; i++) {
        reportWithCpu(client, serverAddr, bytes);
      }
    } finally {
      client.closeAsync();
      server.closeAsync();
    }
  }

  private static void reportWithCpu(Host client, Multiaddr serverAddr, long bytes)
      throws Exception {
    long cpu0 = processCpuNanos();
    long switches0 = contextSwitches();
    double seconds = javaDownload(client, serverAddr, bytes);
    double cpu = (processCpuNanos() - cpu0) / 1e9;
    long switches = contextSwitches() - switches0;
    System.out.printf(
        "%-45s %8.2f Gbit/s  (%d MiB in %.0f ms; CPU %.2f s, %.2f Gbit per CPU-second%s)%n",
        "Java -> Java  TCP+Noise+Yamux",
        bytes * 8 / seconds / 1e9,
        bytes >> 20,
        seconds * 1000,
        cpu,
        bytes * 8 / cpu / 1e9,
        switches0 < 0 ? "" : String.format("; %.2f thread switches per 64 KiB", switches / (bytes / 65536.0)));
  }

  /**
   * Voluntary context switches of all threads of this process (Linux), a count of the threads'
   * waits and hand-offs; -1 where /proc is not readable.
   */
  private static long contextSwitches() {
    try (java.util.stream.Stream<java.nio.file.Path> tasks =
        java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
      long sum = 0;
      for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) tasks::iterator) {
        try {
          for (String line : java.nio.file.Files.readAllLines(t.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
              sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
      return sum;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void report(String what, long bytes, double seconds) {
    System.out.printf(
        "%-45s %8.2f Gbit/s  (%d MiB in %.0f ms)%n",
        what, bytes * 8 / seconds / 1e9, bytes >> 20, seconds * 1000);
  }

  private static Host javaHost() {
    // one event loop per host: both hosts share this JVM and the machine's cores
    Host h = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").eventLoopThreads(1).build();
    TestProtocols.serve(h);
    h.start().join();
    return h;
  }

  /**
   * The js peer downloads {@code bytes} from {@code peer}'s source without checking them; returns
   * seconds.
   */
  private static double jsDownload(JsPeer js, String peer, long bytes) {
    JsonNode r = js.cmd("source", Map.of("peer", peer, "bytes", bytes, "verify", false));
    return r.get("elapsedMs").asDouble() / 1000;
  }

  /**
   * The Java host downloads {@code bytes} from the source at {@code addr}, counting them; returns
   * seconds.
   */
  private static double javaDownload(Host host, Multiaddr addr, long bytes) throws Exception {
    long start = System.nanoTime();
    Stream s = host.newStream(addr, List.of(JsPeer.SOURCE)).get(30, TimeUnit.SECONDS);
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

  /** Raw TCP loopback with plain sockets: one thread writes 64 KiB blocks, another reads. */
  private static double rawTcp(long bytes) throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> reader =
          CompletableFuture.runAsync(
              () -> {
                try (Socket s = ss.accept();
                    InputStream in = s.getInputStream()) {
                  byte[] buf = new byte[1 << 16];
                  long left = bytes;
                  while (left > 0) {
                    int n = in.read(buf);
                    if (n < 0) {
                      throw new IOException("early end of stream");
                    }
                    left -= n;
                  }
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      long start = System.nanoTime();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
        s.setTcpNoDelay(true);
        OutputStream out = s.getOutputStream();
        byte[] block = new byte[1 << 16];
        for (long sent = 0; sent < bytes; sent += block.length) {
          out.write(block, 0, (int) Math.min(block.length, bytes - sent));
        }
        reader.get(5, TimeUnit.MINUTES);
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }
}
