package org.lotusia.node.demo;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
import org.lotusia.musig2.p2p.net.MuSig2Sessions;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.swapsig.PoolFilter;
import org.lotusia.swapsig.PoolParameters;
import org.lotusia.swapsig.SwapHandle;
import org.lotusia.swapsig.SwapInput;
import org.lotusia.swapsig.SwapOutcome;
import org.lotusia.swapsig.SwapPhase;
import org.lotusia.swapsig.SwapRequest;
import org.lotusia.swapsig.SwapSigConfig;
import org.lotusia.swapsig.SwapSigEvent;
import org.lotusia.swapsig.net.SwapSigService;
import org.lotusia.swapsig.wire.SwapSigMessageTypes;
import org.lotusia.swapsig.wire.PoolAnnouncement;

/**
 * The steps of {@code lotus-p2p swapsig demo}, run by {@link Demo}: a whole SwapSig pool between
 * coordinators on loopback against an embedded chain simulator. One step per part of the pool
 * (chain, nodes, announcement, discovery, registration, setup, reveal, settlement, check), each
 * waiting until every participant has passed the phases it covers and checking what a user would;
 * the setup and settlement steps list every transaction broadcast with its raw hex in their
 * results. Node 0 creates the pool, nodes 1 to N take part.
 *
 * <p>Owns the simulator, the Chronik client and the SwapSig and MuSig2 bindings; {@link #close()}
 * releases them (the nodes belong to the {@link DemoNetwork}). Used from the demo's thread; the
 * SwapSig listeners write into concurrent collections.
 */
public final class SwapSigDemo implements AutoCloseable {

  private static final long DENOMINATION = 1_000_000;
  private static final long COIN = 1_100_000;

  private final int participants;
  private final Duration blockInterval;
  private final SecureRandom random = new SecureRandom();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<SwapSigService> services = new ArrayList<>();
  /** Last phase per participant (index 0 is participant 0, node 1). */
  private final Map<Integer, SwapPhase> phases = new ConcurrentHashMap<>();
  /** Transactions broadcast, by txid, in order: kind, txid, hex. */
  private final Map<String, Map<String, Object>> transactions =
      java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<String> aborts = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Script> destinations = new ArrayList<>();
  private final List<SwapHandle> handles = new ArrayList<>();
  private ChainSimulator sim;
  private ChronikClient chronik;
  private PoolAnnouncement pool;

  /**
   * A demo pool.
   *
   * @param participants participants, 3 to 20
   * @param blockInterval the simulator's block interval, 100 ms to 10 min
   * @throws IllegalArgumentException when a value is out of range
   */
  public SwapSigDemo(int participants, Duration blockInterval) {
    if (participants < 3 || participants > 20) {
      throw new IllegalArgumentException("--participants must be 3..20, got " + participants);
    }
    if (blockInterval.toMillis() < 100 || blockInterval.toMillis() > 600_000) {
      throw new IllegalArgumentException("--block-ms must be 100..600000, got " + blockInterval.toMillis());
    }
    this.participants = participants;
    this.blockInterval = blockInterval;
  }

  /**
   * The steps, in order.
   *
   * @return the steps
   */
  public List<DemoStep> steps() {
    return List.of(
        step("chain", "start a chain simulator served with Chronik's API", (net, p) -> chain()),
        step("nodes", "start " + (participants + 1) + " nodes with SwapSig and MuSig2 sessions", this::nodes),
        step("announce", "node 0 creates a pool and announces it on the topic and in the DHT", (net, p) -> announce(net)),
        step("discover", "every participant discovers the pool", this::discover),
        step("register", "fund one coin per participant on the chain and register it with an ownership proof",
            this::register),
        step("setup", "every participant funds its shared output with a burn; burns verified through Chronik",
            this::setup),
        step("reveal", "destinations revealed, encrypted to the co-signers that pay them", this::reveal),
        step("settlement", "MuSig2 settlements in ring order, broadcast and confirmed", this::settlement),
        step("check", "every destination holds one payout; nothing links an input to its output", (net, p) -> check()));
  }

