package org.lotusia.libp2p.internal.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Poly1305 (RFC 8439 section 2.5) as {@link ChaCha20Poly1305} uses it: r in five 26-bit limbs, s as
 * two 64-bit halves, the accumulator h in five 26-bit limbs held in {@code long}s. No call
 * allocates; the final reduction modulo {@code 2^130-5}, the tag addition and the tag comparison
 * have no branches or memory accesses that depend on secret data. Not thread-safe.
 */
final class Poly1305 {

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long M26 = 0x3ffffffL;

  private long r0;
  private long r1;
  private long r2;
  private long r3;
  private long r4;
  private long sLo;
  private long sHi;
  private long h0;
  private long h1;
  private long h2;
  private long h3;
  private long h4;

  /** One zero-padded 16-byte block. */
  private final byte[] block = new byte[16];

  /** The two 64-bit halves of the last tag computed. */
  private final long[] tagWords = new long[2];

  /** Loads r (clamped) and s from the 32-byte one-time key at {@code off} and clears h. */
  void key(byte[] key, int off) {
    long lo = (long) LONG.get(key, off) & 0x0ffffffc0fffffffL;
    long hi = (long) LONG.get(key, off + 8) & 0x0ffffffc0ffffffcL;
    r0 = lo & M26;
    r1 = (lo >>> 26) & M26;
    r2 = ((lo >>> 52) | (hi << 12)) & M26;
    r3 = (hi >>> 14) & M26;
    r4 = hi >>> 40;
    sLo = (long) LONG.get(key, off + 16);
    sHi = (long) LONG.get(key, off + 24);
    h0 = h1 = h2 = h3 = h4 = 0;
  }

  /** Absorbs {@code len} bytes, zero-padding the last partial block to 16 bytes. */
  void absorbPadded(byte[] m, int off, int len) {
    int full = len >>> 4;
    if (full > 0) {
      blocks(m, off, full, 1L << 24);
    }
    int rest = len & 15;
    if (rest > 0) {
      byte[] blk = block;
      System.arraycopy(m, off + (full << 4), blk, 0, rest);
      Arrays.fill(blk, rest, 16, (byte) 0);
      blocks(blk, 0, 1, 1L << 24);
      Arrays.fill(blk, (byte) 0);
    }
  }

  /**
   * Absorbs {@code blocks} 16-byte blocks; {@code hibit} is bit 128 of each block as seen by limb 4
   * ({@code 1 << 24} for a full block, 0 for a final block already padded with 0x01).
   */
  private void blocks(byte[] m, int off, int blocks, long hibit) {
    final long r0 = this.r0;
    final long r1 = this.r1;
    final long r2 = this.r2;
    final long r3 = this.r3;
    final long r4 = this.r4;
    final long s1 = r1 * 5;
    final long s2 = r2 * 5;
    final long s3 = r3 * 5;
    final long s4 = r4 * 5;
    long h0 = this.h0;
    long h1 = this.h1;
    long h2 = this.h2;
    long h3 = this.h3;
    long h4 = this.h4;
    for (int b = 0; b < blocks; b++) {
      int p = off + (b << 4);
      long lo = (long) LONG.get(m, p);
      long hi = (long) LONG.get(m, p + 8);
      h0 += lo & M26;
      h1 += (lo >>> 26) & M26;
      h2 += ((lo >>> 52) | (hi << 12)) & M26;
      h3 += (hi >>> 14) & M26;
      h4 += (hi >>> 40) | hibit;

      long d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
      long d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
      long d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
      long d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
      long d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;

      d1 += d0 >>> 26;
      h0 = d0 & M26;
      d2 += d1 >>> 26;
      h1 = d1 & M26;
      d3 += d2 >>> 26;
      h2 = d2 & M26;
      d4 += d3 >>> 26;
      h3 = d3 & M26;
      h0 += (d4 >>> 26) * 5;
      h4 = d4 & M26;
      h1 += h0 >>> 26;
      h0 &= M26;
    }
    this.h0 = h0;
    this.h1 = h1;
    this.h2 = h2;
    this.h3 = h3;
    this.h4 = h4;
  }

