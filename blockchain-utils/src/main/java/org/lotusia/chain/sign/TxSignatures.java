package org.lotusia.chain.sign;

import java.util.Arrays;
import java.util.List;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.EcdsaSignature;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.Secp256k1Provider;
import org.lotusia.chain.script.ScriptChunk;
import org.lotusia.chain.sighash.SigHashOptions;
import org.lotusia.chain.sighash.SigHashType;
import org.lotusia.chain.sighash.SigHasher;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;

/**
 * Transaction signatures as they appear in scripts: {@code DER(r,s) || hashType} for ECDSA and
 * {@code r(32) || s(32) || hashType} for Lotus Schnorr. A script signature of exactly 65 bytes (64
 * without the type byte) is Schnorr, anything else DER ECDSA (lotusd {@code VerifySignature}).
 * Stateless, thread-safe.
 */
public final class TxSignatures {

  private TxSignatures() {}

  /** ECDSA (RFC 6979, low S) over the digest, DER-encoded, with the type byte appended. */
  public static byte[] ecdsa(PrivateKey key, byte[] digest32, int typeByte) {
    return append(key.signEcdsa(digest32).toDer(), typeByte);
  }

  /** Lotus Schnorr over the digest with the type byte appended (65 bytes). */
  public static byte[] schnorr(PrivateKey key, byte[] digest32, int typeByte) {
    return append(key.signSchnorr(digest32), typeByte);
  }

  /** The hash type byte of a script signature. @throws IllegalArgumentException if empty */
  public static int typeByte(byte[] scriptSig) {
    if (scriptSig == null || scriptSig.length == 0) {
      throw new IllegalArgumentException("empty signature has no hash type");
    }
    return scriptSig[scriptSig.length - 1] & 0xff;
  }

  /**
   * True if the script signature is a Lotus Schnorr signature (65 bytes including the type byte).
   */
  public static boolean isSchnorr(byte[] scriptSig) {
    return scriptSig != null && scriptSig.length == 65;
  }

  /**
   * Verifies a script signature against a digest: Schnorr if 65 bytes, otherwise strict-DER low-S
   * ECDSA. Returns false (never throws) for malformed signatures. The caller computes the digest
   * for {@link #typeByte(byte[])}.
   */
  public static boolean verify(
      Secp256k1Provider provider, byte[] scriptSig, EcPoint publicKey, byte[] digest32) {
    if (scriptSig == null || scriptSig.length < 2) {
      return false;
    }
    if (SigHashType.algorithm(typeByte(scriptSig)) == 0x20) {
      return false;
    }
    byte[] body = Arrays.copyOf(scriptSig, scriptSig.length - 1);
    if (isSchnorr(scriptSig)) {
      return LotusSchnorr.verify(provider, body, publicKey, digest32);
    }
    EcdsaSignature sig;
    try {
      sig = EcdsaSignature.fromDer(body);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return sig.isLowS() && provider.ecdsaVerify(sig.r(), sig.s(), publicKey, digest32);
  }

  /**
   * Verifies input {@code inputIndex} as a P2PKH spend: its script must be {@code <sig||type>
   * <pubkey>}, the HASH160 of the key must match the spent P2PKH script, and the signature (ECDSA
   * or Schnorr) must verify over the digest its type byte selects (FORKID or LOTUS; legacy types
   * are accepted too). Returns false for anything malformed; never throws for bad data.
   *
   * @param spentOutputs the output spent by every input, in input order
   */
  public static boolean verifyP2pkhInput(
      Secp256k1Provider provider,
      Transaction tx,
      int inputIndex,
      List<TxOutput> spentOutputs,
      SigHashOptions options) {
    if (inputIndex < 0
        || inputIndex >= tx.inputs().size()
        || spentOutputs.size() != tx.inputs().size()) {
      return false;
    }
    TxOutput spent = spentOutputs.get(inputIndex);
    if (!spent.script().isP2pkh()) {
      return false;
    }
    List<ScriptChunk> chunks =
        tx.inputs().get(inputIndex).scriptSig().tryChunks().orElse(List.of());
    if (chunks.size() != 2 || chunks.get(0).data() == null || chunks.get(1).data() == null) {
      return false;
    }
    byte[] sig = chunks.get(0).data();
    byte[] pub = chunks.get(1).data();
    if (!Arrays.equals(Hashes.hash160(pub), spent.script().hash160())) {
      return false;
    }
    try {
      EcPoint key = provider.decode(pub);
      byte[] digest =
          new SigHasher(tx, spentOutputs, options)
              .hash(inputIndex, typeByte(sig), spent.script(), spent.value());
      return verify(provider, sig, key, digest);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] append(byte[] sig, int typeByte) {
    if (typeByte < 0 || typeByte > 0xff) {
      throw new IllegalArgumentException("hash type must be one byte: " + typeByte);
    }
    byte[] out = Arrays.copyOf(sig, sig.length + 1);
    out[sig.length] = (byte) typeByte;
    return out;
  }
}
