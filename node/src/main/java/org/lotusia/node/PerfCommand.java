package org.lotusia.node;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.protocol.perf.Perf;
import org.lotusia.libp2p.protocol.perf.PerfClient;
import org.lotusia.libp2p.protocol.perf.PerfResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lotus-p2p perf}: measures throughput with /perf/1.0.0. */
@Command(
    name = "perf",
    mixinStandardHelpOptions = true,
    description = "Run /perf/1.0.0 against MULTIADDR and print the throughput.")
final class PerfCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "MULTIADDR",
      description = "Address of the peer, with /p2p/<id>.")
  String address;

  @Option(
      names = "--upload",
      defaultValue = "10485760",
      description = "Bytes to upload (default ${DEFAULT-VALUE}).")
  long upload;

  @Option(
      names = "--download",
      defaultValue = "10485760",
      description = "Bytes to download (default ${DEFAULT-VALUE}).")
  long download;

  @Override
  public Integer call() {
    if (upload < 0 || download < 0) {
      throw new IllegalArgumentException("--upload and --download must be >= 0");
    }
    Multiaddr target = Cli.parseAddress(address);
    PrintWriter out = spec.commandLine().getOut();
    Host host = Cli.startClient();
    try {
      PerfClient client = Cli.await(host.newStream(target, new Perf()), 30);
      PerfResult r = Cli.await(client.run(upload, download), 3600);
      out.printf(
          "upload: %d bytes in %.3f s (%.2f Mbit/s)%n",
          r.uploaded(), r.uploadTime().toNanos() / 1e9, r.uploadBitsPerSecond() / 1e6);
      out.printf(
          "download: %d bytes in %.3f s (%.2f Mbit/s)%n",
          r.downloaded(),
          r.totalTime().minus(r.uploadTime()).toNanos() / 1e9,
          r.downloadBitsPerSecond() / 1e6);
      out.printf("total: %.3f s%n", r.totalTime().toNanos() / 1e9);
      out.flush();
    } finally {
      Cli.await(host.closeAsync(), 10);
    }
    return 0;
  }
}
