package org.lotusia.libp2p.internal.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The ChaCha20-Poly1305 AEAD of RFC 8439 (section 2.8) in plain Java: ChaCha20 with a 32-byte key,
 * a 96-bit nonce and a 32-bit block counter, and Poly1305 over {@code aad || pad16 || ciphertext ||
 * pad16 || le64(aad length) || le64(ciphertext length)}.
 *
 * <p>Written for JDKs without ChaCha20 and Poly1305 intrinsics, where the JDK's {@code Cipher} is
 * slow. ChaCha20 computes up to 128 blocks side by side in an {@code int} array laid out so that
 * the JIT compiles the quarter rounds to SIMD instructions (short messages and the last blocks use
 * local variables), key stream words are XORed into the output four bytes at a time, and {@link
 * Poly1305} works on five 26-bit limbs in {@code long}s. Apart from an 8 KiB lane array allocated
 * by the first long message, no call allocates. Tag computation, tag comparison and the final
 * reduction modulo {@code 2^130-5} have no branches or memory accesses that depend on secret data.
 *
 * <p>The 96-bit nonce is given as two little-endian parts: the first 32 bits ({@code nonce0}) and
 * the last 64 bits ({@code nonce1}); the Noise nonce is {@code nonce0 = 0, nonce1 = n}.
 *
 * <p>Input and output may be the same array at the same offset (in-place operation); other overlaps
 * are not supported. Not thread-safe.
 */
public final class ChaCha20Poly1305 {

  /** Key length in bytes. */
  public static final int KEY_LENGTH = 32;

  /** Tag length in bytes. */
  public static final int TAG_LENGTH = 16;

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  // "expand 32-byte k", RFC 8439 section 2.3.
  private static final int C0 = 0x61707865;
  private static final int C1 = 0x3320646e;
  private static final int C2 = 0x79622d32;
  private static final int C3 = 0x6b206574;

  /**
   * Number of ChaCha20 blocks computed side by side. Word {@code w} of block {@code j} is held at
   * {@code lanes[w * LANES + j]}, so each step of a quarter round is a loop over independent array
   * elements that the JIT compiles to SIMD instructions.
   */
  private static final int LANES = 128;

  /** Fewer full blocks than this are cheaper one at a time. */
  private static final int MIN_LANES = 8;

  private int k0;
  private int k1;
  private int k2;
  private int k3;
  private int k4;
  private int k5;
  private int k6;
  private int k7;
  private boolean keyed;

  /** One ChaCha20 block: key stream tails and the Poly1305 key. */
  private final byte[] scratch = new byte[64];

  private final Poly1305 poly = new Poly1305();

  /** State of up to {@link #LANES} blocks in flight; allocated on first use by a long message. */
  private int[] lanes;

  /** Creates an instance without a key; {@link #init} must be called before use. */
  public ChaCha20Poly1305() {}

  /** Creates an instance keyed with {@code key}. */
  public ChaCha20Poly1305(byte[] key) {
    init(key);
  }

  /**
   * Sets the 32-byte key.
   *
   * @throws IllegalArgumentException if {@code key} is not 32 bytes
   */
  public void init(byte[] key) {
    if (key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("ChaCha20 key must be 32 bytes, got " + key.length);
    }
    k0 = (int) INT.get(key, 0);
    k1 = (int) INT.get(key, 4);
    k2 = (int) INT.get(key, 8);
    k3 = (int) INT.get(key, 12);
    k4 = (int) INT.get(key, 16);
    k5 = (int) INT.get(key, 20);
    k6 = (int) INT.get(key, 24);
    k7 = (int) INT.get(key, 28);
    keyed = true;
  }

  /** Forgets the key and all derived state. */
  public void destroy() {
    k0 = k1 = k2 = k3 = k4 = k5 = k6 = k7 = 0;
    keyed = false;
    poly.clear();
    if (lanes != null) {
      Arrays.fill(lanes, 0);
    }
  }

