package org.lotusia.chain.script;

import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.Hashes;

/** Factories for the standard output and input script templates. Stateless, thread-safe. */
public final class Scripts {

  private Scripts() {}

  /** P2PKH {@code 76 a9 14 <hash20> 88 ac}. @throws IllegalArgumentException unless 20 bytes */
  public static Script p2pkh(byte[] hash20) {
    requireLength(hash20, 20, "P2PKH hash");
    return new ScriptBuilder()
        .op(Opcodes.OP_DUP)
        .op(Opcodes.OP_HASH160)
        .data(hash20)
        .op(Opcodes.OP_EQUALVERIFY)
        .op(Opcodes.OP_CHECKSIG)
        .build();
  }

  /** P2PKH paying the HASH160 of the compressed public key. */
  public static Script p2pkh(EcPoint publicKey) {
    return p2pkh(Hashes.hash160(publicKey.encodeCompressed()));
  }

  /** P2SH {@code a9 14 <hash20> 87}. @throws IllegalArgumentException unless 20 bytes */
  public static Script p2sh(byte[] hash20) {
    requireLength(hash20, 20, "P2SH hash");
    return new ScriptBuilder().op(Opcodes.OP_HASH160).data(hash20).op(Opcodes.OP_EQUAL).build();
  }

  /** P2SH paying HASH160 of the redeem script. */
  public static Script p2shOf(Script redeemScript) {
    return p2sh(Hashes.hash160(redeemScript.bytes()));
  }

  /**
   * P2PK {@code <pubkey> ac}. @throws IllegalArgumentException unless a 33-byte or 65-byte SEC1 key
   */
  public static Script p2pk(byte[] publicKey) {
    boolean ok =
        (publicKey.length == 33 && (publicKey[0] == 2 || publicKey[0] == 3))
            || (publicKey.length == 65 && publicKey[0] == 4);
    if (!ok) {
      throw new IllegalArgumentException(
          "P2PK key must be 33 bytes (02/03) or 65 bytes (04), got " + publicKey.length + " bytes");
    }
    return new ScriptBuilder().data(publicKey).op(Opcodes.OP_CHECKSIG).build();
  }

  /** Lotus Taproot {@code 62 51 21 <commitment33>}. */
  public static Script p2tr(byte[] commitment33) {
    return p2tr(commitment33, null);
  }

  /**
   * Lotus Taproot {@code 62 51 21 <commitment33> [20 <state32>]}.
   *
   * @param state32 optional 32-byte state, or null
   * @throws IllegalArgumentException for wrong lengths or a commitment without 02/03 prefix
   */
  public static Script p2tr(byte[] commitment33, byte[] state32) {
    requireLength(commitment33, 33, "Taproot commitment");
    if (commitment33[0] != 2 && commitment33[0] != 3) {
      throw new IllegalArgumentException(
          "Taproot commitment must be a compressed key (02/03 prefix)");
    }
    ScriptBuilder b =
        new ScriptBuilder().op(Opcodes.OP_SCRIPTTYPE).op(Opcodes.OP_1).data(commitment33);
    if (state32 != null) {
      requireLength(state32, 32, "Taproot state");
      b.data(state32);
    }
    return b.build();
  }

  /**
   * OP_RETURN followed by one minimal push per element (lotus-sdk's multi-push form, as in the
   * SwapSig burn).
   *
   * @throws IllegalArgumentException if the result exceeds {@value Script#MAX_DATA_OUT_SIZE} bytes
   */
  public static Script opReturn(byte[]... pushes) {
    ScriptBuilder b = new ScriptBuilder().op(Opcodes.OP_RETURN);
    for (byte[] p : pushes) {
      b.data(p);
    }
    Script s = b.build();
    if (s.size() > Script.MAX_DATA_OUT_SIZE) {
      throw new IllegalArgumentException(
          "OP_RETURN script is " + s.size() + " bytes, limit is " + Script.MAX_DATA_OUT_SIZE);
    }
    return s;
  }

  /**
   * LOKAD data output: {@code OP_RETURN <prefix4> <pushes...>}. @throws IllegalArgumentException
   * unless 4-byte prefix
   */
  public static Script lokad(byte[] prefix4, byte[]... pushes) {
    requireLength(prefix4, 4, "LOKAD prefix");
    byte[][] all = new byte[pushes.length + 1][];
    all[0] = prefix4;
    System.arraycopy(pushes, 0, all, 1, pushes.length);
    return opReturn(all);
  }

  /** P2PKH input script {@code <sig || hashtype> <pubkey>}. */
  public static Script p2pkhInput(byte[] signatureWithHashType, byte[] publicKey) {
    return new ScriptBuilder().data(signatureWithHashType).data(publicKey).build();
  }

  /** Taproot key-path input script: a single push of the 65-byte {@code sig64 || hashtype}. */
  public static Script p2trKeyPathInput(byte[] signatureWithHashType) {
    requireLength(signatureWithHashType, 65, "Taproot key-path signature with hash type");
    return new ScriptBuilder().data(signatureWithHashType).build();
  }

  private static void requireLength(byte[] b, int len, String what) {
    if (b == null || b.length != len) {
      throw new IllegalArgumentException(
          what + " must be " + len + " bytes, got " + (b == null ? "null" : b.length));
    }
  }
}
