package org.lotusia.node;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.protocol.ping.PingSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lotus-p2p ping}: dials a peer and measures ping round trips. */
@Command(
    name = "ping",
    mixinStandardHelpOptions = true,
    description = "Dial MULTIADDR and send /ipfs/ping/1.0.0 pings; prints each round-trip time.")
final class PingCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "MULTIADDR",
      description = "Address of the peer, with /p2p/<id>.")
  String address;

  @Option(
      names = "--count",
      defaultValue = "3",
      description = "Number of pings (default ${DEFAULT-VALUE}).")
  int count;

  @Override
  public Integer call() {
    if (count < 1) {
      throw new IllegalArgumentException("--count must be >= 1, got " + count);
    }
    Multiaddr target = Cli.parseAddress(address);
    PrintWriter out = spec.commandLine().getOut();
    Host host = Cli.startClient();
    try {
      Connection conn = Cli.await(host.dial(target), 30);
      PingSession session = Cli.await(host.newStream(conn, new Ping()), 30);
      for (int i = 1; i <= count; i++) {
        Duration rtt = Cli.await(session.ping(), 30);
        out.printf("ping %d: %s rtt=%.3f ms%n", i, conn.remotePeer(), rtt.toNanos() / 1e6);
        out.flush();
      }
      session.close();
    } finally {
      Cli.await(host.closeAsync(), 10);
    }
    return 0;
  }
}