  private StepResult chain() throws Exception {
    sim =
        ChainSimulator.builder()
            .params(ChainParams.builder().coinbaseMaturity(10).build())
            .blockInterval(blockInterval)
            .build()
            .start();
    closing.add(sim);
    chronik = ChronikClient.builder().urls(sim.url()).build();
    closing.add(chronik);
    return StepResult.passed(
        "Chronik API at " + sim.url() + ", a block every " + blockInterval.toMillis() + " ms",
        details("url", sim.url(), "blockMillis", blockInterval.toMillis()));
  }

  private StepResult nodes(DemoNetwork net, DemoStep.Progress p) throws Exception {
    List<P2PCoordinator> nodes = new ArrayList<>();
    for (int i = 0; i <= participants; i++) {
      p.update(i + " of " + (participants + 1) + " nodes started");
      nodes.add(net.startNode());
    }
    // a pool's messages go directly between its members; connect them all, as peers that found
    // each other through the pool would be
    for (int i = 0; i < nodes.size(); i++) {
      for (int j = i + 1; j < nodes.size(); j++) {
        net.await(nodes.get(i).connectToPeer(nodes.get(j).getStats().multiaddrs().get(0)), "a connection");
      }
    }
    SwapSigConfig config =
        SwapSigConfig.builder().pollInterval(Duration.ofMillis(Math.min(1000, blockInterval.toMillis() / 2))).build();
    for (int i = 0; i < nodes.size(); i++) {
      int participant = i - 1;
      MuSig2Sessions musig = MuSig2Sessions.open(nodes.get(i), PrivateKey.random(random));
      closing.add(musig);
      SwapSigService s =
          SwapSigService.builder(nodes.get(i), musig.manager(), chronik)
              .config(config)
              .listener(e -> record(participant, e))
              .build();
      closing.add(s);
      net.await(s.started(), "node " + i + "'s SwapSig service");
      services.add(s);
    }
    int others = participants;
    net.awaitCondition(
        "every node to see the others on the pool and session topics",
        () -> nodes.stream().allMatch(c -> c.getTopicPeers(SwapSigMessageTypes.POOL_TOPIC).size() >= others
            && c.getTopicPeers(SessionAnnouncement.TOPIC).size() >= others),
        () -> nodes.stream().filter(c -> c.getTopicPeers(SwapSigMessageTypes.POOL_TOPIC).size() >= others).count()
            + " of " + nodes.size() + " nodes see every other on " + SwapSigMessageTypes.POOL_TOPIC,
        p);
    List<Object> ids = new ArrayList<>();
    nodes.forEach(n -> ids.add(n.peerId()));
    return StepResult.passed(
        nodes.size() + " nodes connected on loopback, subscribed to " + SwapSigMessageTypes.POOL_TOPIC,
        details("peerIds", ids));
  }

  private StepResult announce(DemoNetwork net) {
    PoolParameters params =
        PoolParameters.builder(DENOMINATION)
            .network(Network.REGTEST)
            .participants(participants, participants)
            .refundLockBlocks(10)
            .build();
    pool = net.await(services.get(0).manager().createPool(params), "the pool's announcement");
    return StepResult.passed(
        "pool " + pool.poolId().substring(0, 16) + "...: " + participants + " x " + params.denomination()
            + " sats, burn " + params.burnAmount() + ", payout " + params.payoutAmount(),
        details("poolId", pool.poolId(), "denomination", params.denomination(), "burn", params.burnAmount(),
            "payout", params.payoutAmount(), "refundLockBlocks", params.refundLockBlocks()));
  }

  private StepResult discover(DemoNetwork net, DemoStep.Progress p) {
    Set<Integer> found = ConcurrentHashMap.newKeySet();
    net.awaitCondition(
        "every participant to discover the pool",
        () -> {
          for (int i = 1; i < services.size(); i++) {
            if (!found.contains(i)) {
              List<PoolAnnouncement> open =
                  net.await(services.get(i).manager().discoverPools(PoolFilter.denomination(DENOMINATION)), "a discovery");
              if (open.stream().anyMatch(a -> a.poolId().equals(pool.poolId()))) {
                found.add(i);
              }
            }
          }
          return found.size() == participants;
        },
        () -> found.size() + " of " + participants + " participants found the pool",
        p);
    return StepResult.passed(
        "all " + participants + " participants found the pool, its signature checked",
        details("poolId", pool.poolId(), "discoveredBy", participants));
  }