  /**
   * Encrypts {@code len} bytes of {@code in} and writes ciphertext and tag ({@code len + 16} bytes)
   * to {@code out} at {@code outOff}.
   *
   * @return {@code len + 16}
   */
  public int seal(
      int nonce0,
      long nonce1,
      byte[] aad,
      int aadOff,
      int aadLen,
      byte[] in,
      int inOff,
      int len,
      byte[] out,
      int outOff) {
    requireKey();
    checkRange(aad, aadOff, aadLen);
    checkRange(in, inOff, len);
    checkRange(out, outOff, len + TAG_LENGTH);
    int n1 = (int) nonce1;
    int n2 = (int) (nonce1 >>> 32);
    xor(1, nonce0, n1, n2, in, inOff, out, outOff, len);
    mac(nonce0, n1, n2, aad, aadOff, aadLen, out, outOff, len);
    poly.finish(out, outOff + len);
    return len + TAG_LENGTH;
  }

  /**
   * Authenticates and decrypts a message of {@code len} bytes (ciphertext and tag), writing {@code
   * len - 16} bytes of plaintext to {@code out} at {@code outOff}. The tag is checked before
   * anything is written: on failure {@code out} is untouched.
   *
   * @return the plaintext length, or -1 if {@code len} is shorter than the tag or the tag is wrong
   */
  public int open(
      int nonce0,
      long nonce1,
      byte[] aad,
      int aadOff,
      int aadLen,
      byte[] in,
      int inOff,
      int len,
      byte[] out,
      int outOff) {
    requireKey();
    checkRange(aad, aadOff, aadLen);
    checkRange(in, inOff, len);
    if (len < TAG_LENGTH) {
      return -1;
    }
    int ctLen = len - TAG_LENGTH;
    checkRange(out, outOff, ctLen);
    int n1 = (int) nonce1;
    int n2 = (int) (nonce1 >>> 32);
    mac(nonce0, n1, n2, aad, aadOff, aadLen, in, inOff, ctLen);
    if (!poly.finishAndVerify(in, inOff + ctLen)) {
      return -1;
    }
    xor(1, nonce0, n1, n2, in, inOff, out, outOff, ctLen);
    return ctLen;
  }

  private void requireKey() {
    if (!keyed) {
      throw new IllegalStateException("ChaCha20-Poly1305 has no key");
    }
  }

