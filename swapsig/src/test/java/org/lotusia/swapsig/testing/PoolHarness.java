package org.lotusia.swapsig.testing;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.lotusia.chain.address.Network;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.chainsim.ChainSimulator;
import org.lotusia.chainsim.ledger.ChainParams;
import org.lotusia.chainsim.ledger.TxEntry;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.SessionManager;
import org.lotusia.swapsig.PoolParameters;
import org.lotusia.swapsig.SwapHandle;
import org.lotusia.swapsig.SwapInput;
import org.lotusia.swapsig.SwapRequest;
import org.lotusia.swapsig.SwapSigConfig;
import org.lotusia.swapsig.SwapSigEvent;
import org.lotusia.swapsig.SwapSigManager;
import org.lotusia.swapsig.wire.PoolAnnouncement;

/**
 * A chain simulator with its Chronik server, an in-memory network, a creator node and funded
 * participants, each with its own session manager and SwapSig manager, for end-to-end tests. Every
 * transaction a pool broadcasts goes to the simulator over Chronik's HTTP API and is validated
 * there. Blocks are mined on a timer.
 */
public final class PoolHarness implements AutoCloseable {

  /** Denomination of the test pools: 1 XPI. */
  public static final long DENOMINATION = 1_000_000;

  /** Value of each participant's coin. */
  public static final long FUNDING = 1_100_000;

  /** One node. */
  public static final class Peer {
    public final String peerId;
    public final MemoryNet.Node node;
    public final SessionManager sessions;
    public final SwapSigManager swaps;
    public final List<SwapSigEvent> events;
    public PrivateKey inputKey;
    public SwapInput input;
    public PrivateKey destinationKey;
    public Script destination;

    Peer(String peerId, MemoryNet.Node node, SessionManager sessions, SwapSigManager swaps,
        List<SwapSigEvent> events) {
      this.peerId = peerId;
      this.events = events;
      this.node = node;
      this.sessions = sessions;
      this.swaps = swaps;
    }

    public SwapRequest request() {
      return SwapRequest.of(input, destination);
    }
  }

  public volatile ChainSimulator sim;
  private final java.nio.file.Path state;
  public final ChronikClient chronik;
  public final MemoryNet net = new MemoryNet();
  public final Peer creator;
  public final List<Peer> participants = new ArrayList<>();
  private final SecureRandom random = new SecureRandom();
  private final SwapSigConfig config;
  private final Duration blockInterval;
  private final java.nio.file.Path journals;

  private PoolHarness(
      int n, Duration blockInterval, SwapSigConfig config, java.nio.file.Path state, java.nio.file.Path journals)
      throws Exception {
    this.config = config;
    this.state = state;
    this.journals = journals;
    ChainSimulator.Builder b =
        ChainSimulator.builder()
            .params(ChainParams.builder().coinbaseMaturity(10).build())
            .blockInterval(blockInterval);
    if (state != null) {
      b.stateFile(state);
    }
    this.sim = b.build().start();
    this.blockInterval = blockInterval;
    this.chronik = ChronikClient.builder().urls(sim.url()).build();
    this.creator = peer("creator");
    for (int i = 0; i < n; i++) {
      Peer p = peer("participant-" + i);
      p.inputKey = PrivateKey.random(random);
      p.destinationKey = PrivateKey.random(random);
      p.destination = Scripts.p2pkh(p.destinationKey.publicKey());
      TxEntry paid = sim.fund(Scripts.p2pkh(p.inputKey.publicKey()), FUNDING);
      p.input = inputOf(paid.tx(), p.inputKey);
      participants.add(p);
    }
    sim.mine(1);
  }

  /** Starts a harness with {@code n} funded participants and blocks every {@code blockInterval}. */
  public static PoolHarness start(int n, Duration blockInterval) throws Exception {
    return new PoolHarness(n, blockInterval, defaultConfig(), null, null);
  }

  /**
   * As {@link #start(int, Duration)}, every node with a refund journal in {@code journals/<peer
   * id>}.
   */
  public static PoolHarness startWithJournals(int n, Duration blockInterval, java.nio.file.Path journals)
      throws Exception {
    return new PoolHarness(n, blockInterval, defaultConfig(), null, journals);
  }

  /** As {@link #start(int, Duration)} with a simulator state file (for restarts). */
  public static PoolHarness start(int n, Duration blockInterval, java.nio.file.Path state)
      throws Exception {
    return new PoolHarness(n, blockInterval, defaultConfig(), state, null);
  }

  /** Manager settings for tests: fast polling, a short grace, a guard long enough for a loaded machine. */
  public static SwapSigConfig defaultConfig() {
    return SwapSigConfig.builder()
        .pollInterval(Duration.ofMillis(200))
        .broadcastGrace(Duration.ofSeconds(2))
        .chainRetry(Duration.ofSeconds(60))
        .refundGuard(Duration.ofSeconds(60))
        .build();
  }

