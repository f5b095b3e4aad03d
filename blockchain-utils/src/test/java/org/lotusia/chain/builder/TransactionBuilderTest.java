package org.lotusia.chain.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.address.Network;
import org.lotusia.chain.address.XAddress;
import org.lotusia.chain.crypto.EcdsaSignature;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.RefEc;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.ScriptChunk;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.sighash.SigHashType;
import org.lotusia.chain.sighash.SigHasher;
import org.lotusia.chain.sign.TxSignatures;
import org.lotusia.chain.taproot.LotusTaproot;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;

class TransactionBuilderTest {

  private static final PrivateKey ALICE = PrivateKey.of(new BigInteger("11".repeat(32), 16));
  private static final PrivateKey BOB = PrivateKey.of(new BigInteger("22".repeat(32), 16));
  private static final Script ALICE_P2PKH = Scripts.p2pkh(ALICE.publicKey());
  private static final XAddress CAROL =
      XAddress.decode("lotus_16PSJJwbmhnuRbhTByKhXdLKX4GYz2tijaGCHuwMe");

  private static OutPoint op(int b) {
    byte[] id = new byte[32];
    Arrays.fill(id, (byte) b);
    return new OutPoint(id, b);
  }

  @Test
  void signsP2pkhAndTaprootInputsWithFeeAndChange() throws Exception {
    TxOutput p2pkhUtxo = new TxOutput(300_000, ALICE_P2PKH);
    TxOutput trUtxo =
        new TxOutput(
            200_000, LotusTaproot.outputScript(Secp256k1.defaultProvider(), BOB.publicKey()));
    BuiltTransaction built =
        new TransactionBuilder()
            .addP2pkhInput(op(1), p2pkhUtxo, ALICE)
            .addTaprootKeyPathInput(op(2), trUtxo, BOB)
            .payTo(CAROL, 150_000)
            .changeTo(ALICE_P2PKH)
            .feePerKb(2000)
            .build();
    Transaction tx = built.transaction();
    assertThat(built.changeIndex()).isEqualTo(1);
    assertThat(tx.fee(List.of(300_000L, 200_000L))).isEqualTo(built.fee());
    assertThat(built.fee()).isBetween(2L * tx.size(), 2L * tx.size() + 2L * 2);
    assertThat(tx.outputs().get(0).script()).isEqualTo(CAROL.toScript());

    SigHasher hasher = new SigHasher(tx, built.spentOutputs());
    List<ScriptChunk> in0 = tx.inputs().get(0).scriptSig().chunks();
    byte[] sig0 = in0.get(0).data();
    assertThat(sig0[sig0.length - 1]).isEqualTo((byte) SigHashType.ALL_FORKID);
    byte[] digest0 = hasher.bip143(0, ALICE_P2PKH, 300_000, SigHashType.ALL_FORKID);
    EcdsaSignature ecdsa = EcdsaSignature.fromDer(Arrays.copyOf(sig0, sig0.length - 1));
    assertThat(ecdsa.isLowS()).isTrue();
    assertThat(bcVerify(ALICE.publicKeyBytes(), digest0, ecdsa)).isTrue();
    assertThat(in0.get(1).data()).isEqualTo(ALICE.publicKeyBytes());
    assertThat(
            TxSignatures.verifyP2pkhInput(
                Secp256k1.defaultProvider(), tx, 0, built.spentOutputs(), null))
        .isTrue();
    assertThat(
            TxSignatures.verifyP2pkhInput(
                Secp256k1.defaultProvider(), tx, 1, built.spentOutputs(), null))
        .isFalse();
    List<TxOutput> wrongValue = List.of(new TxOutput(300_001, ALICE_P2PKH), trUtxo);
    assertThat(TxSignatures.verifyP2pkhInput(Secp256k1.defaultProvider(), tx, 0, wrongValue, null))
        .isFalse();

    byte[] sig1 = tx.inputs().get(1).scriptSig().chunks().get(0).data();
    assertThat(sig1).hasSize(65);
    assertThat(sig1[64]).isEqualTo((byte) 0x61);
    assertThat(
            RefEc.schnorrVerify(
                Arrays.copyOf(sig1, 64),
                trUtxo.script().taprootCommitment(),
                hasher.lotus(1, 0x61)))
        .isTrue();
    assertThat(
            LotusTaproot.verifyKeyPath(
                Secp256k1.defaultProvider(), sig1, tx, 1, built.spentOutputs(), null))
        .isTrue();
  }

