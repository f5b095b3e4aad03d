package org.lotusia.chain.crypto;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Checks the Lotus Schnorr verification condition on a BouncyCastle point without normalising it
 * when the curve uses Jacobian coordinates: with {@code x = X/Z^2}, {@code y = Y/Z^3}, the
 * conditions {@code x == r} and {@code jacobi(y) == 1} become {@code X == r*Z^2} and {@code
 * jacobi(Y*Z) == 1} (Z^4 is a square), which saves the field inversion. Stateless, thread-safe.
 */
final class SchnorrFastCheck {

  private SchnorrFastCheck() {}

  static boolean check(ECPoint rp, BigInteger r) {
    if (rp.isInfinity()) {
      return false;
    }
    ECCurve curve = rp.getCurve();
    if (curve.getCoordinateSystem() == ECCurve.COORD_JACOBIAN && !rp.isNormalized()) {
      ECFieldElement z = rp.getZCoord(0);
      ECFieldElement rz2 = curve.fromBigInteger(r).multiply(z.square());
      if (!rz2.equals(rp.getRawXCoord())) {
        return false;
      }
      BigInteger yz = rp.getRawYCoord().multiply(z).toBigInteger();
      return Jacobi.symbol(yz, Secp256k1.P) == 1;
    }
    ECPoint n = rp.normalize();
    if (!n.getAffineXCoord().toBigInteger().equals(r)) {
      return false;
    }
    return Jacobi.symbol(n.getAffineYCoord().toBigInteger(), Secp256k1.P) == 1;
  }
}