  /** Pool terms for tests: regtest, exactly {@code n} participants, refunds after 8 blocks. */
  public static PoolParameters.Builder params(int n) {
    return PoolParameters.builder(DENOMINATION)
        .network(Network.REGTEST)
        .participants(n, n)
        .registrationTimeout(Duration.ofSeconds(30))
        .setupTimeout(Duration.ofSeconds(15))
        .setupConfirmTimeout(Duration.ofSeconds(60))
        .settlementTimeout(Duration.ofSeconds(60))
        .refundLockBlocks(8);
  }

  /**
   * A node that restarts after {@code old} stopped: new keys, a new peer ID, nothing of its pools
   * but what its refund journal holds.
   */
  public Peer restarted(Peer old) throws Exception {
    Peer p = peer(old.peerId + "-restarted", journals.resolve(old.peerId));
    p.inputKey = old.inputKey;
    p.input = old.input;
    return p;
  }

  private Peer peer(String id) throws Exception {
    return peer(id, journals == null ? null : journals.resolve(id));
  }

  private Peer peer(String id, java.nio.file.Path journal) throws Exception {
    MemoryNet.Node node = net.node(id);
    SessionManager sessions =
        SessionManager.builder(node.sessionNetwork())
            .config(SessionConfig.builder().joinTimeout(Duration.ofSeconds(30)).build())
            .build();
    SwapSigManager.Builder b = SwapSigManager.builder(node.swapNetwork(), sessions, chronik).config(config);
    List<SwapSigEvent> events = new CopyOnWriteArrayList<>();
    b.listener(events::add);
    if (journal != null) {
      b.refundJournal(journal);
    }
    SwapSigManager swaps = b.build();
    node.attach(swaps, sessions);
    Peer p = new Peer(id, node, sessions, swaps, events);
    swaps.start().get(10, TimeUnit.SECONDS);
    return p;
  }

  private static SwapInput inputOf(Transaction tx, PrivateKey key) {
    Script s = Scripts.p2pkh(key.publicKey());
    for (int i = 0; i < tx.outputs().size(); i++) {
      TxOutput o = tx.outputs().get(i);
      if (o.script().equals(s)) {
        return new SwapInput(OutPoint.fromDisplayHex(tx.txid(), i), o, key);
      }
    }
    throw new IllegalStateException("funding transaction does not pay the key");
  }

  /**
   * Stops the simulator (it saves its chain and mempool to the state file) and starts a new one
   * from the file on the same port, as a restarted Chronik server.
   */
  public void restartSim() throws Exception {
    int port = java.net.URI.create(sim.url()).getPort();
    sim.stop();
    sim =
        ChainSimulator.builder()
            .params(ChainParams.builder().coinbaseMaturity(10).build())
            .blockInterval(blockInterval)
            .stateFile(state)
            .port(port)
            .build()
            .start();
  }

  /** Funds a new input of {@link #FUNDING} for a key. */
  public SwapInput fund(PrivateKey key) throws Exception {
    return inputOf(sim.fund(Scripts.p2pkh(key.publicKey()), FUNDING).tx(), key);
  }

  /** The creator creates a pool. */
  public PoolAnnouncement createPool(PoolParameters params) throws Exception {
    return creator.swaps.createPool(params).get(10, TimeUnit.SECONDS);
  }

  /** Every participant joins. */
  public List<SwapHandle> joinAll(PoolAnnouncement pool) throws Exception {
    List<SwapHandle> out = new ArrayList<>();
    for (Peer p : participants) {
      out.add(p.swaps.joinPool(pool, p.request()).get(10, TimeUnit.SECONDS));
    }
    return out;
  }

  /** Waits for every outcome. */
  public static List<org.lotusia.swapsig.SwapOutcome> outcomes(List<SwapHandle> hs, Duration max)
      throws Exception {
    CompletableFuture.allOf(hs.stream().map(SwapHandle::outcome).toArray(CompletableFuture[]::new))
        .get(max.toMillis(), TimeUnit.MILLISECONDS);
    return hs.stream().map(h -> h.outcome().join()).toList();
  }

  /** Confirmed and unconfirmed coins of a script, in satoshis. */
  public long balance(Script s) {
    return sim.ledger().unspentFor(s).stream().mapToLong(e -> e.getValue().output().value()).sum();
  }

  @Override
  public void close() {
    for (Peer p : participants) {
      p.swaps.close();
      p.sessions.closeAsync();
    }
    creator.swaps.close();
    creator.sessions.closeAsync();
    chronik.close();
    net.close();
    sim.close();
  }
}
