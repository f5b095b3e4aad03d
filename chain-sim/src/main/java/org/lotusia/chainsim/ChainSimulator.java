package org.lotusia.chainsim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lotusia.chain.address.XAddress;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Script;
import org.lotusia.chainsim.chronik.ChronikServer;
import org.lotusia.chainsim.chronik.ChronikServerConfig;
import org.lotusia.chainsim.ledger.ChainParams;
import org.lotusia.chainsim.ledger.Ledger;
import org.lotusia.chainsim.ledger.SimBlock;
import org.lotusia.chainsim.ledger.TxEntry;
import org.lotusia.chainsim.ledger.TxRejectedException;
import org.lotusia.chainsim.store.ChainStateFile;
import org.lotusia.chainsim.wallet.SimWallet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated Lotus chain served with Chronik's API, for tests and demos: a {@link Ledger} (lotusd's
 * validation rules), a {@link ChronikServer} on loopback, and a faucet {@link SimWallet} funded by
 * coinbases.
 *
 * <p>A new chain starts with a genesis block and {@code coinbaseMaturity} more blocks, all paying
 * the faucet, so the faucet can spend at once (260 XPI per block by default). {@link #fund} pays
 * any script from the faucet; {@link #mine(int)} mines blocks (also to the faucet); with a block
 * interval set, a block is mined on that timer too. With a state file, {@link #start()} loads the
 * chain from it when it exists and {@link #stop()} saves it.
 *
 * <pre>{@code
 * try (ChainSimulator sim = ChainSimulator.builder().build().start()) {
 *   ChronikClient chronik = ChronikClient.builder().urls(sim.url()).build();
 *   TxEntry paid = sim.fund(myAddress, 1_000_000);
 *   sim.mine(1);
 * }
 * }</pre>
 *
 * <p>Threading: thread-safe. Timer blocks are mined on a private daemon thread.
 */
public final class ChainSimulator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChainSimulator.class);

  private final ChainParams params;
  private final ChronikServerConfig serverConfig;
  private final Clock clock;
  private final Duration blockInterval;
  private final Path stateFile;
  private final PrivateKey configuredFaucetKey;
  private Ledger ledger;
  private SimWallet faucet;
  private ChronikServer server;
  private ScheduledExecutorService timer;

  private ChainSimulator(Builder b) {
    this.params = b.params;
    this.serverConfig = b.serverConfig;
    this.clock = b.clock;
    this.blockInterval = b.blockInterval;
    this.stateFile = b.stateFile;
    this.configuredFaucetKey = b.faucetKey;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates or loads the chain, starts the Chronik server and the block timer.
   *
   * @return this simulator
   * @throws IOException if the state file exists but cannot be read or is corrupt (the message
   *     names the file)
   * @throws IllegalStateException if already started
   */
  public synchronized ChainSimulator start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("chain simulator already started");
    }
    if (stateFile != null && Files.exists(stateFile)) {
      ChainStateFile.State s = ChainStateFile.load(stateFile);
      if (s.network() != params.network()) {
        throw new IOException(
            "chain state file " + stateFile + " is for network " + s.network() + ", not " + params.network());
      }
      try {
        ledger = Ledger.restore(params, clock, s.blocks(), s.mempool());
      } catch (IllegalArgumentException e) {
        throw new IOException("chain state file " + stateFile + " is corrupt: " + e.getMessage(), e);
      }
      faucet = new SimWallet(ledger, s.faucetKey());
      LOG.info("chain loaded from {} at height {}", stateFile, ledger.tipHeight());
    } else {
      PrivateKey key =
          configuredFaucetKey != null ? configuredFaucetKey : PrivateKey.random(new SecureRandom());
      ledger = new Ledger(params, clock, org.lotusia.chain.script.Scripts.p2pkh(key.publicKey()));
      faucet = new SimWallet(ledger, key);
      for (int i = 0; i < params.coinbaseMaturity(); i++) {
        ledger.mine(faucet.script());
      }
    }
    server = new ChronikServer(ledger, serverConfig);
    try {
      server.start();
    } catch (RuntimeException e) {
      ledger.close();
      server = null;
      throw e;
    }
    if (blockInterval != null) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "lotus-chain-sim-miner");
                t.setDaemon(true);
                return t;
              });
      long ms = blockInterval.toMillis();
      timer.scheduleAtFixedRate(this::timerBlock, ms, ms, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void timerBlock() {
    try {
      SimBlock b = ledger().mine(faucet.script());
      LOG.debug("timer mined block {} with {} transactions", b.height(), b.txs().size());
    } catch (RuntimeException e) {
      LOG.warn("timer block failed", e);
    }
  }

  /** The Chronik base URL, {@code http://127.0.0.1:<port>}. */
  public String url() {
    return running().url();
  }

  /** The ledger. */
  public synchronized Ledger ledger() {
    running();
    return ledger;
  }

  /** The coinbase-funded faucet wallet. */
  public synchronized SimWallet faucet() {
    running();
    return faucet;
  }

  /** The Chronik server. */
  public synchronized ChronikServer server() {
    return running();
  }

  /** The chain rules. */
  public ChainParams params() {
    return params;
  }

  /**
   * Mines blocks paying the faucet.
   *
   * @param count 1 or more
   * @return the new blocks, lowest first
   */
  public List<SimBlock> mine(int count) {
    if (count < 1 || count > 100_000) {
      throw new IllegalArgumentException("block count must be 1..100000: " + count);
    }
    Ledger l = ledger();
    Script to = faucet().script();
    List<SimBlock> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(l.mine(to));
    }
    return out;
  }

  /**
   * Pays {@code sats} from the faucet to a script; the payment waits in the mempool until a block.
   *
   * @return the payment
   * @throws IllegalArgumentException if the faucet cannot cover it (mine more blocks)
   * @throws TxRejectedException if the ledger refuses it (for example dust)
   */
  public TxEntry fund(Script to, long sats) throws TxRejectedException {
    return faucet().pay(to, sats);
  }

  /** Pays {@code sats} from the faucet to an address. */
  public TxEntry fund(XAddress to, long sats) throws TxRejectedException {
    return fund(to.toScript(), sats);
  }

  /**
   * Saves the chain to a file.
   *
   * @throws IOException if it cannot be written
   */
  public synchronized void save(Path file) throws IOException {
    running();
    List<org.lotusia.chain.tx.Transaction> pool = new ArrayList<>();
    ledger.mempool().forEach(e -> pool.add(e.tx()));
    ChainStateFile.save(
        file, new ChainStateFile.State(params.network(), faucet.key(), ledger.blocks(), pool));
  }

  /** Stops the timer and the server, saves to the state file if one is set. Idempotent. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
    server.stop();
    if (stateFile != null) {
      try {
        save(stateFile);
      } catch (IOException e) {
        LOG.warn("could not save the chain to {}: {}", stateFile, e.toString());
      }
    }
    server = null;
    ledger.close();
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized ChronikServer running() {
    if (server == null) {
      throw new IllegalStateException("chain simulator not started");
    }
    return server;
  }

  /** Builder of {@link ChainSimulator}; not thread-safe. */
  public static final class Builder {
    private ChainParams params = ChainParams.defaults();
    private ChronikServerConfig serverConfig = ChronikServerConfig.defaults();
    private Clock clock = Clock.systemUTC();
    private Duration blockInterval;
    private Path stateFile;
    private PrivateKey faucetKey;

    private Builder() {}

    /** Chain rules; default {@link ChainParams#defaults()}. */
    public Builder params(ChainParams p) {
      params = Objects.requireNonNull(p, "params");
      return this;
    }

    /** Chronik server address and limits; default port 0 on 127.0.0.1. */
    public Builder server(ChronikServerConfig c) {
      serverConfig = Objects.requireNonNull(c, "server config");
      return this;
    }

    /** Shorthand for the server's port (0 for any free port). */
    public Builder port(int port) {
      ChronikServerConfig c = serverConfig;
      serverConfig =
          new ChronikServerConfig(
              c.host(),
              port,
              c.maxRequestBytes(),
              c.maxBroadcastTxs(),
              c.maxValidateUtxos(),
              c.maxPageSize(),
              c.maxBlocksRange(),
              c.maxWsConnections(),
              c.maxWsSubscriptions(),
              c.maxWsMessageBytes(),
              c.maxWsPendingSends());
      return this;
    }

    /** Source of block times; default the system clock. A test steps its own clock. */
    public Builder clock(Clock c) {
      clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /** Mine a block every interval (default: only on demand). */
    public Builder blockInterval(Duration d) {
      if (d != null && (d.isNegative() || d.isZero() || d.toMillis() == 0)) {
        throw new IllegalArgumentException("block interval must be at least 1 ms: " + d);
      }
      blockInterval = d;
      return this;
    }

    /** Load the chain from this file if it exists, save it there on stop (default none). */
    public Builder stateFile(Path file) {
      stateFile = file;
      return this;
    }

    /** The faucet's key for a new chain (default random). */
    public Builder faucetKey(PrivateKey key) {
      faucetKey = key;
      return this;
    }

    /** Builds a stopped simulator; call {@link ChainSimulator#start()}. */
    public ChainSimulator build() {
      return new ChainSimulator(this);
    }
  }
}
