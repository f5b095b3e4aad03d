package org.lotusia.chain.crypto;

import java.math.BigInteger;

/**
 * secp256k1 group operations behind a small interface: {@link NativeSecp256k1} (libsecp256k1, the
 * default where its native library loads) and {@link BouncyCastleSecp256k1} give identical results
 * ({@link Secp256k1#defaultProvider()} chooses).
 *
 * <p>Scalars are taken modulo {@link Secp256k1#N}; negative scalars are rejected. Points returned
 * are affine {@link EcPoint}s (possibly {@link EcPoint#INFINITY}).
 *
 * <p>Implementations must be thread-safe and stateless apart from immutable precomputation.
 */
public interface Secp256k1Provider {

  /** Returns {@code k * G}. @throws IllegalArgumentException if k is negative */
  EcPoint mulG(BigInteger k);

  /** Returns {@code k * p}. @throws IllegalArgumentException if k is negative */
  EcPoint mul(EcPoint p, BigInteger k);

  /** Returns {@code a + b}. */
  EcPoint add(EcPoint a, EcPoint b);

  /**
   * Returns {@code a * G + b * q} (one simultaneous multiplication). @throws
   * IllegalArgumentException if a or b is negative
   */
  EcPoint mulAdd(BigInteger a, BigInteger b, EcPoint q);

  /**
   * Returns {@code k[0] * p[0] + ... + k[m-1] * p[m-1]}. The default adds the products one by
   * one; an implementation may compute them together (one doubling chain for all points), which is
   * several times faster for many points, as in MuSig2 key aggregation.
   *
   * @param points the points, none null (infinity allowed)
   * @param scalars one non-negative scalar per point
   * @return the sum (possibly {@link EcPoint#INFINITY}; an empty sum is infinity)
   * @throws IllegalArgumentException if the arrays differ in length, hold null or a negative
   *     scalar
   */
  default EcPoint sumOfMultiplies(EcPoint[] points, BigInteger[] scalars) {
    Secp256k1.checkSumOfMultiplies(points, scalars);
    EcPoint sum = EcPoint.INFINITY;
    for (int i = 0; i < points.length; i++) {
      sum = add(sum, mul(points[i], scalars[i]));
    }
    return sum;
  }

  /**
   * Decodes a 33-byte compressed or 65-byte uncompressed SEC1 point.
   *
   * @throws IllegalArgumentException with "bad length", "bad prefix" or "not on curve"
   */
  EcPoint decode(byte[] encoded);

  /**
   * BIP340 lift_x: the point with the given 32-byte x coordinate and even y.
   *
   * @throws IllegalArgumentException if the length is not 32, x is not below p, or x is not on the
   *     curve
   */
  EcPoint liftX(byte[] x32);

  /**
   * ECDSA signature of a 32-byte digest with an RFC 6979 deterministic nonce, normalised to low S.
   *
   * @param secretKey scalar in [1, n-1]
   * @param digest32 the message digest (used as a big-endian integer, as in Bitcoin)
   * @return the signature as {r, s}
   * @throws IllegalArgumentException for an out-of-range key or a digest that is not 32 bytes
   */
  BigInteger[] ecdsaSign(BigInteger secretKey, byte[] digest32);

  /**
   * Verifies an ECDSA signature (accepts high S; callers that require low S check it themselves).
   *
   * @return true if valid; false for any invalid value (never throws for bad signatures)
   */
  boolean ecdsaVerify(BigInteger r, BigInteger s, EcPoint publicKey, byte[] digest32);
}