  @Test
  void schnorrP2pkhOption() throws Exception {
    TxOutput utxo = new TxOutput(100_000, ALICE_P2PKH);
    BuiltTransaction built =
        new TransactionBuilder()
            .addP2pkhInput(op(3), utxo, ALICE)
            .payTo(CAROL, 50_000)
            .changeTo(ALICE_P2PKH)
            .schnorrForP2pkh(true)
            .build();
    byte[] sig = built.transaction().inputs().get(0).scriptSig().chunks().get(0).data();
    assertThat(TxSignatures.isSchnorr(sig)).isTrue();
    byte[] digest =
        new SigHasher(built.transaction(), built.spentOutputs())
            .bip143(0, ALICE_P2PKH, 100_000, 0x41);
    assertThat(RefEc.schnorrVerify(Arrays.copyOf(sig, 64), ALICE.publicKeyBytes(), digest))
        .isTrue();
    assertThat(TxSignatures.verify(Secp256k1.defaultProvider(), sig, ALICE.publicKey(), digest))
        .isTrue();
    assertThat(
            TxSignatures.verifyP2pkhInput(
                Secp256k1.defaultProvider(), built.transaction(), 0, built.spentOutputs(), null))
        .isTrue();
    // LOTUS hash type for P2PKH works too.
    BuiltTransaction lotus =
        new TransactionBuilder()
            .addP2pkhInput(op(3), utxo, ALICE)
            .payTo(CAROL, 50_000)
            .p2pkhSigHashType(SigHashType.ALL_LOTUS)
            .build();
    assertThat(
            TxSignatures.verifyP2pkhInput(
                Secp256k1.defaultProvider(), lotus.transaction(), 0, lotus.spentOutputs(), null))
        .isTrue();
  }

  @Test
  void refusesToSpendMoreThanItsInputs() {
    TxOutput utxo = new TxOutput(10_000, ALICE_P2PKH);
    TransactionBuilder b =
        new TransactionBuilder().addP2pkhInput(op(4), utxo, ALICE).payTo(CAROL, 10_000);
    assertThatThrownBy(b::build)
        .isInstanceOf(InsufficientFundsException.class)
        .hasMessageContaining("inputs total 10000 sats")
        .hasMessageContaining("short by");
    TransactionBuilder over =
        new TransactionBuilder().addP2pkhInput(op(4), utxo, ALICE).payTo(CAROL, 20_000).fixedFee(0);
    InsufficientFundsException e =
        (InsufficientFundsException) org.assertj.core.api.Assertions.catchThrowable(over::build);
    assertThat(e.available()).isEqualTo(10_000);
    assertThat(e.required()).isEqualTo(20_000);
  }

  @Test
  void dustRules() {
    TxOutput utxo = new TxOutput(10_000, ALICE_P2PKH);
    assertThatThrownBy(() -> new TransactionBuilder().payTo(CAROL, 545))
        .hasMessageContaining("dust");
    // Data outputs may carry any value (a burn).
    new TransactionBuilder().payTo(Scripts.opReturn(new byte[] {1}), 0);
    // Change below dust goes to the fee.
    BuiltTransaction built =
        new TransactionBuilder()
            .addP2pkhInput(op(5), utxo, ALICE)
            .payTo(CAROL, 9_300)
            .changeTo(ALICE_P2PKH)
            .build();
    assertThat(built.changeIndex()).isEqualTo(-1);
    assertThat(built.transaction().outputs()).hasSize(1);
    assertThat(built.fee()).isEqualTo(700);
  }

  @Test
  void rejectsMismatchedKeysAndLeavesUnsignedInputsEmpty() {
    assertThatThrownBy(
            () ->
                new TransactionBuilder().addP2pkhInput(op(6), new TxOutput(1000, ALICE_P2PKH), BOB))
        .hasMessageContaining("does not match");
    assertThatThrownBy(
            () ->
                new TransactionBuilder()
                    .addTaprootKeyPathInput(op(6), new TxOutput(1000, ALICE_P2PKH), BOB))
        .hasMessageContaining("not the Taproot key-path output");
    BuiltTransaction built =
        new TransactionBuilder()
            .addUnsignedInput(
                op(7), new TxOutput(5_000_000, Scripts.p2tr(Secp256k1.G.encodeCompressed())), 66)
            .payTo(CAROL, 4_000_000)
            .changeTo(XAddress.fromScript(ALICE_P2PKH, Network.MAINNET))
            .build();
    assertThat(built.transaction().inputs().get(0).scriptSig().size()).isZero();
    assertThat(built.fee()).isEqualTo(built.transaction().size() + 66L);
  }

  private static boolean bcVerify(byte[] pub, byte[] digest, EcdsaSignature sig) {
    X9ECParameters x9 = CustomNamedCurves.getByName("secp256k1");
    ECDSASigner v = new ECDSASigner();
    v.init(
        false,
        new ECPublicKeyParameters(
            x9.getCurve().decodePoint(pub),
            new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN())));
    return v.verifySignature(digest, sig.r(), sig.s());
  }
}