  private static void checkRange(byte[] a, int off, int len) {
    if (off < 0 || len < 0 || off > a.length - len) {
      throw new IndexOutOfBoundsException(
          "range [" + off + ", " + off + " + " + len + ") out of bounds for length " + a.length);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // ChaCha20 (RFC 8439 sections 2.3 and 2.4)

  /**
   * XORs the key stream for the given block counter and nonce words into {@code len} bytes of
   * {@code in}, writing {@code out}.
   */
  private void xor(
      int counter, int n0, int n1, int n2, byte[] in, int inOff, byte[] out, int outOff, int len) {
    int blocks = len >>> 6;
    int done = 0;
    while (blocks - done >= MIN_LANES) {
      int n = Math.min(blocks - done, LANES);
      xorLanes(counter + done, n0, n1, n2, in, inOff + (done << 6), out, outOff + (done << 6), n);
      done += n;
    }
    if (done < blocks) {
      xorBlocks(
          counter + done,
          n0,
          n1,
          n2,
          in,
          inOff + (done << 6),
          out,
          outOff + (done << 6),
          blocks - done);
    }
    int full = blocks << 6;
    counter += blocks;
    int rest = len - full;
    if (rest > 0) {
      byte[] ks = scratch;
      Arrays.fill(ks, (byte) 0);
      xorBlocks(counter, n0, n1, n2, ks, 0, ks, 0, 1);
      int i0 = inOff + full;
      int o0 = outOff + full;
      for (int i = 0; i < rest; i++) {
        out[o0 + i] = (byte) (in[i0 + i] ^ ks[i]);
      }
      Arrays.fill(ks, (byte) 0);
    }
  }

  /**
   * XORs {@code n <= LANES} full 64-byte key stream blocks computed side by side; the caller has
   * checked all bounds.
   */
  private void xorLanes(
      int counter, int n0, int n1, int n2, byte[] in, int inOff, byte[] out, int outOff, int n) {
    int[] x = lanes;
    if (x == null) {
      x = lanes = new int[16 * LANES];
    }
    final int w = LANES;
    fill(x, 0, n, C0);
    fill(x, w, n, C1);
    fill(x, 2 * w, n, C2);
    fill(x, 3 * w, n, C3);
    fill(x, 4 * w, n, k0);
    fill(x, 5 * w, n, k1);
    fill(x, 6 * w, n, k2);
    fill(x, 7 * w, n, k3);
    fill(x, 8 * w, n, k4);
    fill(x, 9 * w, n, k5);
    fill(x, 10 * w, n, k6);
    fill(x, 11 * w, n, k7);
    for (int j = 0; j < n; j++) {
      x[12 * w + j] = counter + j;
    }
    fill(x, 13 * w, n, n0);
    fill(x, 14 * w, n, n1);
    fill(x, 15 * w, n, n2);
    for (int i = 0; i < 10; i++) {
      quarterRounds(x, 0, 4 * w, 8 * w, 12 * w, n);
      quarterRounds(x, w, 5 * w, 9 * w, 13 * w, n);
      quarterRounds(x, 2 * w, 6 * w, 10 * w, 14 * w, n);
      quarterRounds(x, 3 * w, 7 * w, 11 * w, 15 * w, n);
      quarterRounds(x, 0, 5 * w, 10 * w, 15 * w, n);
      quarterRounds(x, w, 6 * w, 11 * w, 12 * w, n);
      quarterRounds(x, 2 * w, 7 * w, 8 * w, 13 * w, n);
      quarterRounds(x, 3 * w, 4 * w, 9 * w, 14 * w, n);
    }
    final int j4 = k0;
    final int j5 = k1;
    final int j6 = k2;
    final int j7 = k3;
    final int j8 = k4;
    final int j9 = k5;
    final int j10 = k6;
    final int j11 = k7;
    for (int b = 0; b < n; b++) {
      int i = inOff + (b << 6);
      int o = outOff + (b << 6);
      INT.set(out, o, (int) INT.get(in, i) ^ (x[b] + C0));
      INT.set(out, o + 4, (int) INT.get(in, i + 4) ^ (x[w + b] + C1));
      INT.set(out, o + 8, (int) INT.get(in, i + 8) ^ (x[2 * w + b] + C2));
      INT.set(out, o + 12, (int) INT.get(in, i + 12) ^ (x[3 * w + b] + C3));
      INT.set(out, o + 16, (int) INT.get(in, i + 16) ^ (x[4 * w + b] + j4));
      INT.set(out, o + 20, (int) INT.get(in, i + 20) ^ (x[5 * w + b] + j5));
      INT.set(out, o + 24, (int) INT.get(in, i + 24) ^ (x[6 * w + b] + j6));
      INT.set(out, o + 28, (int) INT.get(in, i + 28) ^ (x[7 * w + b] + j7));
      INT.set(out, o + 32, (int) INT.get(in, i + 32) ^ (x[8 * w + b] + j8));
      INT.set(out, o + 36, (int) INT.get(in, i + 36) ^ (x[9 * w + b] + j9));
      INT.set(out, o + 40, (int) INT.get(in, i + 40) ^ (x[10 * w + b] + j10));
      INT.set(out, o + 44, (int) INT.get(in, i + 44) ^ (x[11 * w + b] + j11));
      INT.set(out, o + 48, (int) INT.get(in, i + 48) ^ (x[12 * w + b] + counter + b));
      INT.set(out, o + 52, (int) INT.get(in, i + 52) ^ (x[13 * w + b] + n0));
      INT.set(out, o + 56, (int) INT.get(in, i + 56) ^ (x[14 * w + b] + n1));
      INT.set(out, o + 60, (int) INT.get(in, i + 60) ^ (x[15 * w + b] + n2));
    }
  }

  private static void fill(int[] x, int off, int n, int v) {
    for (int j = 0; j < n; j++) {
      x[off + j] = v;
    }
  }

  /**
   * One ChaCha20 quarter round (RFC 8439 section 2.1) on words {@code a, b, c, d} (given as offsets
   * into the lane array) of {@code n} blocks.
   */
  private static void quarterRounds(int[] x, int a, int b, int c, int d, int n) {
    for (int j = 0; j < n; j++) {
      int va = x[a + j];
      int vb = x[b + j];
      int vc = x[c + j];
      int vd = x[d + j];
      va += vb;
      vd = Integer.rotateLeft(vd ^ va, 16);
      vc += vd;
      vb = Integer.rotateLeft(vb ^ vc, 12);
      va += vb;
      vd = Integer.rotateLeft(vd ^ va, 8);
      vc += vd;
      vb = Integer.rotateLeft(vb ^ vc, 7);
      x[a + j] = va;
      x[b + j] = vb;
      x[c + j] = vc;
      x[d + j] = vd;
    }
  }

  /** XORs {@code blocks} full 64-byte key stream blocks; the caller has checked all bounds. */
  private void xorBlocks(
      int counter,
      int n0,
      int n1,
      int n2,
      byte[] in,
      int inOff,
      byte[] out,
      int outOff,
      int blocks) {
    final int j4 = k0;
    final int j5 = k1;
    final int j6 = k2;
    final int j7 = k3;
    final int j8 = k4;
    final int j9 = k5;
    final int j10 = k6;
    final int j11 = k7;
    for (int b = 0; b < blocks; b++) {
      int j12 = counter + b;
      int x0 = C0;
      int x1 = C1;
      int x2 = C2;
      int x3 = C3;
      int x4 = j4;
      int x5 = j5;
      int x6 = j6;
      int x7 = j7;
      int x8 = j8;
      int x9 = j9;
      int x10 = j10;
      int x11 = j11;
      int x12 = j12;
      int x13 = n0;
      int x14 = n1;
      int x15 = n2;
      for (int i = 0; i < 10; i++) {
        // Column round.
        x0 += x4;
        x12 = Integer.rotateLeft(x12 ^ x0, 16);
        x8 += x12;
        x4 = Integer.rotateLeft(x4 ^ x8, 12);
        x0 += x4;
        x12 = Integer.rotateLeft(x12 ^ x0, 8);
        x8 += x12;
        x4 = Integer.rotateLeft(x4 ^ x8, 7);

        x1 += x5;
        x13 = Integer.rotateLeft(x13 ^ x1, 16);
        x9 += x13;
        x5 = Integer.rotateLeft(x5 ^ x9, 12);
        x1 += x5;
        x13 = Integer.rotateLeft(x13 ^ x1, 8);
        x9 += x13;
        x5 = Integer.rotateLeft(x5 ^ x9, 7);

        x2 += x6;
        x14 = Integer.rotateLeft(x14 ^ x2, 16);
        x10 += x14;
        x6 = Integer.rotateLeft(x6 ^ x10, 12);
        x2 += x6;
        x14 = Integer.rotateLeft(x14 ^ x2, 8);
        x10 += x14;
        x6 = Integer.rotateLeft(x6 ^ x10, 7);

        x3 += x7;
        x15 = Integer.rotateLeft(x15 ^ x3, 16);
        x11 += x15;
        x7 = Integer.rotateLeft(x7 ^ x11, 12);
        x3 += x7;
        x15 = Integer.rotateLeft(x15 ^ x3, 8);
        x11 += x15;
        x7 = Integer.rotateLeft(x7 ^ x11, 7);

        // Diagonal round.
        x0 += x5;
        x15 = Integer.rotateLeft(x15 ^ x0, 16);
        x10 += x15;
        x5 = Integer.rotateLeft(x5 ^ x10, 12);
        x0 += x5;
        x15 = Integer.rotateLeft(x15 ^ x0, 8);
        x10 += x15;
        x5 = Integer.rotateLeft(x5 ^ x10, 7);

        x1 += x6;
        x12 = Integer.rotateLeft(x12 ^ x1, 16);
        x11 += x12;
        x6 = Integer.rotateLeft(x6 ^ x11, 12);
        x1 += x6;
        x12 = Integer.rotateLeft(x12 ^ x1, 8);
        x11 += x12;
        x6 = Integer.rotateLeft(x6 ^ x11, 7);

        x2 += x7;
        x13 = Integer.rotateLeft(x13 ^ x2, 16);
        x8 += x13;
        x7 = Integer.rotateLeft(x7 ^ x8, 12);
        x2 += x7;
        x13 = Integer.rotateLeft(x13 ^ x2, 8);
        x8 += x13;
        x7 = Integer.rotateLeft(x7 ^ x8, 7);

        x3 += x4;
        x14 = Integer.rotateLeft(x14 ^ x3, 16);
        x9 += x14;
        x4 = Integer.rotateLeft(x4 ^ x9, 12);
        x3 += x4;
        x14 = Integer.rotateLeft(x14 ^ x3, 8);
        x9 += x14;
        x4 = Integer.rotateLeft(x4 ^ x9, 7);
      }
      int i = inOff + (b << 6);
      int o = outOff + (b << 6);
      INT.set(out, o, (int) INT.get(in, i) ^ (x0 + C0));
      INT.set(out, o + 4, (int) INT.get(in, i + 4) ^ (x1 + C1));
      INT.set(out, o + 8, (int) INT.get(in, i + 8) ^ (x2 + C2));
      INT.set(out, o + 12, (int) INT.get(in, i + 12) ^ (x3 + C3));
      INT.set(out, o + 16, (int) INT.get(in, i + 16) ^ (x4 + j4));
      INT.set(out, o + 20, (int) INT.get(in, i + 20) ^ (x5 + j5));
      INT.set(out, o + 24, (int) INT.get(in, i + 24) ^ (x6 + j6));
      INT.set(out, o + 28, (int) INT.get(in, i + 28) ^ (x7 + j7));
      INT.set(out, o + 32, (int) INT.get(in, i + 32) ^ (x8 + j8));
      INT.set(out, o + 36, (int) INT.get(in, i + 36) ^ (x9 + j9));
      INT.set(out, o + 40, (int) INT.get(in, i + 40) ^ (x10 + j10));
      INT.set(out, o + 44, (int) INT.get(in, i + 44) ^ (x11 + j11));
      INT.set(out, o + 48, (int) INT.get(in, i + 48) ^ (x12 + j12));
      INT.set(out, o + 52, (int) INT.get(in, i + 52) ^ (x13 + n0));
      INT.set(out, o + 56, (int) INT.get(in, i + 56) ^ (x14 + n1));
      INT.set(out, o + 60, (int) INT.get(in, i + 60) ^ (x15 + n2));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The AEAD's Poly1305 input (RFC 8439 section 2.8)

  /**
   * Derives the one-time Poly1305 key from block 0 (RFC 8439 section 2.6) and absorbs {@code aad}
   * and {@code ct} with their padding and lengths (section 2.8), leaving the tag to {@link
   * Poly1305#finish} or {@link Poly1305#finishAndVerify}.
   */
  private void mac(
      int n0, int n1, int n2, byte[] aad, int aadOff, int aadLen, byte[] ct, int ctOff, int ctLen) {
    byte[] blk = scratch;
    Arrays.fill(blk, (byte) 0);
    xorBlocks(0, n0, n1, n2, blk, 0, blk, 0, 1);
    poly.key(blk, 0);
    Arrays.fill(blk, (byte) 0);
    poly.absorbPadded(aad, aadOff, aadLen);
    poly.absorbPadded(ct, ctOff, ctLen);
    poly.absorbLengths(aadLen, ctLen);
  }

  // ---------------------------------------------------------------------------------------------
  // Building blocks exposed for the RFC 8439 test vectors.

  /** The ChaCha20 encryption of RFC 8439 section 2.4 with an explicit initial block counter. */
  static byte[] chacha20(byte[] key, byte[] nonce, int counter, byte[] in) {
    ChaCha20Poly1305 c = new ChaCha20Poly1305(key);
    byte[] out = new byte[in.length];
    c.xor(
        counter,
        (int) INT.get(nonce, 0),
        (int) INT.get(nonce, 4),
        (int) INT.get(nonce, 8),
        in,
        0,
        out,
        0,
        in.length);
    return out;
  }

  /** The one-time Poly1305 key of RFC 8439 section 2.6. */
  static byte[] poly1305KeyGen(byte[] key, byte[] nonce) {
    return Arrays.copyOf(chacha20(key, nonce, 0, new byte[64]), 32);
  }

  /** Poly1305 of RFC 8439 section 2.5 over an arbitrary message with a 32-byte one-time key. */
  static byte[] poly1305(byte[] oneTimeKey, byte[] msg) {
    return Poly1305.mac(oneTimeKey, msg);
  }
}
