package org.lotusia.libp2p.multiformats;

import java.nio.ByteBuffer;

/**
 * Unsigned varint of the multiformats specification (unsigned LEB128): seven value bits per byte,
 * least significant group first, the high bit set on every byte but the last.
 *
 * <p>Following the multiformats rules, a varint is at most {@value #MAX_BYTES} bytes long (so at
 * most 63 value bits) and must be minimally encoded: a multi-byte varint whose last byte is zero is
 * rejected. Every decoder throws {@link IllegalArgumentException} with a message that names the
 * problem (truncated, not minimal, too long).
 *
 * <p>Stateless and thread-safe.
 */
public final class Varint {

  /** Longest accepted encoding in bytes (63 value bits). */
  public static final int MAX_BYTES = 9;

  private Varint() {}

  /**
   * A decoded varint and the number of bytes it occupied.
   *
   * @param value the decoded non-negative value
   * @param length number of bytes read, 1 to {@value #MAX_BYTES}
   */
  public record Decoded(long value, int length) {}

  /**
   * Number of bytes {@code value} takes when encoded.
   *
   * @param value a non-negative value
   * @return 1 to {@value #MAX_BYTES}
   * @throws IllegalArgumentException if {@code value} is negative
   */
  public static int encodedLength(long value) {
    checkValue(value);
    int n = 1;
    while ((value >>>= 7) != 0) {
      n++;
    }
    return n;
  }

  /**
   * Encodes {@code value}.
   *
   * @param value a non-negative value
   * @return a new array holding the minimal encoding
   * @throws IllegalArgumentException if {@code value} is negative
   */
  public static byte[] encode(long value) {
    byte[] out = new byte[encodedLength(value)];
    write(value, out, 0);
    return out;
  }

  /**
   * Writes {@code value} into {@code out} at {@code offset}.
   *
   * @param value a non-negative value
   * @param out destination array
   * @param offset where the first byte goes
   * @return the number of bytes written
   * @throws IllegalArgumentException if {@code value} is negative or does not fit
   */
  public static int write(long value, byte[] out, int offset) {
    int len = encodedLength(value);
    if (offset < 0 || offset > out.length - len) {
      throw new IllegalArgumentException(
          "varint of "
              + len
              + " bytes does not fit at offset "
              + offset
              + " of a "
              + out.length
              + "-byte array");
    }
    int pos = offset;
    while ((value & ~0x7FL) != 0) {
      out[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[pos] = (byte) value;
    return len;
  }

  /**
   * Writes {@code value} at the buffer's position and advances it.
   *
   * @param value a non-negative value
   * @param out destination buffer
   * @throws IllegalArgumentException if {@code value} is negative
   * @throws java.nio.BufferOverflowException if the buffer has too little room
   */
  public static void write(long value, ByteBuffer out) {
    checkValue(value);
    while ((value & ~0x7FL) != 0) {
      out.put((byte) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.put((byte) value);
  }

  /**
   * Decodes a varint that must occupy the whole array.
   *
   * @param in exactly one encoded varint
   * @return its value
   * @throws IllegalArgumentException if malformed or followed by extra bytes
   */
  public static long decodeExact(byte[] in) {
    Decoded d = decode(in, 0);
    if (d.length() != in.length) {
      throw new IllegalArgumentException(
          "varint followed by " + (in.length - d.length()) + " extra bytes");
    }
    return d.value();
  }

  /**
   * Decodes the varint that starts at {@code offset}.
   *
   * @param in source array
   * @param offset index of the first byte
   * @return the value and the number of bytes read
   * @throws IllegalArgumentException if truncated, longer than {@value #MAX_BYTES} bytes or not
   *     minimal
   */
  public static Decoded decode(byte[] in, int offset) {
    if (offset < 0 || offset > in.length) {
      throw new IllegalArgumentException(
          "varint offset " + offset + " outside a " + in.length + "-byte array");
    }
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (offset + i >= in.length) {
        throw new IllegalArgumentException("truncated varint: input ends after " + i + " bytes");
      }
      int b = in[offset + i] & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        checkMinimal(b, i);
        return new Decoded(value, i + 1);
      }
    }
    throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes (over 63 bits)");
  }

  /**
   * Reads a varint at the buffer's position and advances the position past it. On error the
   * position is left unchanged.
   *
   * @param in source buffer
   * @return the decoded value
   * @throws IllegalArgumentException if truncated, longer than {@value #MAX_BYTES} bytes or not
   *     minimal
   */
  public static long read(ByteBuffer in) {
    int start = in.position();
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (start + i >= in.limit()) {
        throw new IllegalArgumentException("truncated varint: input ends after " + i + " bytes");
      }
      int b = in.get(start + i) & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        checkMinimal(b, i);
        in.position(start + i + 1);
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes (over 63 bits)");
  }

  private static void checkMinimal(int lastByte, int index) {
    if (lastByte == 0 && index > 0) {
      throw new IllegalArgumentException(
          "varint not minimally encoded (" + (index + 1) + " bytes ending in 0x00)");
    }
  }

  private static void checkValue(long value) {
    if (value < 0) {
      throw new IllegalArgumentException(
          "varint value must be non-negative (at most 63 bits), got " + value);
    }
  }
}
