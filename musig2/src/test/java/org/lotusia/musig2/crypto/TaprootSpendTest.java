package org.lotusia.musig2.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lotusia.chain.builder.BuiltTransaction;
import org.lotusia.chain.builder.TransactionBuilder;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.sighash.SigHashOptions;
import org.lotusia.chain.sighash.SigHasher;
import org.lotusia.chain.taproot.LotusTaproot;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;

/**
 * An n-of-n MuSig2 key-path spend of a Lotus P2TR output, in a transaction built by the chain
 * module, signed over the SIGHASH_LOTUS digest with hash type 0x61, and accepted by the chain's
 * Taproot key-path verifier.
 */
class TaprootSpendTest {

  @ParameterizedTest(name = "{0}-of-{0}")
  @ValueSource(ints = {1, 2, 3, 7})
  void musigKeyPathSpendVerifiesWithChainCode(int n) {
    Random rnd = new Random(77 + n);
    TestSigners signers = new TestSigners(n, rnd);
    LotusMuSig2 lotus = LotusMuSig2.withDefaultProvider();
    LotusKeyAggContext ctx = lotus.taproot(lotus.keyAgg(signers.publicKeys));
    Script p2tr = LotusMuSig2Taproot.outputScript(ctx);
    // the chain module derives the same output script from the internal key
    assertThat(p2tr)
        .isEqualTo(LotusTaproot.outputScript(Secp256k1.defaultProvider(), ctx.aggregateKey()));
    assertThat(p2tr.bytes()).hasSize(36).startsWith(0x62, 0x51, 0x21);

    byte[] prevTxid = new byte[32];
    rnd.nextBytes(prevTxid);
    TxOutput spent = new TxOutput(1_000_000, p2tr);
    Script payTo = Scripts.p2tr(signers.publicKeys.get(0));
    BuiltTransaction built =
        new TransactionBuilder()
            .addUnsignedInput(new OutPoint(prevTxid, 1), spent, 1 + 65)
            .payTo(payTo, 990_000)
            .fixedFee(10_000)
            .build();
    Transaction unsigned = built.transaction();
    byte[] digest =
        new SigHasher(unsigned, built.spentOutputs(), SigHashOptions.DEFAULT)
            .lotus(0, LotusTaproot.KEY_PATH_SIGHASH);

    List<MuSig2Session> sessions =
        signers.sessionsWithNonces(MuSig2Session.Variant.LOTUS, digest, true, new SecureRandom());
    List<byte[]> psigs = new ArrayList<>();
    for (MuSig2Session s : sessions) {
      psigs.add(s.sign());
    }
    for (int i = 0; i < n; i++) {
      MuSig2Session s = sessions.get(i);
      for (int j = 0; j < n; j++) {
        if (i != j) {
          s.receivePartialSignature(sessions.get(j).localIndex(), psigs.get(j));
        }
      }
    }
    byte[] sig = sessions.get(0).finalSignature();
    assertThat(sessions.get(0).signingKey()).isEqualTo(ctx.signingKey().encodeCompressed());
    Transaction signed = unsigned.withInputScript(0, LotusMuSig2Taproot.keyPathInputScript(sig));
    byte[] scriptSig = LotusMuSig2Taproot.keyPathSignature(sig);
    assertThat(scriptSig[64]).isEqualTo((byte) 0x61);
    assertThat(signed.inputs().get(0).scriptSig().bytes()).hasSize(66).startsWith(0x41);
    assertThat(
            LotusTaproot.verifyKeyPath(
                Secp256k1.defaultProvider(),
                scriptSig,
                signed,
                0,
                built.spentOutputs(),
                SigHashOptions.DEFAULT))
        .isTrue();

    // a different transaction (other output amount) does not verify with this signature
    Transaction other =
        new TransactionBuilder()
            .addUnsignedInput(new OutPoint(prevTxid, 1), spent, 66)
            .payTo(payTo, 980_000)
            .fixedFee(20_000)
            .build()
            .transaction();
    assertThat(
            LotusTaproot.verifyKeyPath(
                Secp256k1.defaultProvider(),
                scriptSig,
                other,
                0,
                built.spentOutputs(),
                SigHashOptions.DEFAULT))
        .isFalse();
  }
}
