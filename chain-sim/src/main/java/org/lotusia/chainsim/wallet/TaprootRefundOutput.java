package org.lotusia.chainsim.wallet;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.crypto.Secp256k1Provider;
import org.lotusia.chain.crypto.TaggedHash;
import org.lotusia.chain.encoding.ByteWriter;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.ScriptBuilder;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.sighash.SigHashOptions;
import org.lotusia.chain.sighash.SigHasher;
import org.lotusia.chain.sighash.SigHashType;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;

/**
 * A Lotus Taproot output with one refund leaf: the key path belongs to {@code internalKey} (for
 * example a MuSig2 aggregate), the script path to {@code <csv> OP_CHECKSEQUENCEVERIFY OP_DROP
 * <refundKey> OP_CHECKSIG}, spendable by the refund key once the output is {@code csv} blocks
 * deep. The commitment is {@code internalKey + TH("TapTweak", internal33 || tapleafHash) * G} (a
 * one-leaf tree's merkle root is the leaf hash).
 *
 * <p>A script-path input script is {@code <sig65> <leaf script> <control block>} with the control
 * block {@code (0xc0 | parity of the internal key) || x(internal key)}; the signature is Lotus
 * Schnorr over SIGHASH_LOTUS ({@code 0x61}) committing to the tapleaf hash. Immutable.
 *
 * @param internalKey the key-path key
 * @param refundKey the key of the refund leaf
 * @param csvBlocks the relative lock in blocks, 1..65535
 */
public record TaprootRefundOutput(EcPoint internalKey, EcPoint refundKey, int csvBlocks) {

  /** Tapscript leaf version. */
  public static final int LEAF_VERSION = 0xc0;

  /** Validates. @throws IllegalArgumentException for a lock outside 1..65535 */
  public TaprootRefundOutput {
    if (csvBlocks < 1 || csvBlocks > 0xffff) {
      throw new IllegalArgumentException("csvBlocks must be 1..65535: " + csvBlocks);
    }
  }

  /** The refund leaf script. */
  public Script leafScript() {
    ScriptBuilder b = new ScriptBuilder();
    // minimal push, as lotusd requires: OP_1..OP_16 for small values
    if (csvBlocks <= 16) {
      b.smallInt(csvBlocks);
    } else {
      b.data(scriptNum(csvBlocks));
    }
    return b.op(0xb2)
        .op(0x75)
        .data(refundKey.encodeCompressed())
        .op(0xac)
        .build();
  }

  /** {@code TH("TapLeaf", 0xc0 || compactSize(len) || script)}. */
  public byte[] tapleafHash() {
    byte[] s = leafScript().bytes();
    ByteWriter w = new ByteWriter(s.length + 6);
    w.u8(LEAF_VERSION).varBytes(s);
    return TaggedHash.hash("TapLeaf", w.toByteArray());
  }

  /** The tweak scalar over the one-leaf merkle root. */
  public BigInteger tweak() {
    BigInteger t =
        new BigInteger(1, TaggedHash.hash("TapTweak", internalKey.encodeCompressed(), tapleafHash()));
    if (t.compareTo(Secp256k1.N) >= 0) {
      throw new IllegalStateException("tweak is not below the group order");
    }
    return t;
  }

  /** The commitment key in the output script. */
  public EcPoint commitment(Secp256k1Provider provider) {
    return provider.mulAdd(tweak(), BigInteger.ONE, internalKey);
  }

  /** The output script {@code 62 51 21 <commitment>}. */
  public Script outputScript(Secp256k1Provider provider) {
    return Scripts.p2tr(commitment(provider).encodeCompressed());
  }

  /** The control block: {@code 0xc0 | parity} then the internal key's x coordinate. */
  public byte[] controlBlock() {
    byte[] key = internalKey.encodeCompressed();
    byte[] c = Arrays.copyOf(key, 33);
    c[0] = (byte) (LEAF_VERSION | (key[0] == 0x03 ? 1 : 0));
    return c;
  }

  /**
   * The script-path input script spending input {@code inputIndex} with the refund key. The input
   * needs {@code nSequence >= csvBlocks} (and version 2) to pass OP_CHECKSEQUENCEVERIFY.
   *
   * @param spentOutputs the output spent by every input (SIGHASH_LOTUS commits to all of them)
   */
  public Script refundInputScript(
      PrivateKey refund, Transaction tx, int inputIndex, List<TxOutput> spentOutputs) {
    if (!refund.publicKey().equals(refundKey)) {
      throw new IllegalArgumentException("key is not this output's refund key");
    }
    byte[] digest =
        new SigHasher(tx, spentOutputs, SigHashOptions.DEFAULT)
            .lotus(inputIndex, SigHashType.ALL_LOTUS, tapleafHash(), 0xffffffffL);
    byte[] sig = Arrays.copyOf(refund.signSchnorr(digest), 65);
    sig[64] = (byte) SigHashType.ALL_LOTUS;
    return new ScriptBuilder()
        .data(sig)
        .data(leafScript().bytes())
        .data(controlBlock())
        .build();
  }

  private static byte[] scriptNum(int v) {
    if (v <= 0x7f) {
      return new byte[] {(byte) v};
    }
    if (v <= 0x7fff) {
      return new byte[] {(byte) v, (byte) (v >>> 8)};
    }
    return new byte[] {(byte) v, (byte) (v >>> 8), 0};
  }
}
