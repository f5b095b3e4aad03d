package org.lotusia.chain.crypto;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * {@link Secp256k1Provider} on BouncyCastle's custom secp256k1 curve (GLV endomorphism, fixed-base
 * comb for G, Shamir/GLV for {@code a*G + b*Q}). Converted BouncyCastle points are cached on the
 * {@link EcPoint} so repeated use of a key costs no conversion.
 *
 * <p>Thread-safe: stateless apart from BouncyCastle's internally synchronised precomputation
 * tables.
 */
public final class BouncyCastleSecp256k1 implements Secp256k1Provider {

  static final BouncyCastleSecp256k1 INSTANCE = new BouncyCastleSecp256k1();

  private final ECCurve curve;
  private final ECPoint g;
  private final FixedPointCombMultiplier comb = new FixedPointCombMultiplier();

  private BouncyCastleSecp256k1() {
    X9ECParameters params = CustomNamedCurves.getByName("secp256k1");
    this.curve = params.getCurve();
    this.g = params.getG().normalize();
    // Warm the comb table once so the first caller does not pay for it on a hot path.
    comb.multiply(g, BigInteger.ONE);
  }

  /**
   * Returns the shared instance (the default provider where the native one does not load, see
   * {@link Secp256k1#defaultProvider()}).
   */
  public static BouncyCastleSecp256k1 instance() {
    return INSTANCE;
  }

  /** "BouncyCastle" and its version (from the jar's name), for reports. */
  static String description() {
    try {
      String where = ECPoint.class.getProtectionDomain().getCodeSource().getLocation().toString();
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("bcprov-[a-z0-9]+-(\\d[^/]*?)\\.jar").matcher(where);
      return m.find() ? "BouncyCastle " + m.group(1) : "BouncyCastle";
    } catch (RuntimeException e) { // no code source (custom class loader)
      return "BouncyCastle";
    }
  }

  @Override
  public EcPoint mulG(BigInteger k) {
    BigInteger kk = reduce(k);
    if (kk.signum() == 0) {
      return EcPoint.INFINITY;
    }
    return fromBc(comb.multiply(g, kk));
  }

  @Override
  public EcPoint mul(EcPoint p, BigInteger k) {
    BigInteger kk = reduce(k);
    if (p.isInfinity() || kk.signum() == 0) {
      return EcPoint.INFINITY;
    }
    return fromBc(toBc(p).multiply(kk));
  }

  @Override
  public EcPoint add(EcPoint a, EcPoint b) {
    if (a.isInfinity()) {
      return b;
    }
    if (b.isInfinity()) {
      return a;
    }
    return fromBc(toBc(a).add(toBc(b)));
  }

  @Override
  public EcPoint mulAdd(BigInteger a, BigInteger b, EcPoint q) {
    BigInteger aa = reduce(a);
    BigInteger bb = reduce(b);
    if (q.isInfinity() || bb.signum() == 0) {
      return mulG(aa);
    }
    return fromBc(ECAlgorithms.sumOfTwoMultiplies(g, aa, toBc(q), bb));
  }

  /**
   * One interleaved multiplication for all points ({@code ECAlgorithms.sumOfMultiplies}: GLV and
   * width-w NAF per point, a single doubling chain), several times faster than adding products for
   * many points.
   */
  @Override
  public EcPoint sumOfMultiplies(EcPoint[] points, BigInteger[] scalars) {
    Secp256k1.checkSumOfMultiplies(points, scalars);
    java.util.List<ECPoint> ps = new java.util.ArrayList<>(points.length);
    java.util.List<BigInteger> ks = new java.util.ArrayList<>(points.length);
    for (int i = 0; i < points.length; i++) {
      BigInteger k = reduce(scalars[i]);
      if (!points[i].isInfinity() && k.signum() != 0) {
        ps.add(toBc(points[i]));
        ks.add(k);
      }
    }
    if (ps.isEmpty()) {
      return EcPoint.INFINITY;
    }
    return fromBc(
        ECAlgorithms.sumOfMultiplies(ps.toArray(new ECPoint[0]), ks.toArray(new BigInteger[0])));
  }

  /**
   * {@code a*G + b*Q} as a BouncyCastle point left in projective coordinates (no inversion), for
   * verifiers that can check the result without normalising.
   */
  ECPoint mulAddRaw(BigInteger a, BigInteger b, EcPoint q) {
    return ECAlgorithms.sumOfTwoMultiplies(g, reduce(a), toBc(q), reduce(b));
  }

