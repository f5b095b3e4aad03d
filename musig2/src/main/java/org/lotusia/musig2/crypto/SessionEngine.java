package org.lotusia.musig2.crypto;

import java.security.SecureRandom;
import java.util.List;

/**
 * The variant-specific arithmetic behind {@link MuSig2Session}. An engine is created per session,
 * holds the key context and, after {@link #aggregateNonces}, the session values. Confined to its
 * session (which synchronises every call).
 */
sealed interface SessionEngine permits LotusSessionEngine, Bip327SessionEngine {

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
