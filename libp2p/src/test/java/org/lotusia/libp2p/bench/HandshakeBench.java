package org.lotusia.libp2p.bench;

import java.util.Locale;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;

/**
 * Full connection set-ups per second between two Java hosts over loopback: TCP connect,
 * multistream-select, Noise XX, multistream-select, Yamux; then close. Sequential, one at a time.
 *
 * <p>Arguments: {@code [handshakes, default 1000]}. Prints handshakes per second and the mean time.
 * Not a test.
 */
public final class HandshakeBench {

  private HandshakeBench() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Host server = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").eventLoopThreads(1).build();
    Host client = new HostBuilder().eventLoopThreads(1).build();
    try {
      server.start().get();
      client.start().get();
      Multiaddr addr = server.listenAddresses().get(0);
      run(client, addr, Math.max(100, n / 5)); // warm-up
      long start = System.nanoTime();
      run(client, addr, n);
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT,
          "JDK %s, %d cores: %d handshakes (TCP+Noise+Yamux) in %.2f s = %.0f/s, mean %.2f ms%n",
          Runtime.version(), Runtime.getRuntime().availableProcessors(), n, secs, n / secs,
          secs * 1000 / n);
    } finally {
      client.close().get();
      server.close().get();
    }
  }

  private static void run(Host client, Multiaddr addr, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      Connection c = client.dial(addr, DialOptions.FORCE).get();
      c.close().get();
    }
  }
}
