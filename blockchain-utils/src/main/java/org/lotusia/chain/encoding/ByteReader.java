package org.lotusia.chain.encoding;

import java.util.Arrays;

/**
 * Bounds-checked little-endian reader over a byte array. Every read past the end throws {@link
 * IllegalArgumentException} naming what was being read. Not thread-safe.
 */
public final class ByteReader {

  private final byte[] data;
  private int pos;
  private final int end;

  /** Reads the whole array (not copied; the caller must not modify it while reading). */
  public ByteReader(byte[] data) {
    this.data = data;
    this.pos = 0;
    this.end = data.length;
  }

  private void need(int n, String what) {
    if (n < 0 || end - pos < n) {
      throw new IllegalArgumentException(
          "truncated data: need "
              + n
              + " bytes for "
              + what
              + " at offset "
              + pos
              + ", have "
              + (end - pos));
    }
  }

  /** Reads an unsigned byte. */
  public int u8(String what) {
    need(1, what);
    return data[pos++] & 0xff;
  }

  /** Reads a little-endian uint32 into a long. */
  public long u32(String what) {
    need(4, what);
    long v =
        (data[pos] & 0xffL)
            | (data[pos + 1] & 0xffL) << 8
            | (data[pos + 2] & 0xffL) << 16
            | (data[pos + 3] & 0xffL) << 24;
    pos += 4;
    return v;
  }

  /** Reads a little-endian 64-bit integer. */
  public long u64(String what) {
    need(8, what);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (data[pos + i] & 0xffL);
    }
    pos += 8;
    return v;
  }

  /**
   * Reads a CompactSize varint, rejecting non-canonical encodings and values above {@code max}.
   *
   * @throws IllegalArgumentException if truncated, non-canonical or above max
   */
  public long varInt(String what, long max) {
    int first = u8(what);
    long v;
    if (first < 0xfd) {
      v = first;
    } else if (first == 0xfd) {
      need(2, what);
      v = (data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8;
      pos += 2;
      if (v < 0xfd) {
        throw new IllegalArgumentException("non-canonical varint for " + what);
      }
    } else if (first == 0xfe) {
      v = u32(what);
      if (v <= 0xffff) {
        throw new IllegalArgumentException("non-canonical varint for " + what);
      }
    } else {
      v = u64(what);
      if (v >= 0 && v <= 0xffffffffL) {
        throw new IllegalArgumentException("non-canonical varint for " + what);
      }
    }
    if (v < 0 || v > max) {
      throw new IllegalArgumentException(
          what + " " + Long.toUnsignedString(v) + " exceeds limit " + max);
    }
    return v;
  }

  /** Reads {@code n} raw bytes. */
  public byte[] bytes(int n, String what) {
    need(n, what);
    byte[] out = Arrays.copyOfRange(data, pos, pos + n);
    pos += n;
    return out;
  }

  /** Reads a varint length (at most {@code maxLen}) followed by that many bytes. */
  public byte[] varBytes(String what, int maxLen) {
    int n = (int) varInt(what + " length", maxLen);
    return bytes(n, what);
  }

  /** Current offset. */
  public int position() {
    return pos;
  }

  /** Bytes left. */
  public int remaining() {
    return end - pos;
  }
}
