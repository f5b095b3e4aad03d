package org.lotusia.chain.crypto;

import java.math.BigInteger;

/**
 * Independent, deliberately naive affine secp256k1 arithmetic with BigInteger (test oracle only).
 * Points are BigInteger[]{x, y}; null is infinity.
 */
public final class RefEc {
  public static final BigInteger P =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);
  public static final BigInteger N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
  public static final BigInteger[] G = {
    new BigInteger("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", 16),
    new BigInteger("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", 16)
  };

  private RefEc() {}

  public static BigInteger[] add(BigInteger[] a, BigInteger[] b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    BigInteger lambda;
    if (a[0].equals(b[0])) {
      if (a[1].add(b[1]).mod(P).signum() == 0) {
        return null;
      }
      lambda =
          a[0].pow(2)
              .multiply(BigInteger.valueOf(3))
              .multiply(a[1].shiftLeft(1).modInverse(P))
              .mod(P);
    } else {
      lambda = b[1].subtract(a[1]).multiply(b[0].subtract(a[0]).modInverse(P)).mod(P);
    }
    BigInteger x = lambda.pow(2).subtract(a[0]).subtract(b[0]).mod(P);
    BigInteger y = lambda.multiply(a[0].subtract(x)).subtract(a[1]).mod(P);
    return new BigInteger[] {x, y};
  }

  public static BigInteger[] mul(BigInteger[] p, BigInteger k) {
    BigInteger[] r = null;
    for (int i = k.bitLength() - 1; i >= 0; i--) {
      r = add(r, r);
      if (k.testBit(i)) {
        r = add(r, p);
      }
    }
    return r;
  }

  public static BigInteger[] decompress(byte[] p33) {
    BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(p33, 1, 33));
    BigInteger y =
        x.pow(3).add(BigInteger.valueOf(7)).mod(P).modPow(P.add(BigInteger.ONE).shiftRight(2), P);
    if (y.testBit(0) != (p33[0] == 3)) {
      y = P.subtract(y);
    }
    return new BigInteger[] {x, y};
  }

  /** Euler's criterion. */
  public static boolean isSquare(BigInteger y) {
    return y.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(BigInteger.ONE);
  }

  /** Straightforward Lotus Schnorr verify: R = sG - eP, R finite, square y, x == r. */
  public static boolean schnorrVerify(byte[] sig, byte[] pub33, byte[] msg) throws Exception {
    BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 0, 32));
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
    if (r.compareTo(P) >= 0 || s.compareTo(N) >= 0) {
      return false;
    }
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    md.update(java.util.Arrays.copyOfRange(sig, 0, 32));
    md.update(pub33);
    md.update(msg);
    BigInteger e = new BigInteger(1, md.digest()).mod(N);
    BigInteger[] rp = add(mul(G, s), mul(decompress(pub33), N.subtract(e)));
    return rp != null && isSquare(rp[1]) && rp[0].equals(r);
  }
}
