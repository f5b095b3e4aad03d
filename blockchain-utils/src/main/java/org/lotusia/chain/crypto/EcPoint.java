package org.lotusia.chain.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * An immutable affine point on secp256k1, or the point at infinity.
 *
 * <p>Instances are created by a {@link Secp256k1Provider} (which validates that the coordinates lie
 * on the curve) or by {@link #of(BigInteger, BigInteger)}, which validates too. A provider may
 * attach a cached representation of its own (a BouncyCastle point, or libsecp256k1's 65-byte
 * encoding) so that repeated arithmetic on the same point avoids a conversion; that cache never
 * affects equality or encoding.
 *
 * <p>Thread-safe: immutable (the provider cache is a benign race on an idempotent value).
 */
public final class EcPoint {

  /** The point at infinity (the group identity). */
  public static final EcPoint INFINITY = new EcPoint(null, null, null);

  private final BigInteger x;
  private final BigInteger y;

  /**
   * Provider-specific representation of the same point; may be set lazily, never changes the value.
   */
  private volatile Object providerCache;

  private EcPoint(BigInteger x, BigInteger y, Object providerCache) {
    this.x = x;
    this.y = y;
    this.providerCache = providerCache;
  }

  /**
   * Creates a point from affine coordinates after checking {@code y^2 = x^3 + 7 (mod p)} and the
   * ranges.
   *
   * @throws IllegalArgumentException if a coordinate is out of range or the point is not on the
   *     curve
   */
  public static EcPoint of(BigInteger x, BigInteger y) {
    if (x == null || y == null) {
      throw new IllegalArgumentException("coordinates must not be null");
    }
    if (x.signum() < 0
        || x.compareTo(Secp256k1.P) >= 0
        || y.signum() < 0
        || y.compareTo(Secp256k1.P) >= 0) {
      throw new IllegalArgumentException("coordinate out of field range");
    }
    BigInteger lhs = y.multiply(y).mod(Secp256k1.P);
    BigInteger rhs = x.pow(3).add(BigInteger.valueOf(7)).mod(Secp256k1.P);
    if (!lhs.equals(rhs)) {
      throw new IllegalArgumentException("not on curve");
    }
    return new EcPoint(x, y, null);
  }

  /** Package-private factory for providers that have already validated the point. */
  static EcPoint trusted(BigInteger x, BigInteger y, Object providerCache) {
    return new EcPoint(x, y, providerCache);
  }

  Object providerCache() {
    return providerCache;
  }

  void providerCache(Object cache) {
    this.providerCache = cache;
  }

  /** Affine x coordinate. @throws IllegalStateException for infinity */
  public BigInteger x() {
    requireFinite();
    return x;
  }

  /** Affine y coordinate. @throws IllegalStateException for infinity */
  public BigInteger y() {
    requireFinite();
    return y;
  }

  /** True for the point at infinity. */
  public boolean isInfinity() {
    return x == null;
  }

  /**
   * 33-byte SEC1 compressed encoding {@code 02/03 || X}. @throws IllegalStateException for infinity
   */
  public byte[] encodeCompressed() {
    requireFinite();
    byte[] out = new byte[33];
    out[0] = (byte) (y.testBit(0) ? 0x03 : 0x02);
    toBytes32(x, out, 1);
    return out;
  }

  /**
   * 65-byte SEC1 uncompressed encoding {@code 04 || X || Y}. @throws IllegalStateException for
   * infinity
   */
  public byte[] encodeUncompressed() {
    requireFinite();
    byte[] out = new byte[65];
    out[0] = 0x04;
    toBytes32(x, out, 1);
    toBytes32(y, out, 33);
    return out;
  }

  /**
   * The 32-byte big-endian x coordinate (BIP340 x-only key). @throws IllegalStateException for
   * infinity
   */
  public byte[] xOnly() {
    requireFinite();
    byte[] out = new byte[32];
    toBytes32(x, out, 0);
    return out;
  }

  /** True if y is even. @throws IllegalStateException for infinity */
  public boolean hasEvenY() {
    requireFinite();
    return !y.testBit(0);
  }

  /**
   * True if y is a quadratic residue modulo p (Jacobi symbol 1), the nonce rule of
   * Bitcoin-ABC/Lotus Schnorr. False for infinity.
   */
  public boolean hasSquareY() {
    if (isInfinity()) {
      return false;
    }
    return Jacobi.symbol(y, Secp256k1.P) == 1;
  }

  /** The point {@code -this} (same x, y negated); infinity for infinity. */
  public EcPoint negate() {
    if (isInfinity()) {
      return this;
    }
    return new EcPoint(x, y.signum() == 0 ? y : Secp256k1.P.subtract(y), null);
  }

  private void requireFinite() {
    if (x == null) {
      throw new IllegalStateException("point at infinity has no coordinates");
    }
  }

  static void toBytes32(BigInteger v, byte[] out, int off) {
    byte[] b = v.toByteArray();
    int len = b.length;
    int start = 0;
    if (len > 32) {
      start = len - 32;
      len = 32;
    }
    Arrays.fill(out, off, off + 32 - len, (byte) 0);
    System.arraycopy(b, start, out, off + 32 - len, len);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EcPoint)) {
      return false;
    }
    EcPoint other = (EcPoint) o;
    if (isInfinity() || other.isInfinity()) {
      return isInfinity() && other.isInfinity();
    }
    return x.equals(other.x) && y.equals(other.y);
  }

  @Override
  public int hashCode() {
    return isInfinity() ? 0 : x.hashCode() * 31 + (y.testBit(0) ? 1 : 0);
  }

  @Override
  public String toString() {
    if (isInfinity()) {
      return "EcPoint[INFINITY]";
    }
    return "EcPoint[" + java.util.HexFormat.of().formatHex(encodeCompressed()) + "]";
  }
}
