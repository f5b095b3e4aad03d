package org.lotusia.musig2.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import org.lotusia.chain.crypto.Secp256k1;

/** Scalar helpers modulo the secp256k1 group order n. */
final class Scalars {
  static final BigInteger N = Secp256k1.N;

  private Scalars() {}

  /** int(x): the unsigned big-endian integer of a byte array. */
  static BigInteger toInt(byte[] b) {
    return new BigInteger(1, b);
  }

  /** bytes(32, x) for 0 <= x < 2^256. */
  static byte[] to32(BigInteger x) {
    byte[] raw = x.toByteArray();
    if (raw.length == 32) {
      return raw;
    }
    byte[] out = new byte[32];
    if (raw.length == 33 && raw[0] == 0) {
      System.arraycopy(raw, 1, out, 0, 32);
    } else if (raw.length < 32) {
      System.arraycopy(raw, 0, out, 32 - raw.length, raw.length);
    } else {
      throw new IllegalArgumentException("integer does not fit in 32 bytes");
    }
    return out;
  }

  /** Parses a 32-byte secret key and checks 0 < d < n. */
  static BigInteger secretKey(byte[] sk) {
    if (sk == null || sk.length != 32) {
      throw new IllegalArgumentException(
          "secret key must be 32 bytes, got " + (sk == null ? "null" : sk.length));
    }
    BigInteger d = toInt(sk);
    if (d.signum() == 0 || d.compareTo(N) >= 0) {
      throw new IllegalArgumentException("secret key out of range: must be in [1, n-1]");
    }
    return d;
  }

  /** Checks a 32-byte message digest. */
  static byte[] message32(byte[] m) {
    if (m == null || m.length != 32) {
      throw new IllegalArgumentException(
          "message must be a 32-byte digest, got " + (m == null ? "null" : m.length + " bytes"));
    }
    return m;
  }

  static BigInteger neg(BigInteger x) {
    return N.subtract(x.mod(N)).mod(N);
  }

  static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  static void wipe(byte[] b) {
    if (b != null) {
      Arrays.fill(b, (byte) 0);
    }
  }
}
