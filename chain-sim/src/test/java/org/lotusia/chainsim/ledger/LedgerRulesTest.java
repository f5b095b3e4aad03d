package org.lotusia.chainsim.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.builder.TransactionBuilder;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.sighash.SigHashType;
import org.lotusia.chain.taproot.LotusTaproot;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxInput;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.chainsim.wallet.SimWallet;
import org.lotusia.chainsim.wallet.TaprootRefundOutput;

/** One test per consensus or policy rule: the wrong transaction is refused with lotusd's reason. */
class LedgerRulesTest {

  private final SteppingClock clock = new SteppingClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final PrivateKey faucetKey = PrivateKey.random(new SecureRandom());
  private final PrivateKey alice = PrivateKey.random(new SecureRandom());
  private Ledger ledger;
  private SimWallet faucet;

  @BeforeEach
  void chain() {
    ledger = new Ledger(ChainParams.defaults(), clock, Scripts.p2pkh(faucetKey.publicKey()));
    faucet = new SimWallet(ledger, faucetKey);
    mine(100);
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  private void mine(int n) {
    for (int i = 0; i < n; i++) {
      clock.step(Duration.ofMinutes(2));
      ledger.mine(faucet.script());
    }
  }

  /** Pays alice and confirms; returns alice's outpoint. */
  private Map.Entry<OutPoint, TxOutput> fundAlice(long sats) throws Exception {
    TxEntry e = faucet.pay(Scripts.p2pkh(alice.publicKey()), sats);
    mine(1);
    return Map.entry(new OutPoint(e.tx().txidBytes(), 0), e.tx().outputs().get(0));
  }

  private static String reason(ThrowingRunnable r) {
    try {
      r.run();
    } catch (TxRejectedException e) {
      return e.reason();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("transaction was accepted");
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private Transaction payBack(Map.Entry<OutPoint, TxOutput> coin, long fee, long seq, long lockTime, int type) {
    return Spends.p2pkh(
        alice,
        coin.getKey(),
        coin.getValue(),
        List.of(new TxOutput(coin.getValue().value() - fee, faucet.script())),
        seq,
        lockTime,
        type);
  }

  @Test
  void validPaymentIsMinedAndConfirmed() throws Exception {
    var coin = fundAlice(1_000_000);
    TxEntry e = ledger.submit(payBack(coin, 500, 0xffffffffL, 0, SigHashType.ALL_FORKID));
    assertThat(ledger.tx(e.txid()).orElseThrow().inMempool()).isTrue();
    mine(1);
    assertThat(ledger.tx(e.txid()).orElseThrow().blockHeight()).isEqualTo(ledger.tipHeight());
    assertThat(ledger.confirmedCoin(coin.getKey())).isEmpty();
  }

  @Test
  void badSignatureIsRefused() throws Exception {
    var coin = fundAlice(1_000_000);
    Transaction good = payBack(coin, 500, 0xffffffffL, 0, SigHashType.ALL_FORKID);
    Transaction other = payBack(coin, 600, 0xffffffffL, 0, SigHashType.ALL_FORKID);
    Transaction forged = good.withInputScript(0, other.inputs().get(0).scriptSig());
    assertThat(reason(() -> ledger.submit(forged)))
        .isEqualTo(
            "mandatory-script-verify-flag-failed (Signature must be zero for failed CHECK(MULTI)SIG operation)");
  }

  @Test
  void legacySighashTypeIsRefused() throws Exception {
    var coin = fundAlice(1_000_000);
    assertThat(reason(() -> ledger.submit(payBack(coin, 500, 0xffffffffL, 0, SigHashType.ALL))))
        .isEqualTo(
            "mandatory-script-verify-flag-failed (Signature must use SIGHASH_FORKID or SIGHASH_LOTUS)");
  }

  @Test
  void missingInputIsRefused() throws Exception {
    var coin = fundAlice(1_000_000);
    var ghost = Map.entry(new OutPoint(new byte[32], 7), coin.getValue());
    assertThat(reason(() -> ledger.submit(payBack(ghost, 500, 0xffffffffL, 0, 0x41))))
        .isEqualTo("bad-txns-inputs-missingorspent");
  }

  @Test
  void doubleSpendInMempoolIsRefused() throws Exception {
    var coin = fundAlice(1_000_000);
    ledger.submit(payBack(coin, 500, 0xffffffffL, 0, 0x41));
    assertThat(reason(() -> ledger.submit(payBack(coin, 900, 0xffffffffL, 0, 0x41))))
        .isEqualTo("txn-mempool-conflict");
  }

  @Test
  void doubleSpendOfAMinedOutputIsRefused() throws Exception {
    var coin = fundAlice(1_000_000);
    ledger.submit(payBack(coin, 500, 0xffffffffL, 0, 0x41));
    mine(1);
    assertThat(reason(() -> ledger.submit(payBack(coin, 900, 0xffffffffL, 0, 0x41))))
        .isEqualTo("bad-txns-inputs-missingorspent");
  }

  @Test
  void feeBelowMinimumRelayFeeIsRefused() throws Exception {
    var coin = fundAlice(1_000_000);
    TxRejectedException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            TxRejectedException.class,
            () -> ledger.submit(payBack(coin, 10, 0xffffffffL, 0, 0x41)));
    assertThat(e.reason()).isEqualTo("min relay fee not met");
    assertThat(e.getMessage()).matches("min relay fee not met, 10 < \\d+");
  }

  @Test
  void outputsAboveInputsAreRefused() throws Exception {
    var coin = fundAlice(1_000_000);
    assertThat(reason(() -> ledger.submit(payBack(coin, -5, 0xffffffffL, 0, 0x41))))
        .isEqualTo("bad-txns-in-belowout");
  }

  @Test
  void immatureCoinbaseIsRefusedUntilMature() throws Exception {
    SimBlock b = ledger.mine(Scripts.p2pkh(alice.publicKey()));
    Transaction cb = b.txs().get(0);
    var coin = Map.entry(new OutPoint(cb.txidBytes(), 1), cb.outputs().get(1));
    TxRejectedException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            TxRejectedException.class,
            () -> ledger.submit(payBack(coin, 1000, 0xffffffffL, 0, 0x41)));
    assertThat(e.reason()).isEqualTo("bad-txns-premature-spend-of-coinbase");
    assertThat(e.debug()).isEqualTo("tried to spend coinbase at depth 1");
    mine(99);
    ledger.submit(payBack(coin, 1000, 0xffffffffL, 0, 0x41));
  }

  @Test
  void nonFinalLockTimeIsRefusedUntilTheHeight() throws Exception {
    var coin = fundAlice(1_000_000);
    long lockHeight = ledger.tipHeight() + 3;
    Transaction tx = payBack(coin, 500, 0xfffffffeL, lockHeight, 0x41);
    assertThat(reason(() -> ledger.submit(tx))).isEqualTo("bad-txns-nonfinal");
    mine(2);
    assertThat(reason(() -> ledger.submit(tx))).isEqualTo("bad-txns-nonfinal");
    mine(1);
    ledger.submit(tx);
  }

  @Test
  void relativeLockTimeIsRefusedUntilReached() throws Exception {
    var coin = fundAlice(1_000_000);
    // coin confirmed at the tip; 5 blocks relative lock: valid in the block 5 above the coin's
    Transaction tx = payBack(coin, 500, 5, 0, 0x41);
    assertThat(reason(() -> ledger.submit(tx))).isEqualTo("non-BIP68-final");
    mine(3);
    assertThat(reason(() -> ledger.submit(tx))).isEqualTo("non-BIP68-final");
    mine(1);
    ledger.submit(tx);
  }

  @Test
  void timeBasedRelativeLockUsesMedianTimePast() throws Exception {
    var coin = fundAlice(1_000_000);
    // 2 units of 512 s
    long seq = TxCheckerBits.TYPE_FLAG | 2;
    Transaction tx = payBack(coin, 500, seq, 0, 0x41);
    assertThat(reason(() -> ledger.submit(tx))).isEqualTo("non-BIP68-final");
    mine(20);
    ledger.submit(tx);
  }

  @Test
  void dustAndTooManyDataOutputsAreNonStandard() throws Exception {
    var coin = fundAlice(1_000_000);
    Transaction dust =
        Spends.p2pkh(
            alice,
            coin.getKey(),
            coin.getValue(),
            List.of(new TxOutput(545, faucet.script()), new TxOutput(998_000, faucet.script())),
            0xffffffffL,
            0,
            0x41);
    assertThat(reason(() -> ledger.submit(dust))).isEqualTo("dust");
    Script data = Scripts.opReturn(new byte[] {1});
    Transaction fourData =
        Spends.p2pkh(
            alice,
            coin.getKey(),
            coin.getValue(),
            List.of(
                new TxOutput(0, data),
                new TxOutput(0, data),
                new TxOutput(0, data),
                new TxOutput(0, data),
                new TxOutput(998_000, faucet.script())),
            0xffffffffL,
            0,
            0x41);
    assertThat(reason(() -> ledger.submit(fourData))).isEqualTo("multi-op-return");
  }

  @Test
  void sdkBuilderSpendsVerify() throws Exception {
    var coin = fundAlice(2_000_000);
    PrivateKey internal = PrivateKey.random(new SecureRandom());
    Script p2tr = LotusTaproot.outputScript(Secp256k1.defaultProvider(), internal.publicKey());
    // P2PKH Schnorr into a Taproot output
    var built =
        new TransactionBuilder()
            .addP2pkhInput(coin.getKey(), coin.getValue(), alice)
            .schnorrForP2pkh(true)
            .payTo(p2tr, 1_500_000)
            .changeTo(Scripts.p2pkh(alice.publicKey()))
            .build();
    ledger.submit(built.transaction());
    mine(1);
    // Taproot key path back to the faucet
    var keyPath =
        new TransactionBuilder()
            .addTaprootKeyPathInput(
                new OutPoint(built.transaction().txidBytes(), 0),
                built.transaction().outputs().get(0),
                internal)
            .changeTo(faucet.script())
            .build();
    ledger.submit(keyPath.transaction());
    // P2PKH with SIGHASH_LOTUS (lotusd commits to the executed script for P2PKH)
    var change = new OutPoint(built.transaction().txidBytes(), 1);
    var lotus =
        new TransactionBuilder()
            .addP2pkhInput(change, built.transaction().outputs().get(1), alice)
            .p2pkhSigHashType(SigHashType.ALL_LOTUS)
            .changeTo(faucet.script())
            .build();
    ledger.submit(lotus.transaction());
  }

  @Test
  void taprootScriptPathRefundRespectsItsLock() throws Exception {
    var coin = fundAlice(2_000_000);
    PrivateKey internal = PrivateKey.random(new SecureRandom());
    TaprootRefundOutput refund = new TaprootRefundOutput(internal.publicKey(), alice.publicKey(), 10);
    Script p2tr = refund.outputScript(Secp256k1.defaultProvider());
    Transaction fundTx =
        Spends.p2pkh(
            alice,
            coin.getKey(),
            coin.getValue(),
            List.of(new TxOutput(1_999_000, p2tr)),
            0xffffffffL,
            0,
            0x41);
    ledger.submit(fundTx);
    mine(1);
    OutPoint locked = new OutPoint(fundTx.txidBytes(), 0);
    List<TxOutput> spent = List.of(fundTx.outputs().get(0));
    // sequence below the script's lock: the script itself refuses
    Transaction early = refundTx(refund, locked, spent, 9);
    mine(20);
    assertThat(reason(() -> ledger.submit(early)))
        .isEqualTo("mandatory-script-verify-flag-failed (Locktime requirement not satisfied)");
    // sequence at the lock but the coin not deep enough yet: BIP68 refuses
    Map.Entry<OutPoint, TxOutput> coin2 = fundAlice(2_000_000);
    Transaction fund2 =
        Spends.p2pkh(
            alice, coin2.getKey(), coin2.getValue(), List.of(new TxOutput(1_999_000, p2tr)), 0xffffffffL, 0, 0x41);
    ledger.submit(fund2);
    mine(1);
    Transaction onTime = refundTx(refund, new OutPoint(fund2.txidBytes(), 0), List.of(fund2.outputs().get(0)), 10);
    assertThat(reason(() -> ledger.submit(onTime))).isEqualTo("non-BIP68-final");
    mine(9);
    ledger.submit(onTime);
    // a refund signed by another key fails the leaf's CHECKSIG
    Transaction okEarly = refundTx(refund, locked, spent, 10);
    Transaction forged =
        okEarly.withInputScript(
            0,
            new org.lotusia.chain.script.ScriptBuilder()
                .data(new byte[65])
                .data(refund.leafScript().bytes())
                .data(refund.controlBlock())
                .build());
    assertThat(reason(() -> ledger.submit(forged))).startsWith("mandatory-script-verify-flag-failed");
    ledger.submit(okEarly);
  }

  private Transaction refundTx(TaprootRefundOutput refund, OutPoint from, List<TxOutput> spent, long seq) {
    Transaction unsigned =
        new Transaction(
            2,
            List.of(new TxInput(from, Script.empty(), seq)),
            List.of(new TxOutput(spent.get(0).value() - 1000, faucet.script())),
            0);
    return unsigned.withInputScript(0, refund.refundInputScript(alice, unsigned, 0, spent));
  }

  /** nSequence bits (BIP68). */
  static final class TxCheckerBits {
    static final long TYPE_FLAG = 1L << 22;
  }
}
