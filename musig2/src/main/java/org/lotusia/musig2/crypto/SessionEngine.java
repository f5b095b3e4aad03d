package org.lotusia.musig2.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.lotusia.chain.crypto.Secp256k1Provider;
import org.lotusia.musig2.crypto.MuSig2Session.Variant;

/**
 * The variant-specific arithmetic behind {@link MuSig2Session}. An engine is created per session,
 * holds the key context and, after {@link #aggregateNonces}, the session values. Confined to its
 * session (which synchronises every call).
 */
sealed interface SessionEngine permits LotusSessionEngine, Bip327SessionEngine {

  /**
   * Creates the engine of a variant for the signers' keys (any order).
   *
   * @param taprootMerkleRoot Lotus Taproot merkle root, or {@code null}; Lotus variant only
   * @param tweaks BIP327 tweaks, with {@code xOnly} telling which are x-only; BIP327 variant only
   * @throws IllegalArgumentException for a duplicate key, or a tweak of the other variant
   */
  static SessionEngine create(
      Variant variant,
      Secp256k1Provider curve,
      List<byte[]> publicKeys,
      byte[] message,
      byte[] taprootMerkleRoot,
      List<byte[]> tweaks,
      List<Boolean> xOnly) {
    List<byte[]> sorted = Bip327MuSig2.keySort(publicKeys);
    for (int i = 1; i < sorted.size(); i++) {
      if (Arrays.equals(sorted.get(i), sorted.get(i - 1))) {
        throw new IllegalArgumentException(
            "duplicate signer public key "
                + HexFormat.of().formatHex(sorted.get(i))
                + ": each signer must appear once");
      }
    }
    if (variant == Variant.LOTUS) {
      if (!tweaks.isEmpty()) {
        throw new IllegalArgumentException(
            "the Lotus variant takes no BIP327 tweaks; use taproot()");
      }
      return new LotusSessionEngine(new LotusMuSig2(curve), publicKeys, message, taprootMerkleRoot);
    } else {
      if (taprootMerkleRoot != null) {
        throw new IllegalArgumentException(
            "Lotus Taproot applies to the Lotus variant; use tweak() for BIP327");
      }
      return new Bip327SessionEngine(new Bip327MuSig2(curve), publicKeys, message, tweaks, xOnly);
    }
  }

  /**
   * @return the signers' 33-byte keys in session (signer-index) order
   */
  List<byte[]> publicKeys();

  /**
   * @return the key the final signature verifies under: 33-byte Lotus key or 32-byte x-only BIP340
   *     key
   */
  byte[] aggregateKey();

  /** Generates the local signer's (at {@code signerIndex}) nonce with fresh randomness. */
  SecretNonce nonceGen(byte[] secretKey, int signerIndex, byte[] message, SecureRandom random);

  /** Aggregates all nonces (in signer order) and computes the session values. */
  void aggregateNonces(List<PublicNonce> nonces);

  /** Signs as {@code signerIndex}, consuming the nonce. */
  byte[] sign(SecretNonce nonce, byte[] secretKey, int signerIndex);

  /** Verifies signer {@code signerIndex}'s partial signature. */
  boolean verifyPartial(byte[] psig, PublicNonce nonce, int signerIndex);

  /**
   * Aggregates all partial signatures (signer order) and verifies the final signature; throws if
   * invalid.
   */
  byte[] aggregateSignatures(List<byte[]> psigs);
}
