package org.lotusia.chainsim.chronik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.builder.BuiltTransaction;
import org.lotusia.chain.builder.TransactionBuilder;
import org.lotusia.chain.burn.BurnPolicy;
import org.lotusia.chain.burn.BurnVerification;
import org.lotusia.chain.burn.BurnVerifier;
import org.lotusia.chain.burn.LtmsIdentityBurn;
import org.lotusia.chain.burn.SwapSigBurn;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.chronik.ChronikErrorException;
import org.lotusia.chain.chronik.ChronikEvent;
import org.lotusia.chain.chronik.ChronikWebSocket;
import org.lotusia.chain.chronik.ChronikOutPoint;
import org.lotusia.chain.chronik.ScriptUtxos;
import org.lotusia.chain.chronik.Tx;
import org.lotusia.chain.chronik.UtxoState;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.monitor.ConfirmationWatch;
import org.lotusia.chain.monitor.TransactionMonitor;
import org.lotusia.chain.monitor.TxConfirmation;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.chainsim.ChainSimulator;
import org.lotusia.chainsim.ledger.TxEntry;

/**
 * The SDK's Chronik client, BurnVerifier and TransactionMonitor against the simulator over real
 * HTTP and WebSocket on loopback.
 */
class ChronikEndToEndTest {

  private ChainSimulator sim;
  private ChronikClient chronik;
  private final PrivateKey alice = PrivateKey.random(new SecureRandom());
  private Script aliceScript;

  @BeforeEach
  void start() throws Exception {
    sim = ChainSimulator.builder().build().start();
    chronik = ChronikClient.builder().urls(sim.url()).build();
    aliceScript = Scripts.p2pkh(alice.publicKey());
  }

  @AfterEach
  void stop() {
    chronik.close();
    sim.stop();
  }

  private static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  /** Funds alice with one confirmed output and returns the funding entry. */
  private TxEntry fundAlice(long sats) throws Exception {
    TxEntry e = sim.fund(aliceScript, sats);
    sim.mine(1);
    return e;
  }

  private BuiltTransaction aliceSpend(TxEntry funding, List<TxOutput> outputs) {
    TransactionBuilder b =
        new TransactionBuilder()
            .addP2pkhInput(
                new org.lotusia.chain.tx.OutPoint(funding.tx().txidBytes(), 0),
                funding.tx().outputs().get(0),
                alice)
            .changeTo(aliceScript);
    outputs.forEach(b::addOutput);
    return b.build();
  }

  @Test
  void broadcastMempoolMineAndConfirmations() throws Exception {
    assertThat(get(chronik.blockchainInfo()).tipHeight()).isEqualTo(100);
    TxEntry funding = fundAlice(10_000_000);
    List<ScriptUtxos> utxos = get(chronik.scriptUtxos(aliceScript.chronikScript()));
    assertThat(utxos).hasSize(1);
    assertThat(utxos.get(0).utxos()).singleElement().satisfies(u -> {
      assertThat(u.value()).isEqualTo(10_000_000);
      assertThat(u.blockHeight()).isEqualTo(101);
      assertThat(u.outpoint().txid()).isEqualTo(funding.txid());
    });

    BuiltTransaction pay =
        aliceSpend(funding, List.of(new TxOutput(3_000_000, sim.faucet().script())));
    String txid = get(chronik.broadcastTx(pay.transaction().serialize()));
    assertThat(txid).isEqualTo(pay.transaction().txid());
    Tx inPool = get(chronik.tx(txid));
    assertThat(inPool.isMined()).isFalse();
    assertThat(inPool.inputs().get(0).value()).isEqualTo(10_000_000);
    assertThat(get(chronik.rawTx(txid))).isEqualTo(pay.transaction().serialize());

    TransactionMonitor monitor =
        TransactionMonitor.builder(chronik).pollInterval(Duration.ofMillis(200)).build();
    try {
      assertThat(get(monitor.checkConfirmations(txid, 1)).status())
          .isEqualTo(TxConfirmation.Status.MEMPOOL);
      ConfirmationWatch watch = monitor.waitForConfirmation(txid, 2);
      sim.mine(1);
      assertThat(get(monitor.checkConfirmations(txid, 1)).confirmations()).isEqualTo(1);
      sim.mine(1);
      TxConfirmation done = watch.future().get(30, TimeUnit.SECONDS);
      assertThat(done.confirmed()).isTrue();
      assertThat(done.blockHeight()).isEqualTo(102);
    } finally {
      monitor.close();
    }
    Tx mined = get(chronik.tx(txid));
    assertThat(mined.block().height()).isEqualTo(102);
    assertThat(get(chronik.tx(funding.txid())).outputs().get(0).spentBy())
        .isEqualTo(new ChronikOutPoint(txid, 0));
    assertThat(get(chronik.block(102)).txs()).extracting(Tx::txid).contains(txid);
    assertThat(get(chronik.blocks(100, 103))).hasSize(4);
    assertThat(
            get(chronik.validateUtxos(List.of(new ChronikOutPoint(funding.txid(), 0), new ChronikOutPoint(txid, 1)))))
        .extracting(UtxoState::state)
        .containsExactly(UtxoState.Variant.SPENT, UtxoState.Variant.UNSPENT);
    var history =
        get(
            chronik.scriptHistory(
                org.lotusia.chain.chronik.ChronikScriptType.P2PKH, aliceScript.hash160(), 0, 10));
    assertThat(history.txs()).extracting(Tx::txid).containsExactly(txid, funding.txid());
  }

