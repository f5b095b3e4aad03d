package org.lotusia.chain.crypto;

import java.math.BigInteger;

/**
 * secp256k1 domain constants and the default provider. Thread-safe.
 *
 * <p>The default provider is chosen once per process, on first use: {@link NativeSecp256k1}
 * (libsecp256k1) where its native library loads, else {@link BouncyCastleSecp256k1}. The system
 * property {@value #PROVIDER_PROPERTY} ({@code native}, {@code bouncycastle} or {@code auto}, the
 * default) fixes it; {@link #defaultProviderChoice()} says which is in use and why.
 */
public final class Secp256k1 {

  /** Field prime p = 2^256 - 2^32 - 977. */
  public static final BigInteger P =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);

  /** Group order n. */
  public static final BigInteger N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  /** n / 2, the bound for low-S ECDSA signatures. */
  public static final BigInteger HALF_N = N.shiftRight(1);

  /** The generator G. */
  public static final EcPoint G =
      EcPoint.of(
          new BigInteger("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", 16),
          new BigInteger("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", 16));

  /** The system property that fixes the default provider: native, bouncycastle or auto. */
  public static final String PROVIDER_PROPERTY = ProviderSelection.PROPERTY;

  private Secp256k1() {}

  /**
   * The default provider: {@link NativeSecp256k1} where its library loads, else {@link
   * BouncyCastleSecp256k1}, unless {@value #PROVIDER_PROPERTY} fixes it. Chosen once per process.
   *
   * @throws IllegalArgumentException if {@value #PROVIDER_PROPERTY} has an unknown value
   * @throws IllegalStateException if it names {@code native} and the native library is not
   *     available (the message says why)
   */
  public static Secp256k1Provider defaultProvider() {
    return ProviderSelection.global().provider();
  }

  /**
   * Which provider {@link #defaultProvider()} is and why, for logs and status reports.
   *
   * @throws IllegalArgumentException if {@value #PROVIDER_PROPERTY} has an unknown value
   * @throws IllegalStateException if it names {@code native} and the native library is not
   *     available
   */
  public static Secp256k1Choice defaultProviderChoice() {
    return ProviderSelection.global().choice();
  }

  /**
   * Checks that a secret key is in [1, n-1].
   *
   * @throws IllegalArgumentException otherwise
   */
  public static BigInteger checkSecretKey(BigInteger d) {
    if (d == null || d.signum() <= 0 || d.compareTo(N) >= 0) {
      throw new IllegalArgumentException("secret key out of range [1, n-1]");
    }
    return d;
  }

  /**
   * Parses a 32-byte big-endian secret key and checks its range.
   *
   * @throws IllegalArgumentException if not 32 bytes or out of range
   */
  public static BigInteger secretKey(byte[] key32) {
    if (key32 == null || key32.length != 32) {
      throw new IllegalArgumentException(
          "secret key must be 32 bytes, got " + (key32 == null ? "null" : key32.length));
    }
    return checkSecretKey(new BigInteger(1, key32));
  }

  /**
   * The argument checks of {@link Secp256k1Provider#sumOfMultiplies}.
   *
   * @throws IllegalArgumentException if the arrays are null, differ in length, or hold null or a
   *     negative scalar
   */
  static void checkSumOfMultiplies(EcPoint[] points, BigInteger[] scalars) {
    if (points == null || scalars == null) {
      throw new IllegalArgumentException("points and scalars must not be null");
    }
    if (points.length != scalars.length) {
      throw new IllegalArgumentException(
          "one scalar per point: " + points.length + " points, " + scalars.length + " scalars");
    }
    for (int i = 0; i < points.length; i++) {
      if (points[i] == null || scalars[i] == null) {
        throw new IllegalArgumentException("point or scalar " + i + " is null");
      }
      if (scalars[i].signum() < 0) {
        throw new IllegalArgumentException("scalar " + i + " is negative");
      }
    }
  }

  /**
   * The input checks shared by the {@link Secp256k1Provider#ecdsaVerify} implementations: r and s
   * in [1, n-1], a public key that is not infinity and a 32-byte digest.
   *
   * @return false if any of them fails (then the signature is invalid), true otherwise
   */
  static boolean ecdsaInputsValid(BigInteger r, BigInteger s, EcPoint publicKey, byte[] digest32) {
    if (r == null
        || s == null
        || publicKey == null
        || publicKey.isInfinity()
        || digest32 == null
        || digest32.length != 32) {
      return false;
    }
    return r.signum() > 0 && r.compareTo(N) < 0 && s.signum() > 0 && s.compareTo(N) < 0;
  }

  /** 32-byte big-endian encoding of a non-negative integer below 2^256. */
  public static byte[] toBytes32(BigInteger v) {
    if (v.signum() < 0 || v.bitLength() > 256) {
      throw new IllegalArgumentException("value does not fit in 32 bytes");
    }
    byte[] out = new byte[32];
    EcPoint.toBytes32(v, out, 0);
    return out;
  }
}
