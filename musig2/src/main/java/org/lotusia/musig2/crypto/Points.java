package org.lotusia.musig2.crypto;

import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.Secp256k1Provider;

/**
 * Point encodings of BIP327 (cbytes, cbytes_ext, cpoint, cpoint_ext) with errors that name the
 * culprit.
 */
final class Points {
  private static final byte[] INFINITY_33 = new byte[33];

  private Points() {}

  /** cpoint: decodes a 33-byte compressed point; names the contribution and signer on failure. */
  static EcPoint cpoint(Secp256k1Provider curve, byte[] b, Contribution what, int signer) {
    if (b == null || b.length != 33) {
      throw new InvalidContributionException(
          what,
          signer,
          "expected a 33-byte compressed point, got " + (b == null ? "null" : b.length + " bytes"));
    }
    if (b[0] != 2 && b[0] != 3) {
      throw new InvalidContributionException(
          what,
          signer,
          String.format("compressed point prefix must be 0x02 or 0x03, got 0x%02x", b[0] & 0xff));
    }
    EcPoint p;
    try {
      p = curve.decode(b);
    } catch (RuntimeException e) {
      throw new InvalidContributionException(
          what, signer, "not a point on secp256k1: " + e.getMessage(), e);
    }
    if (p.isInfinity()) {
      throw new InvalidContributionException(what, signer, "point at infinity");
    }
    return p;
  }

  /** cpoint_ext: like {@link #cpoint} but 33 zero bytes decode to infinity. */
  static EcPoint cpointExt(Secp256k1Provider curve, byte[] b, Contribution what, int signer) {
    if (b != null && java.util.Arrays.equals(b, INFINITY_33)) {
      return EcPoint.INFINITY;
    }
    return cpoint(curve, b, what, signer);
  }

  /** cbytes_ext: 33 zero bytes for infinity, else the compressed encoding. */
  static byte[] cbytesExt(EcPoint p) {
    return p.isInfinity() ? new byte[33] : p.encodeCompressed();
  }

  static byte[] slice(byte[] b, int from, int to) {
    return java.util.Arrays.copyOfRange(b, from, to);
  }

  static byte[] concat(byte[]... parts) {
    int len = 0;
    for (byte[] p : parts) {
      len += p.length;
    }
    byte[] out = new byte[len];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }
}