  @Test
  void refusedTransactionSurfacesLotusdReason() throws Exception {
    TxEntry funding = fundAlice(10_000_000);
    BuiltTransaction first = aliceSpend(funding, List.of(new TxOutput(3_000_000, sim.faucet().script())));
    BuiltTransaction second = aliceSpend(funding, List.of(new TxOutput(4_000_000, sim.faucet().script())));
    get(chronik.broadcastTx(first.transaction().serialize()));
    Throwable t =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class, () -> get(chronik.broadcastTx(second.transaction().serialize())));
    ChronikErrorException e = (ChronikErrorException) unwrap(t);
    assertThat(e.httpStatus()).isEqualTo(400);
    assertThat(e.errorCode()).isEqualTo("broadcast-failed");
    assertThat(e.errorMessage()).isEqualTo("Broadcast failed: txn-mempool-conflict");
    assertThat(e.isUserError()).isTrue();

    Throwable nf =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class, () -> get(chronik.tx("ab".repeat(32))));
    assertThat(((ChronikErrorException) unwrap(nf)).isNotFound()).isTrue();
  }

  @Test
  void webSocketReportsMempoolConfirmationAndBlocks() throws Exception {
    List<ChronikEvent> events = new CopyOnWriteArrayList<>();
    ChronikWebSocket ws = chronik.webSocket(events::add);
    get(ws.connect());
    ws.subscribe(aliceScript.chronikScript());
    // the subscription travels on the socket; a funding payment shows it arrived
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              sim.fund(aliceScript, 1_000_000);
              return events.stream().anyMatch(ev -> ev instanceof ChronikEvent.AddedToMempool);
            });
    String txid = ((ChronikEvent.AddedToMempool) events.stream()
        .filter(ev -> ev instanceof ChronikEvent.AddedToMempool).findFirst().orElseThrow()).txid();
    String block = sim.mine(1).get(0).hashHex();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                events.contains(new ChronikEvent.Confirmed(txid))
                    && events.contains(new ChronikEvent.BlockConnected(block)));
    ws.close();
  }

  @Test
  void swapSigAndLtmsBurnsVerify() throws Exception {
    TxEntry funding = fundAlice(100_000_000);
    String poolId = "a1".repeat(32);
    long burn = SwapSigBurn.burnAmount(1_000_000);
    byte[] ltms = LtmsIdentityBurn.script(alice.publicKeyBytes());
    BuiltTransaction tx =
        aliceSpend(
            funding,
            List.of(
                new TxOutput(burn, Script.of(SwapSigBurn.script(poolId))),
                new TxOutput(LtmsIdentityBurn.IDENTITY_REGISTRATION_AMOUNT, Script.of(ltms))));
    String txid = get(chronik.broadcastTx(tx.transaction().serialize()));
    BurnVerifier verifier = new BurnVerifier(chronik);
    BurnPolicy swapPolicy = SwapSigBurn.policy(burn, poolId, 1);
    assertThat(get(verifier.verify(txid, 0, swapPolicy)))
        .isInstanceOfSatisfying(
            BurnVerification.Rejected.class,
            r -> assertThat(r.reason()).isEqualTo(BurnVerification.Reason.UNCONFIRMED));
    sim.mine(1);
    assertThat(get(verifier.verify(txid, 0, swapPolicy)).isAccepted()).isTrue();
    BurnPolicy ltmsPolicy = BurnPolicy.ltmsIdentityRegistration();
    assertThat(get(verifier.verify(txid, 1, ltmsPolicy)))
        .isInstanceOfSatisfying(
            BurnVerification.Rejected.class,
            r -> assertThat(r.reason()).isEqualTo(BurnVerification.Reason.IMMATURE));
    sim.mine(LtmsIdentityBurn.IDENTITY_REGISTRATION_MATURATION - 1);
    assertThat(get(verifier.verify(txid, 1, ltmsPolicy)).isAccepted()).isTrue();
    assertThat(get(verifier.verify(txid, 0, ltmsPolicy)).isAccepted()).isFalse();
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