  @Override
  public EcPoint decode(byte[] encoded) {
    if (encoded == null) {
      throw new IllegalArgumentException("bad length: null point encoding");
    }
    if (encoded.length == 33) {
      if (encoded[0] != 0x02 && encoded[0] != 0x03) {
        throw new IllegalArgumentException(
            "bad prefix 0x"
                + Integer.toHexString(encoded[0] & 0xff)
                + " for a 33-byte point (expected 0x02 or 0x03)");
      }
      BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(encoded, 1, 33));
      return lift(x, encoded[0] == 0x03);
    }
    if (encoded.length == 65) {
      if (encoded[0] != 0x04) {
        throw new IllegalArgumentException(
            "bad prefix 0x"
                + Integer.toHexString(encoded[0] & 0xff)
                + " for a 65-byte point (expected 0x04)");
      }
      BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(encoded, 1, 33));
      BigInteger y = new BigInteger(1, java.util.Arrays.copyOfRange(encoded, 33, 65));
      return EcPoint.of(x, y);
    }
    throw new IllegalArgumentException(
        "bad length " + encoded.length + " for a point (expected 33 or 65)");
  }

  @Override
  public EcPoint liftX(byte[] x32) {
    if (x32 == null || x32.length != 32) {
      throw new IllegalArgumentException("bad length: x coordinate must be 32 bytes");
    }
    return lift(new BigInteger(1, x32), false);
  }

  private EcPoint lift(BigInteger x, boolean odd) {
    if (x.compareTo(Secp256k1.P) >= 0) {
      throw new IllegalArgumentException("not on curve: x >= p");
    }
    ECFieldElement fx = curve.fromBigInteger(x);
    ECFieldElement rhs = fx.square().multiply(fx).add(curve.getB());
    ECFieldElement fy = rhs.sqrt();
    if (fy == null) {
      throw new IllegalArgumentException("not on curve: x has no matching y");
    }
    BigInteger y = fy.toBigInteger();
    if (y.testBit(0) != odd) {
      y = Secp256k1.P.subtract(y);
    }
    return EcPoint.trusted(x, y, null);
  }

  @Override
  public BigInteger[] ecdsaSign(BigInteger secretKey, byte[] digest32) {
    Secp256k1.checkSecretKey(secretKey);
    if (digest32 == null || digest32.length != 32) {
      throw new IllegalArgumentException("digest must be 32 bytes");
    }
    BigInteger n = Secp256k1.N;
    BigInteger e = new BigInteger(1, digest32);
    // RFC 6979 section 3.2 step d: the digest enters as bits2octets(h1), that is reduced modulo n
    // (as libsecp256k1 does); it differs from the raw digest only for digests >= n.
    byte[] h1 = e.compareTo(n) >= 0 ? Secp256k1.toBytes32(e.subtract(n)) : digest32;
    Rfc6979 nonces = new Rfc6979(Secp256k1.toBytes32(secretKey), h1, null);
    while (true) {
      BigInteger k = nonces.next();
      ECPoint rp = comb.multiply(g, k).normalize();
      BigInteger r = rp.getAffineXCoord().toBigInteger().mod(n);
      if (r.signum() == 0) {
        continue;
      }
      BigInteger s = BigIntegers.modOddInverse(n, k).multiply(e.add(r.multiply(secretKey))).mod(n);
      if (s.signum() == 0) {
        continue;
      }
      if (s.compareTo(Secp256k1.HALF_N) > 0) {
        s = n.subtract(s);
      }
      return new BigInteger[] {r, s};
    }
  }

  @Override
  public boolean ecdsaVerify(BigInteger r, BigInteger s, EcPoint publicKey, byte[] digest32) {
    if (!Secp256k1.ecdsaInputsValid(r, s, publicKey, digest32)) {
      return false;
    }
    BigInteger n = Secp256k1.N;
    BigInteger w = BigIntegers.modOddInverseVar(n, s);
    BigInteger u1 = new BigInteger(1, digest32).multiply(w).mod(n);
    BigInteger u2 = r.multiply(w).mod(n);
    ECPoint x = ECAlgorithms.sumOfTwoMultiplies(g, u1, toBc(publicKey), u2);
    if (x.isInfinity()) {
      return false;
    }
    if (curve.getCoordinateSystem() == ECCurve.COORD_JACOBIAN && !x.isNormalized()) {
      // x_affine mod n == r  <=>  X == r*Z^2 or (r + n < p and X == (r+n)*Z^2); avoids the
      // inversion.
      ECFieldElement z2 = x.getZCoord(0).square();
      if (curve.fromBigInteger(r).multiply(z2).equals(x.getRawXCoord())) {
        return true;
      }
      BigInteger rn = r.add(n);
      return rn.compareTo(Secp256k1.P) < 0
          && curve.fromBigInteger(rn).multiply(z2).equals(x.getRawXCoord());
    }
    ECPoint a = x.normalize();
    return a.getAffineXCoord().toBigInteger().mod(n).equals(r);
  }

  ECPoint toBc(EcPoint p) {
    Object cached = p.providerCache();
    if (cached instanceof ECPoint) {
      ECPoint bc = (ECPoint) cached;
      if (bc.getCurve() == curve) {
        return bc;
      }
    }
    if (p.isInfinity()) {
      return curve.getInfinity();
    }
    ECPoint bc = curve.createPoint(p.x(), p.y());
    p.providerCache(bc);
    return bc;
  }

  EcPoint fromBc(ECPoint p) {
    ECPoint n = p.normalize();
    if (n.isInfinity()) {
      return EcPoint.INFINITY;
    }
    return EcPoint.trusted(
        n.getAffineXCoord().toBigInteger(), n.getAffineYCoord().toBigInteger(), n);
  }

  @Override
  public String toString() {
    return "BouncyCastleSecp256k1[" + description() + "]";
  }

  private static BigInteger reduce(BigInteger k) {
    if (k == null || k.signum() < 0) {
      throw new IllegalArgumentException("scalar must be non-negative");
    }
    return k.compareTo(Secp256k1.N) >= 0 ? k.mod(Secp256k1.N) : k;
  }
}
