package org.lotusia.chain.encoding;

import java.math.BigInteger;
import java.util.Arrays;

/** Bitcoin-alphabet Base58 (no checksum). Stateless, thread-safe. */
public final class Base58 {

  /** Bitcoin's Base58 alphabet. */
  public static final String ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

  private static final int[] INDEX = new int[128];
  private static final BigInteger BASE = BigInteger.valueOf(58);

  static {
    Arrays.fill(INDEX, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      INDEX[ALPHABET.charAt(i)] = i;
    }
  }

  private Base58() {}

  /** Encodes bytes; each leading zero byte becomes a '1'. */
  public static String encode(byte[] data) {
    int zeros = 0;
    while (zeros < data.length && data[zeros] == 0) {
      zeros++;
    }
    StringBuilder sb = new StringBuilder();
    BigInteger v = new BigInteger(1, data);
    while (v.signum() > 0) {
      BigInteger[] qr = v.divideAndRemainder(BASE);
      sb.append(ALPHABET.charAt(qr[1].intValue()));
      v = qr[0];
    }
    for (int i = 0; i < zeros; i++) {
      sb.append('1');
    }
    return sb.reverse().toString();
  }

  /**
   * Decodes a Base58 string.
   *
   * @throws IllegalArgumentException naming the first character outside the alphabet and its
   *     position
   */
  public static byte[] decode(String s) {
    BigInteger v = BigInteger.ZERO;
    int zeros = 0;
    boolean leading = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int d = c < 128 ? INDEX[c] : -1;
      if (d < 0) {
        throw new IllegalArgumentException("invalid Base58 character '" + c + "' at position " + i);
      }
      if (leading && d == 0) {
        zeros++;
      } else {
        leading = false;
      }
      v = v.multiply(BASE).add(BigInteger.valueOf(d));
    }
    byte[] body = v.signum() == 0 ? new byte[0] : v.toByteArray();
    int strip = body.length > 0 && body[0] == 0 ? 1 : 0;
    byte[] out = new byte[zeros + body.length - strip];
    System.arraycopy(body, strip, out, zeros, body.length - strip);
    return out;
  }
}
