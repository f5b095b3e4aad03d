package org.lotusia.node;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.lotusia.chain.tx.Amount;
import org.lotusia.chainsim.ChainSimulator;
import org.lotusia.chainsim.chronik.ChronikServerConfig;
import org.lotusia.chainsim.wallet.SimWallet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lotus-p2p chain-sim}: runs a simulated Lotus chain served with Chronik's API on loopback,
 * with a coinbase-funded faucet wallet, until SIGINT or SIGTERM.
 */
@Command(
    name = "chain-sim",
    mixinStandardHelpOptions = true,
    description = {
      "Run a simulated Lotus chain (regtest rules of lotusd) served with Chronik's protobuf API.",
      "Prints the Chronik URL, then the faucet address, key and balance."
    })
final class ChainSimCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "0",
      description = "TCP port on 127.0.0.1 (default ${DEFAULT-VALUE}: any free port).")
  int port;

  @Option(
      names = "--block-interval",
      paramLabel = "S",
      defaultValue = "10",
      description = "Mine a block every S seconds; 0 mines none (default ${DEFAULT-VALUE}).")
  long blockInterval;

  @Option(
      names = "--state",
      paramLabel = "FILE",
      description = "Load the chain from FILE if it exists and save it there on exit.")
  Path state;

  /** Counted down by the shutdown hook; visible for tests that run the command in-process. */
  final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0..65535, got " + port);
    }
    if (blockInterval < 0 || blockInterval > 86_400) {
      throw new IllegalArgumentException("--block-interval must be 0..86400 seconds, got " + blockInterval);
    }
    ChainSimulator.Builder b =
        ChainSimulator.builder().server(ChronikServerConfig.builder().port(port).build());
    if (blockInterval > 0) {
      b.blockInterval(Duration.ofSeconds(blockInterval));
    }
    if (state != null) {
      b.stateFile(state);
    }
    ChainSimulator sim = b.build().start();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                stopped.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "lotus-p2p-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    PrintWriter out = spec.commandLine().getOut();
    SimWallet faucet = sim.faucet();
    out.println(sim.url());
    out.println(
        "faucet "
            + faucet.address().encode()
            + " key "
            + HexFormat.of().formatHex(faucet.key().toBytes())
            + " balance "
            + Amount.ofSats(faucet.balance()).format());
    out.flush();
    try {
      stop.await();
    } finally {
      sim.stop();
      stopped.countDown();
    }
    return 0;
  }
}
