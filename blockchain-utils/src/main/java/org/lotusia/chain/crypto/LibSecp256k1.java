package org.lotusia.chain.crypto;

/**
 * The libsecp256k1 calls {@link NativeSecp256k1} makes, as plain byte arrays. An interface so that
 * a test can hand in a library that fails to load or computes wrong bytes, and so that only {@link
 * AcinqLibSecp256k1} names the binding's classes (a missing jar then surfaces as a load failure
 * there, never elsewhere).
 *
 * <p>Points are SEC1 encodings (33 or 65 bytes in; always 65 bytes, {@code 04 || X || Y}, out).
 * Scalars are 32 bytes big-endian. Every method throws a {@link RuntimeException} when
 * libsecp256k1 refuses (an invalid key, a result at infinity); callers pass only arguments that
 * libsecp256k1's API accepts, so its illegal-argument callback never fires. Implementations are
 * thread-safe.
 */
interface LibSecp256k1 {

  /** {@code secp256k1_ec_pubkey_create}: {@code k*G} for k in [1, n-1]. */
  byte[] pubkeyCreate(byte[] secretKey32);

  /** {@code secp256k1_ec_pubkey_parse}: decodes and validates a point (02, 03 or 04 prefix). */
  byte[] pubkeyParse(byte[] encoded);

  /** {@code secp256k1_ec_pubkey_tweak_mul}: {@code k*P} for k in [1, n-1] (constant time). */
  byte[] pubkeyTweakMul(byte[] point, byte[] tweak32);

  /** {@code secp256k1_ec_pubkey_combine}: the sum of the points; fails if it is infinity. */
  byte[] pubkeyCombine(byte[][] points);

  /**
   * {@code secp256k1_ecdsa_recover}: {@code r^-1 * (s*R - z*G)} where R has x = r and the y parity
   * of {@code recoveryId} (0 even, 1 odd).
   */
  byte[] ecdsaRecover(byte[] compactSignature64, byte[] digest32, int recoveryId);

  /** {@code secp256k1_ecdsa_sign} with RFC 6979 nonces; the signature is low-S, {@code r || s}. */
  byte[] ecdsaSign(byte[] digest32, byte[] secretKey32);

  /** {@code secp256k1_ecdsa_verify}: rejects high-S signatures. */
  boolean ecdsaVerify(byte[] compactSignature64, byte[] digest32, byte[] point);

  /** Library and version for reports. */
  String description();
}
