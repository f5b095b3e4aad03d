package org.lotusia.libp2p.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;

/**
 * Single-stream throughput over loopback: TCP + Noise + Yamux between two Java hosts, and a raw TCP
 * socket baseline (blocking sockets, no framing, no encryption).
 *
 * <p>Arguments: {@code [MiB per run, default 256] [runs, default 5]}. Prints Gbit/s per run and the
 * median. Not a test.
 */
public final class HostThroughputBench {

  private static final String SINK = "/bench/sink/1.0.0";
  private static final int CHUNK = 64 * 1024;

  private HostThroughputBench() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    long bytes = (long) mib << 20;
    System.out.printf(Locale.ROOT, "JDK %s, %d cores, %d MiB per run%n",
        Runtime.version(), Runtime.getRuntime().availableProcessors(), mib);
    report("raw TCP loopback", rawTcp(bytes, runs));
    report("TCP+Noise+Yamux host-to-host", host(bytes, runs));
  }

  private static void report(String name, List<Double> gbps) {
    List<Double> sorted = new ArrayList<>(gbps);
    Collections.sort(sorted);
    System.out.printf(Locale.ROOT, "%-30s runs %s  median %.2f Gbit/s%n", name,
        gbps.stream().map(g -> String.format(Locale.ROOT, "%.2f", g)).toList(),
        sorted.get(sorted.size() / 2));
  }

  private static List<Double> rawTcp(long bytes, int runs) throws Exception {
    List<Double> out = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      for (int r = 0; r <= runs; r++) {
        CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
          try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
            byte[] buf = new byte[CHUNK];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
              total += n;
            }
            return total;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        long start = System.nanoTime();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            OutputStream o = s.getOutputStream()) {
          byte[] buf = new byte[CHUNK];
          for (long sent = 0; sent < bytes; sent += CHUNK) {
            o.write(buf);
          }
        }
        long got = received.get();
        double secs = (System.nanoTime() - start) / 1e9;
        if (got != bytes) {
          throw new IllegalStateException("raw TCP lost bytes: " + got);
        }
        if (r > 0) { // run 0 warms up
          out.add(bytes * 8 / secs / 1e9);
        }
      }
    }
    return out;
  }

  private static List<Double> host(long bytes, int runs) throws Exception {
    Host a = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").eventLoopThreads(1).build();
    Host b = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").eventLoopThreads(1).build();
    List<Double> out = new ArrayList<>();
    try {
      a.start().get();
      b.start().get();
      CompletableFuture<?>[] done = new CompletableFuture<?>[1];
      b.setStreamHandler(SINK, s -> {
        CompletableFuture<Long> f = new CompletableFuture<>();
        done[0] = f;
        long[] total = new long[1];
        s.setReader(new StreamReader() {
          @Override
          public void onData(Stream stream, byte[] chunk) {
            total[0] += chunk.length;
          }

          @Override
          public void onEnd(Stream stream) {
            f.complete(total[0]);
            stream.close();
          }
        });
      });
      a.dial(b.listenAddresses().get(0)).get();
      byte[] chunk = new byte[CHUNK];
      for (int r = 0; r <= runs; r++) {
        long start = System.nanoTime();
        Stream s = a.newStream(b.peerId(), List.of(SINK)).get();
        CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
        for (long sent = 0; sent < bytes; sent += CHUNK) {
          last.get();
          last = s.write(chunk);
        }
        last.get();
        s.closeWrite().get();
        while (done[0] == null) {
          Thread.onSpinWait();
        }
        long got = (Long) done[0].get();
        done[0] = null;
        double secs = (System.nanoTime() - start) / 1e9;
        if (got != bytes) {
          throw new IllegalStateException("host transfer lost bytes: " + got);
        }
        if (r > 0) {
          out.add(bytes * 8 / secs / 1e9);
        }
      }
    } finally {
      a.close().get();
      b.close().get();
    }
    return out;
  }
}
