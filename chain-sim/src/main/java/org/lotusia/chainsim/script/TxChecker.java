package org.lotusia.chainsim.script;

import java.util.Arrays;
import java.util.List;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.EcdsaSignature;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.Secp256k1Provider;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.sighash.SigHashOptions;
import org.lotusia.chain.sighash.SigHasher;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;

/**
 * The transaction side of script verification for one input (lotusd {@code
 * GenericTransactionSignatureChecker}): signature hashes (BIP143 with the fork id, or
 * SIGHASH_LOTUS), signature verification (64 bytes are Lotus Schnorr, anything else ECDSA), and
 * the lock time checks of OP_CHECKLOCKTIMEVERIFY and OP_CHECKSEQUENCEVERIFY.
 *
 * <p>Not thread-safe: it caches the per-transaction parts of the signature hashes; use one per
 * input check.
 */
public final class TxChecker {

  /** Lock times below this are block heights, above are UNIX times. */
  public static final long LOCKTIME_THRESHOLD = 500_000_000L;

  /** nSequence bit that disables the relative lock time. */
  public static final long SEQUENCE_LOCKTIME_DISABLE_FLAG = 1L << 31;

  /** nSequence bit that makes the relative lock time time-based (512-second units). */
  public static final long SEQUENCE_LOCKTIME_TYPE_FLAG = 1L << 22;

  /** nSequence bits that hold the relative lock time value. */
  public static final long SEQUENCE_LOCKTIME_MASK = 0x0000ffffL;

  /** nSequence of a final input. */
  public static final long SEQUENCE_FINAL = 0xffffffffL;

  /** What the executed script contributes to SIGHASH_LOTUS (lotusd {@code ScriptExecutionData}). */
  record ExecData(byte[] executedScriptHash, long codeSeparatorPos) {}

  private final Secp256k1Provider provider;
  private final Transaction tx;
  private final int inputIndex;
  private final List<TxOutput> spentOutputs;
  private final SigHasher hasher;

  /**
   * Creates the checker of one input.
   *
   * @param provider secp256k1 operations
   * @param tx the spending transaction
   * @param inputIndex the input being verified
   * @param spentOutputs the output spent by every input, in input order
   * @param options sighash options (replay protection rewrites the hash type)
   */
  public TxChecker(
      Secp256k1Provider provider,
      Transaction tx,
      int inputIndex,
      List<TxOutput> spentOutputs,
      SigHashOptions options) {
    this.provider = provider;
    this.tx = tx;
    this.inputIndex = inputIndex;
    this.spentOutputs = spentOutputs;
    this.hasher = new SigHasher(tx, spentOutputs, options);
  }

  /** The input being verified. */
  public int inputIndex() {
    return inputIndex;
  }

  /**
   * lotusd {@code CheckSig}: hashes with the algorithm the type byte selects and verifies.
   *
   * @param sig signature with the type byte, already encoding-checked
   * @param pubkey encoded public key, already encoding-checked
   * @param exec the executed script's data, or null for a Taproot key-path spend
   * @param scriptCode the script code for BIP143 (from the last OP_CODESEPARATOR)
   * @return false for any signature that does not verify (never throws)
   */
  boolean checkSig(byte[] sig, byte[] pubkey, ExecData exec, byte[] scriptCode, int flags) {
    if (sig.length == 0) {
      return false;
    }
    EcPoint key;
    try {
      key = provider.decode(pubkey);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int type = sig[sig.length - 1] & 0xff;
    int alg = type & 0x60;
    byte[] digest;
    try {
      if (alg == 0x40) {
        digest =
            hasher.bip143(
                inputIndex,
                Script.of(scriptCode),
                spentOutputs.get(inputIndex).value(),
                type);
      } else if (alg == 0x60) {
        if ((flags & ScriptFlags.DISABLE_TAPROOT_SIGHASH_LOTUS) != 0) {
          return false;
        }
        digest =
            exec == null
                ? hasher.lotus(inputIndex, type)
                : hasher.lotus(inputIndex, type, exec.executedScriptHash(), exec.codeSeparatorPos());
      } else {
        // legacy and reserved algorithms never get here: the encoding check refuses them
        return false;
      }
    } catch (IllegalArgumentException e) {
      // undefined LOTUS type or SIGHASH_SINGLE without a matching output
      return false;
    }
    return verifySignature(Arrays.copyOf(sig, sig.length - 1), key, digest);
  }

  /** lotusd {@code VerifySignature}: 64 bytes Lotus Schnorr, otherwise ECDSA. */
  boolean verifySignature(byte[] sig, EcPoint key, byte[] digest32) {
    if (sig.length == 64) {
      return LotusSchnorr.verify(provider, sig, key, digest32);
    }
    try {
      EcdsaSignature s = EcdsaSignature.fromDer(sig);
      return provider.ecdsaVerify(s.r(), s.s(), key, digest32);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Decodes a public key, or null when it is not a curve point. */
  EcPoint decodeKey(byte[] pubkey) {
    try {
      return provider.decode(pubkey);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * lotusd {@code VerifyTaprootCommitment}'s last step: {@code internal + TH("TapTweak", internal33
   * || merkleRoot) * G == commitment}. False for keys that are not curve points or a tweak not
   * below the group order.
   */
  boolean tweakMatches(byte[] internal33, byte[] merkleRoot, byte[] commitment33) {
    EcPoint internal = decodeKey(internal33);
    EcPoint commitment = decodeKey(commitment33);
    if (internal == null || commitment == null) {
      return false;
    }
    java.math.BigInteger t =
        new java.math.BigInteger(
            1, org.lotusia.chain.crypto.TaggedHash.hash("TapTweak", internal33, merkleRoot));
    if (t.compareTo(org.lotusia.chain.crypto.Secp256k1.N) >= 0) {
      return false;
    }
    return provider.mulAdd(t, java.math.BigInteger.ONE, internal).equals(commitment);
  }

  /** lotusd {@code CheckLockTime} for OP_CHECKLOCKTIMEVERIFY. */
  boolean checkLockTime(long lockTime) {
    long txLockTime = tx.lockTime();
    boolean sameKind =
        (txLockTime < LOCKTIME_THRESHOLD && lockTime < LOCKTIME_THRESHOLD)
            || (txLockTime >= LOCKTIME_THRESHOLD && lockTime >= LOCKTIME_THRESHOLD);
    if (!sameKind || lockTime > txLockTime) {
      return false;
    }
    // a final input would let the transaction ignore its lock time altogether
    return tx.inputs().get(inputIndex).sequence() != SEQUENCE_FINAL;
  }

  /** lotusd {@code CheckSequence} for OP_CHECKSEQUENCEVERIFY (BIP112). */
  boolean checkSequence(long sequence) {
    long txSequence = tx.inputs().get(inputIndex).sequence();
    if (Integer.toUnsignedLong(tx.version()) < 2) {
      return false;
    }
    if ((txSequence & SEQUENCE_LOCKTIME_DISABLE_FLAG) != 0) {
      return false;
    }
    long mask = SEQUENCE_LOCKTIME_TYPE_FLAG | SEQUENCE_LOCKTIME_MASK;
    long txMasked = txSequence & mask;
    long masked = sequence & mask;
    boolean sameKind =
        (txMasked < SEQUENCE_LOCKTIME_TYPE_FLAG && masked < SEQUENCE_LOCKTIME_TYPE_FLAG)
            || (txMasked >= SEQUENCE_LOCKTIME_TYPE_FLAG && masked >= SEQUENCE_LOCKTIME_TYPE_FLAG);
    return sameKind && masked <= txMasked;
  }
}
