package org.lotusia.chainsim.script;

/**
 * Script numbers (lotusd {@code CScriptNum}): little-endian sign-magnitude byte strings, minimally
 * encoded (lotusd always requires minimal encoding). Stateless.
 */
final class ScriptNum {

  /** Default operand size of arithmetic opcodes. */
  static final int DEFAULT_MAX_SIZE = 8;

  private ScriptNum() {}

  /**
   * Decodes a number.
   *
   * @param maxSize largest accepted encoding (8 for arithmetic, 5 for lock times)
   * @throws ScriptException INVALID_NUMBER_RANGE if too long, MINIMALDATA if not minimal
   */
  static long decode(byte[] v, int maxSize) throws ScriptException {
    if (v.length > maxSize) {
      throw new ScriptException(
          ScriptError.INVALID_NUMBER_RANGE, v.length + "-byte operand, at most " + maxSize);
    }
    if (v.length == 0) {
      return 0;
    }
    // minimal: the last byte carries value bits unless it only holds the sign and the byte
    // before needs its top bit
    if ((v[v.length - 1] & 0x7f) == 0
        && (v.length <= 1 || (v[v.length - 2] & 0x80) == 0)) {
      throw new ScriptException(ScriptError.MINIMALDATA, "non-minimally encoded script number");
    }
    long result = 0;
    for (int i = 0; i < v.length; i++) {
      result |= (long) (v[i] & 0xff) << (8 * i);
    }
    if ((v[v.length - 1] & 0x80) != 0) {
      // clear the sign bit and negate
      long mask = ~(0x80L << (8 * (v.length - 1)));
      return -(result & mask);
    }
    if (v.length == 8 && result == Long.MIN_VALUE) {
      throw new ScriptException(ScriptError.INVALID_NUMBER_RANGE, "operand out of range");
    }
    return result;
  }

  /** Encodes minimally. */
  static byte[] encode(long value) {
    if (value == 0) {
      return new byte[0];
    }
    boolean neg = value < 0;
    long abs = Math.abs(value);
    byte[] buf = new byte[9];
    int n = 0;
    while (abs != 0) {
      buf[n++] = (byte) (abs & 0xff);
      abs >>>= 8;
    }
    if ((buf[n - 1] & 0x80) != 0) {
      buf[n++] = (byte) (neg ? 0x80 : 0x00);
    } else if (neg) {
      buf[n - 1] |= (byte) 0x80;
    }
    return java.util.Arrays.copyOf(buf, n);
  }

  /** lotusd {@code CastToBool}: any non-zero byte except a trailing negative zero. */
  static boolean toBool(byte[] v) {
    for (int i = 0; i < v.length; i++) {
      if (v[i] != 0) {
        return !(i == v.length - 1 && (v[i] & 0xff) == 0x80);
      }
    }
    return false;
  }
}
