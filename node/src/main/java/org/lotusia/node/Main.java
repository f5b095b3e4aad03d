package org.lotusia.node;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lotus-p2p} command line: {@code node}, {@code demo}, and the tools {@code id}, {@code
 * ping}, {@code perf}, {@code send}, {@code pubsub}, {@code dht}, {@code resource} and {@code
 * status}, and {@code chain-sim} (a simulated Lotus chain served with Chronik's API).
 *
 * <p>Exit codes: 0 success, 1 a network or protocol failure, 2 bad usage (for example an invalid
 * multiaddr). Failures print one line starting with {@code error:} on standard error.
 */
@Command(
    name = "lotus-p2p",
    mixinStandardHelpOptions = true,
    version = "lotus-p2p 0.1.0",
    description = "Lotus P2P node and tools.",
    subcommands = {
      NodeCommand.class,
      DemoCommand.class,
      IdCommand.class,
      PingCommand.class,
      PerfCommand.class,
      SendCommand.class,
      PubsubCommand.class,
      DhtCommand.class,
      ResourceCommand.class,
      StatusCommand.class,
      ChainSimCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /**
   * Runs the command line with the given output streams and returns the exit code (the {@code node}
   * command returns only after a shutdown signal).
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          err.println("error: " + Errors.describe(e));
          return Errors.exitCode(e);
        });
    cli.setParameterExceptionHandler(
        (e, strings) -> {
          err.println("error: " + Errors.describe(e));
          return 2;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
