package org.lotusia.chain.taproot;

import java.math.BigInteger;
import java.util.List;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.crypto.Secp256k1Provider;
import org.lotusia.chain.crypto.TaggedHash;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.sighash.SigHashOptions;
import org.lotusia.chain.sighash.SigHashType;
import org.lotusia.chain.sighash.SigHasher;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;

/**
 * Lotus Taproot key path (lotusd {@code VerifyTaprootSpend}): {@code t = TH("TapTweak", P33 ||
 * merkleRoot32)} over the 33-byte internal key, commitment {@code C = P + t*G} (no x-only parity
 * negation), output script {@code 62 51 21 <C>}. A key-path spend is a Lotus Schnorr signature by
 * {@code d + t} over the SIGHASH_LOTUS digest with hash type {@code 0x61} appended (never
 * lotus-sdk's {@code 0x00}). Stateless, thread-safe.
 */
public final class LotusTaproot {

  /** The key-path hash type: ALL | LOTUS. */
  public static final int KEY_PATH_SIGHASH = SigHashType.ALL_LOTUS;

  private static final byte[] ZERO_ROOT = new byte[32];

  private LotusTaproot() {}

  /** The tweak scalar for a key-path-only output (zero merkle root). */
  public static BigInteger tweak(EcPoint internalKey) {
    return tweak(internalKey, ZERO_ROOT);
  }

  /**
   * The tweak {@code int(TH("TapTweak", P33 || merkleRoot)) mod n}.
   *
   * @throws IllegalArgumentException if the root is not 32 bytes or the hash is not below n
   */
  public static BigInteger tweak(EcPoint internalKey, byte[] merkleRoot32) {
    if (merkleRoot32 == null || merkleRoot32.length != 32) {
      throw new IllegalArgumentException("merkle root must be 32 bytes");
    }
    BigInteger t =
        new BigInteger(
            1, TaggedHash.hash("TapTweak", internalKey.encodeCompressed(), merkleRoot32));
    if (t.compareTo(Secp256k1.N) >= 0) {
      throw new IllegalArgumentException("tweak is not below the group order");
    }
    return t;
  }

  /** The commitment (tweaked key) {@code P + t*G} for a key-path-only output. */
  public static EcPoint commitment(Secp256k1Provider provider, EcPoint internalKey) {
    return provider.mulAdd(tweak(internalKey), BigInteger.ONE, internalKey);
  }

  /** The output script {@code 62 51 21 <commitment>} for a key-path-only output. */
  public static Script outputScript(Secp256k1Provider provider, EcPoint internalKey) {
    return Scripts.p2tr(commitment(provider, internalKey).encodeCompressed());
  }

  /** The tweaked secret {@code d + t mod n}. */
  public static PrivateKey tweakedKey(PrivateKey internal) {
    BigInteger t = tweak(internal.publicKey());
    return PrivateKey.of(internal.secret().add(t).mod(Secp256k1.N), internal.provider());
  }

  /**
   * Signs input {@code inputIndex} of {@code tx} as a key-path spend.
   *
   * @param spentOutputs the output spent by every input (SIGHASH_LOTUS commits to all of them)
   * @return the 65-byte script signature {@code sig64 || 0x61}
   */
  public static byte[] signKeyPath(
      PrivateKey internal,
      Transaction tx,
      int inputIndex,
      List<TxOutput> spentOutputs,
      SigHashOptions options) {
    PrivateKey tweaked = tweakedKey(internal);
    byte[] digest = new SigHasher(tx, spentOutputs, options).lotus(inputIndex, KEY_PATH_SIGHASH);
    byte[] sig = tweaked.signSchnorr(digest);
    byte[] out = java.util.Arrays.copyOf(sig, 65);
    out[64] = (byte) KEY_PATH_SIGHASH;
    return out;
  }

  /**
   * Verifies a key-path script signature: 65 bytes, hash type with the LOTUS bits, Lotus Schnorr by
   * the commitment of the spent Taproot output. Returns false for anything malformed.
   */
  public static boolean verifyKeyPath(
      Secp256k1Provider provider,
      byte[] scriptSig65,
      Transaction tx,
      int inputIndex,
      List<TxOutput> spentOutputs,
      SigHashOptions options) {
    if (scriptSig65 == null || scriptSig65.length != 65) {
      return false;
    }
    int type = scriptSig65[64] & 0xff;
    if (SigHashType.algorithm(type) != SigHashType.LOTUS) {
      return false;
    }
    Script spent = spentOutputs.get(inputIndex).script();
    if (!spent.isP2tr()) {
      return false;
    }
    EcPoint c;
    byte[] digest;
    try {
      c = provider.decode(spent.taprootCommitment());
      digest = new SigHasher(tx, spentOutputs, options).lotus(inputIndex, type);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return LotusSchnorr.verify(provider, java.util.Arrays.copyOf(scriptSig65, 64), c, digest);
  }
}