  private StepResult register(DemoNetwork net, DemoStep.Progress p) throws Exception {
    List<Object> coins = new ArrayList<>();
    for (int i = 1; i < services.size(); i++) {
      p.update("funding and registering participant " + (i - 1));
      PrivateKey key = PrivateKey.random(random);
      Script own = Scripts.p2pkh(key.publicKey());
      TxEntry paid = sim.fund(own, COIN);
      int vout = paid.tx().outputs().get(0).script().equals(own) ? 0 : 1;
      SwapInput input = new SwapInput(OutPoint.fromDisplayHex(paid.txid(), vout), paid.tx().outputs().get(vout), key);
      Script dest = Scripts.p2pkh(PrivateKey.random(random).publicKey());
      destinations.add(dest);
      coins.add(paid.txid() + ":" + vout);
      handles.add(net.await(services.get(i).manager().joinPool(pool.poolId(), SwapRequest.of(input, dest)), "a join"));
    }
    awaitPhase(net, p, SwapPhase.SETUP);
    return StepResult.passed(
        participants + " coins registered and checked on the chain; every participant accepted the roster",
        details("coins", coins));
  }

  private StepResult setup(DemoNetwork net, DemoStep.Progress p) {
    awaitPhase(net, p, SwapPhase.REVEAL);
    List<Map<String, Object>> txs = transactions("setup");
    Steps.check(txs.size() == participants, txs.size() + " setup transactions, expected " + participants);
    return StepResult.passed(
        txs.size() + " setup transactions confirmed, every burn verified", details("transactions", txs));
  }

  private StepResult reveal(DemoNetwork net, DemoStep.Progress p) {
    awaitPhase(net, p, SwapPhase.SETTLEMENT);
    return StepResult.passed(
        "every participant's destination reached the co-signers that pay it", details("participants", participants));
  }

  private StepResult settlement(DemoNetwork net, DemoStep.Progress p) {
    awaitPhase(net, p, SwapPhase.COMPLETE);
    CompletableFuture<Void> all =
        CompletableFuture.allOf(handles.stream().map(SwapHandle::outcome).toArray(CompletableFuture[]::new));
    net.await(all, "the outcomes");
    List<Object> payouts = new ArrayList<>();
    for (SwapHandle h : handles) {
      SwapOutcome o = h.outcome().join();
      Steps.check(o.status() == SwapOutcome.Status.COMPLETED, "a participant ended " + o);
      payouts.add(o.txid());
    }
    List<Map<String, Object>> txs = transactions("settlement");
    Steps.check(txs.size() == participants, txs.size() + " settlements, expected " + participants);
    return StepResult.passed(
        participants + " settlements signed with MuSig2 (SIGHASH_LOTUS, Taproot key path) and confirmed",
        details("transactions", txs, "payouts", payouts));
  }

  private StepResult check() {
    long payout = pool.params().payoutAmount();
    for (int i = 0; i < destinations.size(); i++) {
      var coins = sim.ledger().unspentFor(destinations.get(i));
      Steps.check(coins.size() == 1 && coins.get(0).getValue().output().value() == payout,
          "participant " + i + "'s destination holds " + coins.size() + " outputs, expected one of " + payout);
    }
    Set<Script> dests = new HashSet<>(destinations);
    List<Map<String, Object>> all;
    synchronized (transactions) {
      all = List.copyOf(transactions.values());
    }
    for (Map<String, Object> t : all) {
      String txid = (String) t.get("txid");
      Steps.check(sim.ledger().tx(txid).isPresent(), "transaction " + txid + " is not on the simulated chain");
      Transaction tx = Transaction.fromHex((String) t.get("hex"));
      if ("setup".equals(t.get("kind"))) {
        Steps.check(tx.outputs().get(0).value() == DENOMINATION, "a shared output holds another amount");
        for (TxOutput o : tx.outputs()) {
          Steps.check(!dests.contains(o.script()), "a destination appears in a setup transaction");
        }
      } else if ("settlement".equals(t.get("kind"))) {
        Steps.check(tx.inputs().size() == 1 && tx.outputs().size() == 1 && tx.outputs().get(0).value() == payout,
            "a settlement is not one input to one output of the payout");
      }
    }
    return StepResult.passed(
        "each of " + participants + " destinations holds exactly one output of " + payout
            + " sats; every shared output and payout has the same amount",
        details("payout", payout, "transactions", all.size()));
  }

