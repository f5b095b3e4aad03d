package org.lotusia.chain.taproot;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.RefEc;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.crypto.Secp256k1Provider;
import org.lotusia.chain.crypto.TaggedHash;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.sighash.SigHashOptions;
import org.lotusia.chain.sighash.SigHasher;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxInput;
import org.lotusia.chain.tx.TxOutput;

class LotusTaprootTest {

  private static final Secp256k1Provider EC = Secp256k1.defaultProvider();

  @Test
  void tweakUsesTheCompressedKeyAndNoParityNegation() {
    Random rnd = new Random(12);
    for (int i = 0; i < 10; i++) {
      PrivateKey k = PrivateKey.of(new BigInteger(250, rnd).add(BigInteger.ONE));
      BigInteger t =
          new BigInteger(1, TaggedHash.hash("TapTweak", k.publicKeyBytes(), new byte[32]));
      assertThat(LotusTaproot.tweak(k.publicKey())).isEqualTo(t);
      PrivateKey tweaked = LotusTaproot.tweakedKey(k);
      assertThat(tweaked.publicKey()).isEqualTo(LotusTaproot.commitment(EC, k.publicKey()));
      BigInteger[] ref =
          RefEc.add(new BigInteger[] {k.publicKey().x(), k.publicKey().y()}, RefEc.mul(RefEc.G, t));
      assertThat(tweaked.publicKey().x()).isEqualTo(ref[0]);
      assertThat(tweaked.publicKey().y()).isEqualTo(ref[1]);
    }
  }

  @Test
  void keyPathSpendVerifiesIndependentlyAndNeedsHashType0x61() throws Exception {
    Random rnd = new Random(13);
    for (int i = 0; i < 5; i++) {
      PrivateKey internal = PrivateKey.of(new BigInteger(250, rnd).add(BigInteger.ONE));
      TxOutput spent = new TxOutput(50_000, LotusTaproot.outputScript(EC, internal.publicKey()));
      byte[] id = new byte[32];
      rnd.nextBytes(id);
      Transaction tx =
          new Transaction(
              2,
              List.of(TxInput.unsigned(new OutPoint(id, 1))),
              List.of(new TxOutput(49_000, Scripts.p2pkh(new byte[20]))),
              0);
      for (SigHashOptions opts : List.of(SigHashOptions.DEFAULT, SigHashOptions.REPLAY_PROTECTED)) {
        byte[] sig = LotusTaproot.signKeyPath(internal, tx, 0, List.of(spent), opts);
        assertThat(sig).hasSize(65);
        assertThat(sig[64]).isEqualTo((byte) 0x61);
        assertThat(LotusTaproot.verifyKeyPath(EC, sig, tx, 0, List.of(spent), opts)).isTrue();
        byte[] digest = new SigHasher(tx, List.of(spent), opts).lotus(0, 0x61);
        assertThat(
                RefEc.schnorrVerify(
                    java.util.Arrays.copyOf(sig, 64), spent.script().taprootCommitment(), digest))
            .isTrue();
        byte[] zeroType = sig.clone();
        zeroType[64] = 0;
        assertThat(LotusTaproot.verifyKeyPath(EC, zeroType, tx, 0, List.of(spent), opts)).isFalse();
        byte[] forkIdType = sig.clone();
        forkIdType[64] = 0x41;
        assertThat(LotusTaproot.verifyKeyPath(EC, forkIdType, tx, 0, List.of(spent), opts))
            .isFalse();
      }
      // A signature under one option set does not verify under the other.
      byte[] sig =
          LotusTaproot.signKeyPath(internal, tx, 0, List.of(spent), SigHashOptions.DEFAULT);
      assertThat(
              LotusTaproot.verifyKeyPath(
                  EC, sig, tx, 0, List.of(spent), SigHashOptions.REPLAY_PROTECTED))
          .isFalse();
    }
    assertThat(HexFormat.of().formatHex(LotusTaproot.outputScript(EC, Secp256k1.G).bytes()))
        .startsWith("625121");
  }
}
