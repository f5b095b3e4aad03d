package org.lotusia.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the tools that join a network: bootstrap peers, identity, output, deadline. */
final class NetworkOptions {

  @Option(
      names = "--bootstrap",
      paramLabel = "MULTIADDR",
      required = true,
      description = "A node to join through, ending in /p2p/<peer ID> (repeatable).")
  List<String> bootstrap = new ArrayList<>();

  @Option(
      names = "--identity",
      paramLabel = "FILE",
      description = "Private key file to join with (created when absent). Default: a new ephemeral identity.")
  Path identity;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "Give up after this many seconds (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  void check() {
    if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
      throw new IllegalArgumentException("--timeout must be between 1 and 3600 seconds, got " + timeoutSeconds);
    }
    for (String b : bootstrap) {
      if (Cli.parseAddress(b).peerId().isEmpty()) {
        throw new IllegalArgumentException("--bootstrap '" + b + "' must end in /p2p/<peer ID>");
      }
    }
  }
}
