package org.lotusia.chainsim.script;

import java.math.BigInteger;
import java.util.Arrays;
import org.lotusia.chain.crypto.Secp256k1;

/**
 * Encoding checks of signatures and public keys that lotusd applies before verifying anything
 * (lotusd {@code src/script/sigencoding.cpp}): strict DER with low S for ECDSA, 64-byte Schnorr,
 * defined hash types with the FORKID or LOTUS algorithm, and 33/65-byte SEC1 public keys.
 * Stateless.
 */
final class SigEncoding {

  private static final int ALGORITHM_MASK = 0x60;
  private static final int FORKID = 0x40;
  private static final int LOTUS = 0x60;

  private SigEncoding() {}

  /**
   * Checks a transaction signature (with its hash type byte); an empty signature passes (it is
   * the canonical way to make a CHECKSIG fail).
   */
  static void checkTransactionSignature(byte[] sig, int flags) throws ScriptException {
    if (sig.length == 0) {
      return;
    }
    checkRawSignature(Arrays.copyOf(sig, sig.length - 1), flags);
    checkHashType(sig[sig.length - 1] & 0xff, flags);
  }

  /** Checks a data signature (no hash type byte) for OP_CHECKDATASIG. */
  static void checkDataSignature(byte[] sig, int flags) throws ScriptException {
    if (sig.length == 0) {
      return;
    }
    checkRawSignature(sig, flags);
  }

  private static void checkRawSignature(byte[] raw, int flags) throws ScriptException {
    if (raw.length == 64) {
      // a 64-byte signature is Schnorr in a generic context; always well formed
      return;
    }
    if ((flags & ScriptFlags.TAPROOT_KEY_SPEND_PATH) != 0) {
      throw new ScriptException(ScriptError.TAPROOT_KEY_SPEND_MUST_USE_SCHNORR_SIG);
    }
    if (!isStrictDer(raw)) {
      throw new ScriptException(ScriptError.SIG_DER);
    }
    if (!isLowS(raw)) {
      throw new ScriptException(ScriptError.SIG_HIGH_S);
    }
  }

  private static void checkHashType(int type, int flags) throws ScriptException {
    int base = type & 0x1f;
    int alg = type & ALGORITHM_MASK;
    if (base < 1 || base > 3 || alg == 0x20) {
      throw new ScriptException(
          ScriptError.SIG_HASHTYPE, "hash type 0x" + Integer.toHexString(type));
    }
    if ((flags & ScriptFlags.TAPROOT_KEY_SPEND_PATH) != 0 && alg != LOTUS) {
      throw new ScriptException(ScriptError.TAPROOT_KEY_SPEND_MUST_USE_LOTUS_SIGHASH);
    }
    boolean usesForkId = alg == FORKID || alg == LOTUS;
    boolean forkIdEnabled = (flags & ScriptFlags.ENABLE_SIGHASH_FORKID) != 0;
    if (!forkIdEnabled && usesForkId) {
      throw new ScriptException(ScriptError.ILLEGAL_FORKID);
    }
    if (forkIdEnabled && !usesForkId) {
      throw new ScriptException(
          ScriptError.MUST_USE_FORKID, "hash type 0x" + Integer.toHexString(type));
    }
  }

  /** Checks a public key encoding: 33 bytes starting 02/03 or 65 bytes starting 04. */
  static void checkPublicKey(byte[] key) throws ScriptException {
    boolean ok =
        (key.length == 33 && (key[0] == 2 || key[0] == 3)) || (key.length == 65 && key[0] == 4);
    if (!ok) {
      throw new ScriptException(ScriptError.PUBKEYTYPE, key.length + "-byte public key");
    }
  }

  /** BIP66 strict DER (lotusd {@code IsValidDERSignatureEncoding}). */
  static boolean isStrictDer(byte[] sig) {
    if (sig.length < 8 || sig.length > 72 || (sig[0] & 0xff) != 0x30) {
      return false;
    }
    if ((sig[1] & 0xff) != sig.length - 2 || sig[2] != 0x02) {
      return false;
    }
    int lenR = sig[3] & 0xff;
    if (lenR == 0 || (sig[4] & 0x80) != 0 || lenR > sig.length - 7) {
      return false;
    }
    if (lenR > 1 && sig[4] == 0 && (sig[5] & 0x80) == 0) {
      return false;
    }
    int startS = lenR + 4;
    if (sig[startS] != 0x02) {
      return false;
    }
    int lenS = sig[startS + 1] & 0xff;
    if (lenS == 0 || (sig[startS + 2] & 0x80) != 0 || startS + lenS + 2 != sig.length) {
      return false;
    }
    return !(lenS > 1 && sig[startS + 2] == 0 && (sig[startS + 3] & 0x80) == 0);
  }

  private static boolean isLowS(byte[] der) {
    int lenR = der[3] & 0xff;
    int lenS = der[lenR + 5] & 0xff;
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(der, lenR + 6, lenR + 6 + lenS));
    return s.compareTo(Secp256k1.HALF_N) <= 0;
  }
}