  private void awaitPhase(DemoNetwork net, DemoStep.Progress p, SwapPhase phase) {
    net.awaitCondition(
        "every participant to reach " + phase.wireName(),
        () -> {
          Steps.check(aborts.isEmpty(), "the pool aborted: " + aborts);
          return countAtLeast(phase) == participants;
        },
        () -> countAtLeast(phase) + " of " + participants + " participants reached " + phase.wireName()
            + " (" + phaseCounts() + ")",
        p);
  }

  private static final List<SwapPhase> ORDER =
      List.of(SwapPhase.DISCOVERY, SwapPhase.REGISTRATION, SwapPhase.SETUP, SwapPhase.SETUP_CONFIRM,
          SwapPhase.REVEAL, SwapPhase.SETTLEMENT, SwapPhase.SETTLEMENT_CONFIRM, SwapPhase.COMPLETE);

  private long countAtLeast(SwapPhase phase) {
    int want = ORDER.indexOf(phase);
    return phases.values().stream().filter(ph -> ORDER.indexOf(ph) >= want).count();
  }

  private String phaseCounts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (SwapPhase ph : EnumSet.allOf(SwapPhase.class)) {
      int c = (int) phases.values().stream().filter(ph::equals).count();
      if (c > 0) {
        counts.put(ph.wireName(), c);
      }
    }
    return counts.toString();
  }

  private List<Map<String, Object>> transactions(String kind) {
    synchronized (transactions) {
      return transactions.values().stream().filter(t -> kind.equals(t.get("kind"))).toList();
    }
  }

  private void record(int participant, SwapSigEvent e) {
    if (e instanceof SwapSigEvent.PhaseChanged c && !c.creator() && participant >= 0) {
      phases.put(participant, c.to());
    } else if (e instanceof SwapSigEvent.SetupTxBroadcast s) {
      tx("setup", s.txid(), s.rawTx());
    } else if (e instanceof SwapSigEvent.SettlementTxBroadcast s) {
      tx("settlement", s.txid(), s.rawTx());
    } else if (e instanceof SwapSigEvent.RefundBroadcast s) {
      tx("refund", s.txid(), s.rawTx());
    } else if (e instanceof SwapSigEvent.PoolAborted a) {
      aborts.add((participant < 0 ? "creator" : "participant " + participant) + ": " + a.reason());
    }
  }

  private void tx(String kind, String txid, String hex) {
    transactions.computeIfAbsent(txid, id -> details("kind", kind, "txid", id, "hex", hex));
  }

  /** Closes the SwapSig and MuSig2 bindings, the Chronik client and the simulator, last first. */
  @Override
  public void close() {
    for (int i = closing.size() - 1; i >= 0; i--) {
      try {
        closing.get(i).close();
      } catch (Exception e) {
        // shutting down: the nodes may be stopped already
      }
    }
    closing.clear();
  }

  private interface Body {
    StepResult run(DemoNetwork net, DemoStep.Progress p) throws Exception;
  }

  private static DemoStep step(String name, String description, Body body) {
    return new DemoStep() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String description() {
        return description;
      }

      @Override
      public StepResult run(DemoNetwork network, Progress progress) throws Exception {
        return body.run(network, progress);
      }
    };
  }

  private static Map<String, Object> details(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
