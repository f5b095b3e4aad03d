package org.lotusia.node;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.lotusia.node.demo.Demo;
import org.lotusia.node.demo.SwapSigDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lotus-p2p swapsig}: SwapSig tools. */
@Command(
    name = "swapsig",
    mixinStandardHelpOptions = true,
    description = "SwapSig pools (see docs/SWAPSIG.md).",
    subcommands = SwapSigCommand.DemoPool.class)
final class SwapSigCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code lotus-p2p swapsig demo}: a whole pool between nodes on loopback against an embedded
   * chain simulator, step by step as {@code lotus-p2p demo} runs ({@link SwapSigDemo}); with
   * {@code --json} one object per step, the setup and settlement steps carrying every transaction
   * broadcast with its raw hex. Exit 0 when every participant is paid.
   */
  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description = {
        "Run a SwapSig pool between nodes on loopback in this process against an embedded chain",
        "simulator; print each phase and check every result. Exit 0 when every participant is paid."
      })
  static final class DemoPool implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--participants", paramLabel = "N", defaultValue = "5",
        description = "Participants, 3 to 20 (default ${DEFAULT-VALUE}); one more node creates the pool.")
    int participants;

    @Option(names = "--block-ms", paramLabel = "MS", defaultValue = "1000",
        description = "The simulator's block interval in ms, 100 to 600000 (default ${DEFAULT-VALUE}).")
    long blockMs;

    @Option(names = "--json", description = "One JSON object per step, with its results and the raw hex of every transaction.")
    boolean json;

    @Option(names = "--step-timeout", paramLabel = "SECONDS", defaultValue = "180",
        description = "Most time one step may take (default ${DEFAULT-VALUE}).")
    int stepTimeout;

    @Override
    public Integer call() {
      if (stepTimeout < 1) {
        throw new IllegalArgumentException("--step-timeout must be >= 1, got " + stepTimeout);
      }
      try (SwapSigDemo pool = new SwapSigDemo(participants, Duration.ofMillis(blockMs))) {
        Demo demo =
            new Demo(
                pool.steps(),
                spec.commandLine().getOut(),
                spec.commandLine().getErr(),
                json,
                Duration.ofSeconds(stepTimeout));
        Demo.Outcome outcome = demo.run();
        if (!outcome.ok()) {
          throw new DemoCommand.DemoFailedException(
              "step " + outcome.failedStep() + " failed: " + outcome.failure());
        }
      }
      return 0;
    }
  }
}
