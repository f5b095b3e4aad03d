package org.lotusia.chain.crypto;

import java.math.BigInteger;

/**
 * Jacobi symbol computation. {@link #symbol(BigInteger, BigInteger)} is the textbook algorithm on
 * BigInteger; {@link #symbolModP(BigInteger)} is an allocation-free binary algorithm on four 64-bit
 * limbs for the secp256k1 field prime (the hot path of Lotus Schnorr). Stateless, thread-safe.
 */
final class Jacobi {

  private static final long P0 = 0xFFFFFFFEFFFFFC2FL;
  private static final long P1 = -1L;
  private static final long P2 = -1L;
  private static final long P3 = -1L;

  private Jacobi() {}

  /**
   * Returns the Jacobi symbol (a / n) for odd positive n: 1, -1, or 0 when gcd(a, n) != 1.
   *
   * @throws IllegalArgumentException if n is not odd and positive
   */
  static int symbol(BigInteger a, BigInteger n) {
    if (n.signum() <= 0 || !n.testBit(0)) {
      throw new IllegalArgumentException("modulus must be odd and positive");
    }
    if (n.equals(Secp256k1.P)) {
      return symbolModP(a.signum() < 0 || a.compareTo(n) >= 0 ? a.mod(n) : a);
    }
    BigInteger x = a.mod(n);
    BigInteger m = n;
    int result = 1;
    while (x.signum() != 0) {
      int twos = x.getLowestSetBit();
      if (twos > 0) {
        x = x.shiftRight(twos);
        // (2/m) = -1 iff m = 3 or 5 (mod 8); only odd powers of two matter.
        int mMod8 = m.intValue() & 7;
        if ((twos & 1) == 1 && (mMod8 == 3 || mMod8 == 5)) {
          result = -result;
        }
      }
      // Reciprocity: flip if both are 3 (mod 4).
      if ((x.intValue() & 3) == 3 && (m.intValue() & 3) == 3) {
        result = -result;
      }
      BigInteger t = m.mod(x);
      m = x;
      x = t;
    }
    return m.equals(BigInteger.ONE) ? result : 0;
  }

  /**
   * (a / p) for the secp256k1 prime p and 0 <= a < p, by the binary algorithm: strip factors of two
   * (flipping the sign when n = 3, 5 mod 8 and the count is odd), swap with reciprocity so that a
   * >= n, subtract.
   */
  static int symbolModP(BigInteger value) {
    long a0 = value.longValue();
    long a1 = value.shiftRight(64).longValue();
    long a2 = value.shiftRight(128).longValue();
    long a3 = value.shiftRight(192).longValue();
    long n0 = P0;
    long n1 = P1;
    long n2 = P2;
    long n3 = P3;
    int t = 1;
    while ((a0 | a1 | a2 | a3) != 0) {
      // Remove whole zero limbs (64 twos: even count, no sign change).
      while (a0 == 0) {
        a0 = a1;
        a1 = a2;
        a2 = a3;
        a3 = 0;
      }
      int s = Long.numberOfTrailingZeros(a0);
      if (s > 0) {
        a0 = (a0 >>> s) | (a1 << (64 - s));
        a1 = (a1 >>> s) | (a2 << (64 - s));
        a2 = (a2 >>> s) | (a3 << (64 - s));
        a3 = a3 >>> s;
        int nMod8 = (int) (n0 & 7);
        if ((s & 1) == 1 && (nMod8 == 3 || nMod8 == 5)) {
          t = -t;
        }
      }
      // a and n are odd; make a >= n.
      if (lessThan(a3, a2, a1, a0, n3, n2, n1, n0)) {
        long x0 = a0;
        long x1 = a1;
        long x2 = a2;
        long x3 = a3;
        a0 = n0;
        a1 = n1;
        a2 = n2;
        a3 = n3;
        n0 = x0;
        n1 = x1;
        n2 = x2;
        n3 = x3;
        if ((a0 & 3) == 3 && (n0 & 3) == 3) {
          t = -t;
        }
      }
      // a = a - n (even, >= 0).
      long d0 = a0 - n0;
      long b = borrow(a0, n0, d0);
      long d1 = a1 - n1 - b;
      b = borrow(a1, n1, d1);
      long d2 = a2 - n2 - b;
      b = borrow(a2, n2, d2);
      long d3 = a3 - n3 - b;
      a0 = d0;
      a1 = d1;
      a2 = d2;
      a3 = d3;
    }
    boolean nIsOne = n0 == 1 && (n1 | n2 | n3) == 0;
    return nIsOne ? t : 0;
  }

  private static boolean lessThan(
      long a3, long a2, long a1, long a0, long n3, long n2, long n1, long n0) {
    if (a3 != n3) {
      return Long.compareUnsigned(a3, n3) < 0;
    }
    if (a2 != n2) {
      return Long.compareUnsigned(a2, n2) < 0;
    }
    if (a1 != n1) {
      return Long.compareUnsigned(a1, n1) < 0;
    }
    return Long.compareUnsigned(a0, n0) < 0;
  }

  /** Borrow out of {@code d = x - y - borrowIn}: set when x < y (+ borrowIn) as unsigned values. */
  private static long borrow(long x, long y, long d) {
    return ((~x & y) | (~(x ^ y) & d)) >>> 63;
  }
}
