package org.lotusia.libp2p.internal.noise;

import java.nio.ByteBuffer;

/**
 * One ChaCha20-Poly1305 key bound to one {@link AeadImplementation}: seals and opens messages with
 * a 64-bit Noise nonce (the 96-bit nonce is 32 zero bits, then the counter little-endian; Noise rev
 * 34, section 12.3). The nonce discipline is the caller's ({@link CipherState}).
 *
 * <p>Input and output must not overlap unless they are the same array at the same offset. Not
 * thread-safe: one owner at a time, like the {@link CipherState} that holds it.
 */
abstract class AeadKey {

  /** Length of the Poly1305 tag. */
  static final int TAG_LENGTH = 16;

  /** The implementation behind this key. */
  abstract AeadImplementation implementation();

  /**
   * Encrypts {@code len} bytes of {@code in} and appends the tag.
   *
   * @return bytes written to {@code out}: {@code len + 16}
   */
  abstract int seal(
      long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff);

  /**
   * Authenticates and decrypts {@code len} bytes (ciphertext and tag).
   *
   * @return plaintext bytes written to {@code out} ({@code len - 16}), or -1 when authentication
   *     fails; then nothing meaningful was written
   */
  abstract int open(
      long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff);

  /**
   * True when direct {@link ByteBuffer}s are this implementation's fast path (native code reads
   * and writes them without a copy); then callers holding direct memory should use the buffer
   * methods.
   */
  boolean prefersDirectBuffers() {
    return false;
  }

  /**
   * Encrypts the remaining bytes of {@code in} with empty associated data, writing ciphertext and
   * tag at {@code out}'s position. Positions afterwards are unspecified.
   *
   * @return bytes written
   */
  int seal(long nonce, ByteBuffer in, ByteBuffer out) {
    byte[] src = new byte[in.remaining()];
    in.get(src);
    byte[] dst = new byte[src.length + TAG_LENGTH];
    int n = seal(nonce, CipherState.EMPTY, src, 0, src.length, dst, 0);
    out.put(dst, 0, n);
    return n;
  }

  /**
   * Opens the remaining bytes of {@code in} (ciphertext and tag, empty associated data), writing
   * the plaintext at {@code out}'s position. Positions afterwards are unspecified.
   *
   * @return plaintext bytes written, or -1 when authentication fails
   */
  int open(long nonce, ByteBuffer in, ByteBuffer out) {
    byte[] src = new byte[in.remaining()];
    in.get(src);
    byte[] dst = new byte[Math.max(0, src.length - TAG_LENGTH)];
    int n = open(nonce, CipherState.EMPTY, src, 0, src.length, dst, 0);
    if (n > 0) {
      out.put(dst, 0, n);
    }
    return n;
  }

  /** Forgets the key material. */
  abstract void destroy();
}
