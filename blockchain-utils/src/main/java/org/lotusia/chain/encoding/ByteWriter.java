package org.lotusia.chain.encoding;

import java.util.Arrays;

/**
 * Growable little-endian byte writer for Bitcoin-style serialisation (CompactSize varints, LE
 * integers). Not thread-safe.
 */
public final class ByteWriter {

  private byte[] buf;
  private int size;

  /** Creates a writer with a small initial capacity. */
  public ByteWriter() {
    this(64);
  }

  /** Creates a writer with the given initial capacity (at least 1). */
  public ByteWriter(int initialCapacity) {
    this.buf = new byte[Math.max(1, initialCapacity)];
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }

  /** Appends one byte (low 8 bits). */
  public ByteWriter u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
    return this;
  }

  /**
   * Appends a 32-bit little-endian integer (also used for uint32 values held in an int or long).
   */
  public ByteWriter u32(long v) {
    ensure(4);
    buf[size++] = (byte) v;
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) (v >>> 16);
    buf[size++] = (byte) (v >>> 24);
    return this;
  }

  /** Appends a 64-bit little-endian integer. */
  public ByteWriter u64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  /** Appends a Bitcoin CompactSize varint. @throws IllegalArgumentException if negative */
  public ByteWriter varInt(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("varint must be non-negative: " + v);
    }
    if (v < 0xfd) {
      return u8((int) v);
    } else if (v <= 0xffff) {
      u8(0xfd);
      ensure(2);
      buf[size++] = (byte) v;
      buf[size++] = (byte) (v >>> 8);
      return this;
    } else if (v <= 0xffffffffL) {
      u8(0xfe);
      return u32(v);
    } else {
      u8(0xff);
      return u64(v);
    }
  }

  /** Appends raw bytes. */
  public ByteWriter bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  /** Appends a slice of raw bytes. */
  public ByteWriter bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
    return this;
  }

  /** Appends a varint length followed by the bytes. */
  public ByteWriter varBytes(byte[] b) {
    varInt(b.length);
    return bytes(b);
  }

  /** Number of bytes written. */
  public int size() {
    return size;
  }

  /** A copy of the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  /** Size in bytes of the CompactSize encoding of {@code v}. */
  public static int varIntSize(long v) {
    if (v < 0xfd) {
      return 1;
    }
    if (v <= 0xffff) {
      return 3;
    }
    if (v <= 0xffffffffL) {
      return 5;
    }
    return 9;
  }
}
