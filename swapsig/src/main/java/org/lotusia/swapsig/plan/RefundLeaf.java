package org.lotusia.swapsig.plan;

import java.util.Arrays;
import org.lotusia.chain.crypto.TaggedHash;
import org.lotusia.chain.encoding.ByteWriter;
import org.lotusia.chain.script.Opcodes;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.ScriptBuilder;

/**
 * The refund leaf of a shared output's Taproot tree: {@code <lockBlocks> OP_CHECKSEQUENCEVERIFY
 * OP_DROP <refundKey> OP_CHECKSIG}. Its owner spends it alone once the output is {@code lockBlocks}
 * blocks deep, so a co-signer that stays silent can delay the owner's funds but never lock them.
 * The tree has this one leaf, so its merkle root is the leaf hash {@code TH("TapLeaf", 0xc0 ||
 * compactSize(len) || script)} (lotus-sdk's {@code calculateTapLeaf}, with the length prefix).
 * Immutable.
 *
 * @param refundKey the owner's 33-byte compressed key
 * @param lockBlocks the relative lock in blocks, 1 to 65535
 */
public record RefundLeaf(byte[] refundKey, int lockBlocks) {

  /** Tapscript leaf version. */
  public static final int LEAF_VERSION = 0xc0;

  private static final int OP_DROP = 0x75;
  private static final int OP_CHECKSEQUENCEVERIFY = 0xb2;

  /** Copies and validates. @throws IllegalArgumentException for a bad key or lock */
  public RefundLeaf {
    if (refundKey == null
        || refundKey.length != 33
        || (refundKey[0] != 0x02 && refundKey[0] != 0x03)) {
      throw new IllegalArgumentException("refund key must be a 33-byte compressed key");
    }
    if (lockBlocks < 1 || lockBlocks > 0xffff) {
      throw new IllegalArgumentException("lockBlocks must be 1..65535, got " + lockBlocks);
    }
    refundKey = refundKey.clone();
  }

  /** @return a copy of the key */
  @Override
  public byte[] refundKey() {
    return refundKey.clone();
  }

  /** The leaf script. Minimal pushes, as lotusd requires. */
  public Script script() {
    ScriptBuilder b = new ScriptBuilder();
    if (lockBlocks <= 16) {
      b.smallInt(lockBlocks);
    } else {
      b.data(scriptNum(lockBlocks));
    }
    return b.op(OP_CHECKSEQUENCEVERIFY)
        .op(OP_DROP)
        .data(refundKey)
        .op(Opcodes.OP_CHECKSIG)
        .build();
  }

  /** The leaf hash, which is also the tree's merkle root. */
  public byte[] leafHash() {
    byte[] s = script().bytes();
    ByteWriter w = new ByteWriter(s.length + 6);
    w.u8(LEAF_VERSION).varBytes(s);
    return TaggedHash.hash("TapLeaf", w.toByteArray());
  }

  /**
   * The control block of a spend by this leaf: {@code (0xc0 | parity of the internal key)} then the
   * internal key's x coordinate.
   *
   * @param internalKey33 the output's internal key (the MuSig2 aggregate key)
   * @return 33 bytes
   */
  public byte[] controlBlock(byte[] internalKey33) {
    if (internalKey33.length != 33) {
      throw new IllegalArgumentException("internal key must be 33 bytes");
    }
    byte[] c = Arrays.copyOf(internalKey33, 33);
    c[0] = (byte) (LEAF_VERSION | (internalKey33[0] == 0x03 ? 1 : 0));
    return c;
  }

  /**
   * The script-path input script {@code <sig || 0x61> <leaf script> <control block>}.
   *
   * @param signatureWithHashType 65 bytes: Lotus Schnorr signature and hash type 0x61
   * @param internalKey33 the output's internal key
   * @return the input script
   */
  public Script inputScript(byte[] signatureWithHashType, byte[] internalKey33) {
    return new ScriptBuilder()
        .data(signatureWithHashType)
        .data(script().bytes())
        .data(controlBlock(internalKey33))
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

  @Override
  public boolean equals(Object o) {
    return o instanceof RefundLeaf r
        && lockBlocks == r.lockBlocks
        && Arrays.equals(refundKey, r.refundKey);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(refundKey) + lockBlocks;
  }

  @Override
  public String toString() {
    return "RefundLeaf[lockBlocks=" + lockBlocks + "]";
  }
}
