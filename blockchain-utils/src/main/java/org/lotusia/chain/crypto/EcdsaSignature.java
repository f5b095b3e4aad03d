package org.lotusia.chain.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * An ECDSA signature (r, s) with strict DER (BIP66) encoding and low-S normalisation.
 *
 * @param r r in [1, n-1]
 * @param s s in [1, n-1]
 */
public record EcdsaSignature(BigInteger r, BigInteger s) {

  /** Validates the ranges. @throws IllegalArgumentException if r or s is outside [1, n-1] */
  public EcdsaSignature {
    if (r == null
        || s == null
        || r.signum() <= 0
        || s.signum() <= 0
        || r.compareTo(Secp256k1.N) >= 0
        || s.compareTo(Secp256k1.N) >= 0) {
      throw new IllegalArgumentException("ECDSA r and s must be in [1, n-1]");
    }
  }

  /** True if {@code s <= n/2}. */
  public boolean isLowS() {
    return s.compareTo(Secp256k1.HALF_N) <= 0;
  }

  /** The equivalent signature with low S. */
  public EcdsaSignature normalize() {
    return isLowS() ? this : new EcdsaSignature(r, Secp256k1.N.subtract(s));
  }

  /** DER encoding {@code 30 len 02 lenR R 02 lenS S}, minimal integers. */
  public byte[] toDer() {
    byte[] rb = r.toByteArray();
    byte[] sb = s.toByteArray();
    byte[] out = new byte[6 + rb.length + sb.length];
    out[0] = 0x30;
    out[1] = (byte) (4 + rb.length + sb.length);
    out[2] = 0x02;
    out[3] = (byte) rb.length;
    System.arraycopy(rb, 0, out, 4, rb.length);
    out[4 + rb.length] = 0x02;
    out[5 + rb.length] = (byte) sb.length;
    System.arraycopy(sb, 0, out, 6 + rb.length, sb.length);
    return out;
  }

  /**
   * Parses a strict DER signature (BIP66 rules, without a trailing hash type byte).
   *
   * @throws IllegalArgumentException naming the rule that failed
   */
  public static EcdsaSignature fromDer(byte[] der) {
    if (der == null || der.length < 8 || der.length > 72) {
      throw new IllegalArgumentException(
          "bad DER signature length " + (der == null ? -1 : der.length));
    }
    if (der[0] != 0x30) {
      throw new IllegalArgumentException("bad DER signature: expected SEQUENCE 0x30");
    }
    if ((der[1] & 0xff) != der.length - 2) {
      throw new IllegalArgumentException("bad DER signature: sequence length mismatch");
    }
    int lenR = der[3] & 0xff;
    if (der[2] != 0x02 || 5 + lenR >= der.length) {
      throw new IllegalArgumentException("bad DER signature: malformed R");
    }
    int lenS = der[5 + lenR] & 0xff;
    if (der[4 + lenR] != 0x02 || lenR + lenS + 6 != der.length) {
      throw new IllegalArgumentException("bad DER signature: malformed S");
    }
    byte[] rb = Arrays.copyOfRange(der, 4, 4 + lenR);
    byte[] sb = Arrays.copyOfRange(der, 6 + lenR, 6 + lenR + lenS);
    checkInteger(rb, "R");
    checkInteger(sb, "S");
    return new EcdsaSignature(new BigInteger(1, rb), new BigInteger(1, sb));
  }

  private static void checkInteger(byte[] b, String name) {
    if (b.length == 0) {
      throw new IllegalArgumentException("bad DER signature: empty " + name);
    }
    if ((b[0] & 0x80) != 0) {
      throw new IllegalArgumentException("bad DER signature: negative " + name);
    }
    if (b.length > 1 && b[0] == 0 && (b[1] & 0x80) == 0) {
      throw new IllegalArgumentException("bad DER signature: non-minimal " + name);
    }
  }
}
