package org.lotusia.musig2.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.builder.BuiltTransaction;
import org.lotusia.chain.builder.TransactionBuilder;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.sighash.SigHashOptions;
import org.lotusia.chain.taproot.LotusTaproot;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.musig2.p2p.sim.SimCluster;

/**
 * A 3-of-3 session spends a Lotus P2TR output owned by the three signers, in a transaction built by
 * blockchain-utils; the chain module's Taproot key-path verification accepts the spend.
 */
class TaprootSessionTest {

  static BuiltTransaction spendOf(List<byte[]> keys, long seed) {
    byte[] prevTxid = new byte[32];
    new java.util.Random(seed).nextBytes(prevTxid);
    TxOutput funded = new TxOutput(2_000_000, TransactionSigning.taprootOutputScript(keys));
    return new TransactionBuilder()
        .addUnsignedInput(new OutPoint(prevTxid, 1), funded, 1 + 65)
        .payTo(Scripts.p2tr(keys.get(0)), 1_990_000)
        .fixedFee(10_000)
        .build();
  }

  @Test
  void threeSignersSpendTheirTaprootOutput() {
    List<Transaction> broadcast = Collections.synchronizedList(new ArrayList<>());
    List<BuiltTransaction> txs = new ArrayList<>();
    SimCluster c =
        new SimCluster(3, 51, SessionConfig.defaults(), i -> result -> {
          // the application's broadcast: the signature goes into the input, the tx to the network
          Transaction signed = TransactionSigning.withKeyPathSignature(
              txs.get(0).transaction(), 0, result.signature());
          broadcast.add(signed);
          return CompletableFuture.completedFuture(null);
        }).manualJoin();
    BuiltTransaction built = spendOf(c.publicKeys, 5);
    txs.add(built);
    byte[] sighash =
        TransactionSigning.keyPathMessage(built.transaction(), built.spentOutputs(), 0);
    SessionHandle h = c.create(2, sighash, SessionOptions.builder().taproot().build());
    for (int i : List.of(0, 1)) {
      // each joiner computes the sighash from the transaction it agreed to, and checks it
      byte[] own = TransactionSigning.keyPathMessage(
          spendOf(c.publicKeys, 5).transaction(), built.spentOutputs(), 0);
      var join = c.managers.get(i).join(h.announcement(), c.keys.get(i), own);
      c.net.time().runUntil(join::isDone, Duration.ofSeconds(5));
      c.putHandle(i, join.join());
    }
    assertThat(c.runUntilAllFinished(h.sessionId(), Duration.ofMinutes(10))).isTrue();

    assertThat(broadcast).hasSize(1);
    Transaction signed = broadcast.get(0);
    Script spent = built.spentOutputs().get(0).script();
    SessionResult r = c.handle(1, h.sessionId()).result().join();
    // the signature is by the tweaked key the output commits to, with hash type 0x61
    assertThat(r.aggregateKey()).isEqualTo(spent.taprootCommitment());
    assertThat(LotusSchnorr.verify(r.signature(), r.aggregateKey(), sighash)).isTrue();
    byte[] scriptSig = signed.inputs().get(0).scriptSig().chunks().get(0).data();
    assertThat(scriptSig).hasSize(65);
    assertThat(scriptSig[64]).isEqualTo((byte) 0x61);
    assertThat(
            LotusTaproot.verifyKeyPath(
                Secp256k1.defaultProvider(), scriptSig, signed, 0, built.spentOutputs(),
                SigHashOptions.DEFAULT))
        .isTrue();
    assertThat(TransactionSigning.verifyKeyPathSpend(signed, built.spentOutputs(), 0)).isTrue();
    // it survives serialisation as the network would carry it
    Transaction reparsed = Transaction.fromHex(signed.toHex());
    assertThat(TransactionSigning.verifyKeyPathSpend(reparsed, built.spentOutputs(), 0)).isTrue();
    // the untweaked aggregate key does not verify it
    assertThat(LotusSchnorr.verify(r.signature(), TransactionSigning.aggregateKey(c.publicKeys),
        sighash)).isFalse();
  }

  @Test
  void aJoinerRefusesToSignAnotherTransactionThanItAgreedTo() {
    SimCluster c = new SimCluster(2, 52).manualJoin();
    BuiltTransaction built = spendOf(c.publicKeys, 6);
    byte[] sighash =
        TransactionSigning.keyPathMessage(built.transaction(), built.spentOutputs(), 0);
    SessionHandle h = c.create(0, sighash, SessionOptions.builder().taproot().build());
    BuiltTransaction other = spendOf(c.publicKeys, 7);
    byte[] expected =
        TransactionSigning.keyPathMessage(other.transaction(), other.spentOutputs(), 0);
    var join = c.managers.get(1).join(h.announcement(), c.keys.get(1), expected);
    c.net.time().runUntil(join::isDone, Duration.ofSeconds(5));
    assertThat(join).isCompletedExceptionally();
    assertThat(join.handle((v, e) -> e.getMessage()).join()).contains("not the expected");
  }
}