  /** Computes the tag into {@code out} at {@code off} and clears the Poly1305 state. */
  void finish(byte[] out, int off) {
    long[] t = tag();
    LONG.set(out, off, t[0]);
    LONG.set(out, off + 8, t[1]);
    t[0] = t[1] = 0;
  }

  /** Compares the tag with the 16 bytes at {@code off} in constant time. */
  boolean finishAndVerify(byte[] in, int off) {
    long[] t = tag();
    long diff = (t[0] ^ (long) LONG.get(in, off)) | (t[1] ^ (long) LONG.get(in, off + 8));
    t[0] = t[1] = 0;
    return diff == 0;
  }

  /** Fully reduces h modulo 2^130-5, adds s modulo 2^128 and clears the Poly1305 state. */
  private long[] tag() {
    long h0 = this.h0;
    long h1 = this.h1;
    long h2 = this.h2;
    long h3 = this.h3;
    long h4 = this.h4;
    // Two full carry passes leave every limb below 2^26, so h < 2^130.
    for (int pass = 0; pass < 2; pass++) {
      h1 += h0 >>> 26;
      h0 &= M26;
      h2 += h1 >>> 26;
      h1 &= M26;
      h3 += h2 >>> 26;
      h2 &= M26;
      h4 += h3 >>> 26;
      h3 &= M26;
      h0 += (h4 >>> 26) * 5;
      h4 &= M26;
    }
    h1 += h0 >>> 26;
    h0 &= M26;
    // g = h + 5 - 2^130; h >= p exactly when g is non-negative, and then h mod p = g.
    long g0 = h0 + 5;
    long g1 = h1 + (g0 >>> 26);
    g0 &= M26;
    long g2 = h2 + (g1 >>> 26);
    g1 &= M26;
    long g3 = h3 + (g2 >>> 26);
    g2 &= M26;
    long g4 = h4 + (g3 >>> 26) - (1L << 26);
    g3 &= M26;
    long useG = (g4 >> 63) + 1; // 1 when g4 >= 0
    long mask = -useG;
    g4 &= M26;
    h0 = (h0 & ~mask) | (g0 & mask);
    h1 = (h1 & ~mask) | (g1 & mask);
    h2 = (h2 & ~mask) | (g2 & mask);
    h3 = (h3 & ~mask) | (g3 & mask);
    h4 = (h4 & ~mask) | (g4 & mask);
    long lo = h0 | (h1 << 26) | (h2 << 52);
    long hi = (h2 >>> 12) | (h3 << 14) | (h4 << 40);
    long tLo = lo + sLo;
    long carry = ((lo & sLo) | ((lo | sLo) & ~tLo)) >>> 63;
    long tHi = hi + sHi + carry;
    long[] t = tagWords;
    t[0] = tLo;
    t[1] = tHi;
    clear();
    return t;
  }

  void clear() {
    r0 = r1 = r2 = r3 = r4 = 0;
    sLo = sHi = 0;
    h0 = h1 = h2 = h3 = h4 = 0;
  }

  /**
   * Absorbs the final block of the AEAD construction: both lengths as little-endian 64-bit values.
   */
  void absorbLengths(long aadLen, long ctLen) {
    byte[] blk = block;
    LONG.set(blk, 0, aadLen);
    LONG.set(blk, 8, ctLen);
    blocks(blk, 0, 1, 1L << 24);
    Arrays.fill(blk, (byte) 0);
  }

  /** Poly1305 over an arbitrary message with a 32-byte one-time key (for the RFC test vectors). */
  static byte[] mac(byte[] oneTimeKey, byte[] msg) {
    Poly1305 p = new Poly1305();
    p.key(oneTimeKey, 0);
    int full = msg.length >>> 4;
    p.blocks(msg, 0, full, 1L << 24);
    int rest = msg.length & 15;
    if (rest > 0) {
      byte[] blk = new byte[16];
      System.arraycopy(msg, full << 4, blk, 0, rest);
      blk[rest] = 1;
      p.blocks(blk, 0, 1, 0);
    }
    byte[] tag = new byte[16];
    p.finish(tag, 0);
    return tag;
  }
}
