package org.lotusia.node;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.lotusia.node.demo.Demo;
import org.lotusia.node.demo.Steps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lotus-p2p demo}: starts a small network in this process and walks through what the SDK
 * does, checking every result.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start nodes on loopback in this process, bootstrap them, announce and discover a resource",
      "through the DHT, exchange topic and direct messages; check every result. Exit 0 when all pass."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--nodes", paramLabel = "N", defaultValue = "5", description = "Number of nodes, 2 to 20 (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--json", description = "One JSON object per step, with its results.")
  boolean json;

  @Option(
      names = "--step-timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "Most time one step may take (default ${DEFAULT-VALUE}).")
  int stepTimeout;

  @Override
  public Integer call() {
    if (nodes < 2 || nodes > 20) {
      throw new IllegalArgumentException("--nodes must be between 2 and 20, got " + nodes);
    }
    if (stepTimeout < 1) {
      throw new IllegalArgumentException("--step-timeout must be >= 1, got " + stepTimeout);
    }
    Demo demo =
        new Demo(
            Steps.all(nodes),
            spec.commandLine().getOut(),
            spec.commandLine().getErr(),
            json,
            Duration.ofSeconds(stepTimeout));
    Demo.Outcome outcome = demo.run();
    if (!outcome.ok()) {
      throw new DemoFailedException("step " + outcome.failedStep() + " failed: " + outcome.failure());
    }
    return 0;
  }

  /** A demo step failed; the message names it and says why. */
  static final class DemoFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DemoFailedException(String message) {
      super(message);
    }
  }
}
