package org.lotusia.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.lotusia.chain.address.Network;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chainsim.ChainSimulator;
import org.lotusia.chainsim.ledger.ChainParams;
import org.lotusia.chainsim.ledger.TxEntry;
import org.lotusia.musig2.p2p.net.MuSig2Sessions;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.p2p.coordinator.MonitorConfig;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.swapsig.PoolParameters;
import org.lotusia.swapsig.SwapHandle;
import org.lotusia.swapsig.SwapInput;
import org.lotusia.swapsig.SwapOutcome;
import org.lotusia.swapsig.SwapRequest;
import org.lotusia.swapsig.SwapSigConfig;
import org.lotusia.swapsig.SwapSigEvent;
import org.lotusia.swapsig.net.SwapSigService;
import org.lotusia.swapsig.wire.MessageTypes;
import org.lotusia.swapsig.wire.PoolAnnouncement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lotus-p2p swapsig}: SwapSig tools. */
@Command(
    name = "swapsig",
    mixinStandardHelpOptions = true,
    description = "SwapSig pools (see docs/SWAPSIG.md).",
    subcommands = SwapSigCommand.Demo.class)
final class SwapSigCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code lotus-p2p swapsig demo}: a whole pool between coordinators on loopback against an
   * embedded chain simulator; prints every phase of every node and, with {@code --json}, every
   * transaction broadcast as JSON lines with its raw hex. Exit code 0 when every participant is
   * paid.
   */
  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description = "Run a SwapSig pool between local nodes against an embedded chain simulator.")
  static final class Demo implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--participants", defaultValue = "5", description = "Participants, 3..20 (default ${DEFAULT-VALUE}).")
    int participants;

    @Option(names = "--block-ms", defaultValue = "1000", description = "Block interval in ms (default ${DEFAULT-VALUE}).")
    long blockMs;

    @Option(names = "--json", description = "JSON lines: every phase and every broadcast transaction with its hex.")
    boolean json;

    @Option(names = "--timeout", defaultValue = "300", description = "Give up after this many seconds (default ${DEFAULT-VALUE}).")
    long timeout;

    private final ObjectMapper mapper = new ObjectMapper();
    private final Set<String> printedTxs = ConcurrentHashMap.newKeySet();
    private long start;
    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
      if (participants < 3 || participants > 20) {
        throw new IllegalArgumentException("--participants must be 3..20, got " + participants);
      }
      if (blockMs < 100 || blockMs > 600_000) {
        throw new IllegalArgumentException("--block-ms must be 100..600000, got " + blockMs);
      }
      out = spec.commandLine().getOut();
      start = System.currentTimeMillis();
      List<AutoCloseable> closing = new ArrayList<>();
      try (ChainSimulator sim =
          ChainSimulator.builder()
              .params(ChainParams.builder().coinbaseMaturity(10).build())
              .blockInterval(Duration.ofMillis(blockMs))
              .build()
              .start()) {
        ChronikClient chronik = ChronikClient.builder().urls(sim.url()).build();
        closing.add(chronik);
        say("chain", "chain simulator at " + sim.url() + ", a block every " + blockMs + " ms");
        List<SwapSigService> nodes = startNodes(chronik, closing);
        PoolParameters params =
            PoolParameters.builder(1_000_000)
                .network(Network.REGTEST)
                .participants(participants, participants)
                .refundLockBlocks(10)
                .build();
        long created = System.currentTimeMillis();
        PoolAnnouncement pool = nodes.get(0).manager().createPool(params).get(30, TimeUnit.SECONDS);
        say("creator", "pool " + pool.poolId() + ": " + participants + " participants of "
            + params.denomination() + " sats, burn " + params.burnAmount() + ", payout " + params.payoutAmount());
        List<SwapHandle> handles = new ArrayList<>();
        for (int i = 1; i < nodes.size(); i++) {
          PrivateKey key = PrivateKey.random(new SecureRandom());
          TxEntry paid = sim.fund(Scripts.p2pkh(key.publicKey()), 1_100_000);
          int vout = paid.tx().outputs().get(0).script().equals(Scripts.p2pkh(key.publicKey())) ? 0 : 1;
          SwapInput input = new SwapInput(OutPoint.fromDisplayHex(paid.txid(), vout), paid.tx().outputs().get(vout), key);
          Script dest = Scripts.p2pkh(PrivateKey.random(new SecureRandom()).publicKey());
          handles.add(nodes.get(i).manager().joinPool(pool.poolId(), SwapRequest.of(input, dest)).get(30, TimeUnit.SECONDS));
        }
        CompletableFuture.allOf(handles.stream().map(SwapHandle::outcome).toArray(CompletableFuture[]::new))
            .get(timeout, TimeUnit.SECONDS);
        long paid = handles.stream().filter(h -> h.outcome().join().status() == SwapOutcome.Status.COMPLETED).count();
        for (int i = 0; i < handles.size(); i++) {
          SwapOutcome o = handles.get(i).outcome().join();
          say("participant-" + i, o.status().name().toLowerCase() + " " + o.amount() + " sats"
              + (o.txid() == null ? "" : " in " + o.txid()) + (o.reason() == null ? "" : ": " + o.reason()));
        }
        say("done", paid + " of " + participants + " participants paid, "
            + (System.currentTimeMillis() - created) / 1000.0 + " s after the pool was created; "
            + printedTxs.size() + " transactions broadcast");
        return paid == participants ? 0 : 1;
      } finally {
        for (int i = closing.size() - 1; i >= 0; i--) {
          try {
            closing.get(i).close();
          } catch (Exception e) {
            // shutting down
          }
        }
      }
    }

    private List<SwapSigService> startNodes(ChronikClient chronik, List<AutoCloseable> closing) throws Exception {
      List<P2PCoordinator> coords = new ArrayList<>();
      for (int i = 0; i <= participants; i++) {
        P2PCoordinator c = new P2PCoordinator(P2PConfig.builder().listen("/ip4/127.0.0.1/tcp/0").dhtServer(true)
            .monitor(MonitorConfig.fast()).build());
        c.start().get(30, TimeUnit.SECONDS);
        closing.add(c);
        coords.add(c);
      }
      for (int i = 0; i < coords.size(); i++) {
        for (int j = i + 1; j < coords.size(); j++) {
          coords.get(i).connectToPeer(coords.get(j).getStats().multiaddrs().get(0)).get(30, TimeUnit.SECONDS);
        }
      }
      List<SwapSigService> out = new ArrayList<>();
      SwapSigConfig config = SwapSigConfig.builder().pollInterval(Duration.ofMillis(Math.min(1000, blockMs / 2))).build();
      for (int i = 0; i < coords.size(); i++) {
        String name = i == 0 ? "creator" : "participant-" + (i - 1);
        MuSig2Sessions musig = MuSig2Sessions.open(coords.get(i), PrivateKey.random(new SecureRandom()));
        closing.add(musig);
        SwapSigService s = SwapSigService.builder(coords.get(i), musig.manager(), chronik).config(config)
            .listener(e -> print(name, e)).build();
        closing.add(s);
        s.started().get(30, TimeUnit.SECONDS);
        out.add(s);
      }
      long deadline = System.currentTimeMillis() + 60_000;
      while (!coords.stream().allMatch(c -> c.getTopicPeers(MessageTypes.POOL_TOPIC).size() >= participants
          && c.getTopicPeers(SessionAnnouncement.TOPIC).size() >= participants)) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("the GossipSub mesh did not form within 60 s");
        }
        Thread.sleep(100); // polling a condition with a deadline
      }
      say("network", coords.size() + " nodes connected on loopback");
      return out;
    }

    private void print(String node, SwapSigEvent e) {
      if (e instanceof SwapSigEvent.PhaseChanged c) {
        say(node, c.to().wireName(), "phase", c.to().wireName());
      } else if (e instanceof SwapSigEvent.SetupTxBroadcast s) {
        tx("setup", s.txid(), s.rawTx());
      } else if (e instanceof SwapSigEvent.SettlementTxBroadcast s) {
        tx("settlement", s.txid(), s.rawTx());
      } else if (e instanceof SwapSigEvent.RefundBroadcast s) {
        tx("refund", s.txid(), s.rawTx());
      } else if (e instanceof SwapSigEvent.PoolAborted a) {
        say(node, "aborted: " + a.reason(), "aborted", a.reason());
      }
    }

    private void tx(String kind, String txid, String hex) {
      if (printedTxs.add(txid)) {
        if (json) {
          ObjectNode o = line("chain", "tx").put("kind", kind).put("txid", txid).put("hex", hex);
          emit(o);
        } else {
          say("chain", kind + " transaction " + txid + " (" + hex.length() / 2 + " bytes)");
        }
      }
    }

    private void say(String node, String text) {
      say(node, text, "info", text);
    }

    private void say(String node, String text, String event, String value) {
      if (json) {
        emit(line(node, event).put("value", value));
      } else {
        synchronized (this) {
          out.printf("[%7.1fs] %-15s %s%n", (System.currentTimeMillis() - start) / 1000.0, node, text);
        }
      }
    }

    private ObjectNode line(String node, String event) {
      return mapper.createObjectNode().put("timeMs", System.currentTimeMillis() - start).put("node", node).put("event", event);
    }

    private synchronized void emit(ObjectNode o) {
      out.println(o.toString());
    }
  }
}
