package org.lotusia.libp2p.internal.noise;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The Noise {@code CipherState} (Noise Protocol Framework rev 34, section 5.1) for the ChaChaPoly
 * cipher functions (section 12.3): a 32-byte key {@code k} (or none) and a 64-bit nonce counter
 * {@code n}.
 *
 * <p>The AEAD is ChaCha20-Poly1305 (RFC 8439); the 96-bit nonce is 32 zero bits followed by {@code
 * n} little-endian. The implementation ({@link AeadImplementation}) comes from {@link
 * AeadSelection#global()}, which measures them on the running machine; a state follows a change of
 * that choice from its next message on, by keying the new implementation with its key (all
 * implementations produce the same bytes). Tests fix an implementation with the package-private
 * constructors.
 *
 * <p>Array calls are the general path; {@link #encrypt(ByteBuffer, ByteBuffer)} and {@link
 * #decrypt(ByteBuffer, ByteBuffer)} let code that holds direct memory skip a copy when {@link
 * #prefersDirectBuffers()}.
 *
 * <p>Nonce {@code 2^64-1} is reserved: once {@code n} reaches it, every further encryption or
 * decryption fails (section 5.1), and a libp2p connection must then be closed (noise-libp2p spec,
 * "Encryption and I/O"). A failed decryption leaves {@code n} unchanged.
 *
 * <p>Not thread-safe: one owner (the Noise handler on its event loop, or a test) at a time.
 */
public final class CipherState {

  /** Length of the Poly1305 authentication tag appended to every ciphertext. */
  public static final int TAG_LENGTH = AeadKey.TAG_LENGTH;

  /** Length of a ChaChaPoly key. */
  public static final int KEY_LENGTH = 32;

  static final byte[] EMPTY = new byte[0];

  /** The reserved nonce value {@code 2^64-1} as an unsigned long. */
  private static final long RESERVED_NONCE = -1L;

  /** Where the implementation comes from; null when fixed. */
  private final AeadSelection selection;

  private AeadImplementation implementation;
  private byte[] k;
  private AeadKey key;
  private long n;

  /** Creates a state with no key ({@code InitializeKey(empty)}) on the process-wide selection. */
  public CipherState() {
    this(AeadSelection.global());
  }

  /** Creates a state with no key that follows {@code selection}. */
  CipherState(AeadSelection selection) {
    this.selection = selection;
    this.implementation = selection.current();
  }

  /** Creates a state keyed with {@code k} and nonce 0 that follows {@code selection}. */
  CipherState(AeadSelection selection, byte[] k) {
    this(selection);
    initializeKey(k);
  }

  /** Creates a state keyed with {@code k} and nonce 0 on the process-wide selection. */
  public CipherState(byte[] k) {
    this();
    initializeKey(k);
  }

  /**
   * Creates a state with no key that always uses {@code implementation}.
   *
   * @throws IllegalStateException if it is not available
   */
  CipherState(AeadImplementation implementation) {
    implementation.unavailableReason()
        .ifPresent(
            r -> {
              throw new IllegalStateException(implementation.id() + " is not available: " + r);
            });
    this.selection = null;
    this.implementation = implementation;
  }

  /**
   * Creates a state keyed with {@code k} and nonce 0 that always uses {@code implementation}; for
   * tests and benchmarks that compare implementations (connections follow the process-wide
   * selection).
   *
   * @throws IllegalStateException if the implementation is not available
   */
  public CipherState(AeadImplementation implementation, byte[] k) {
    this(implementation);
    initializeKey(k);
  }

  /** The implementation the next message uses. */
  AeadImplementation implementation() {
    return selection == null ? implementation : selection.current();
  }

  /**
   * {@code InitializeKey(k)}: sets the key (or clears it when {@code k} is null) and resets the
   * nonce to 0.
   *
   * @throws IllegalArgumentException if {@code k} is not 32 bytes
   */
  public void initializeKey(byte[] k) {
    if (k == null) {
      forgetKey();
    } else {
      if (k.length != KEY_LENGTH) {
        throw new IllegalArgumentException("ChaChaPoly key must be 32 bytes, got " + k.length);
      }
      forgetKey();
      if (selection != null) {
        implementation = selection.current();
      }
      this.k = k.clone();
      this.key = implementation.newKey(this.k);
    }
    n = 0;
  }

  /** {@code HasKey()}. */
  public boolean hasKey() {
    return key != null;
  }

  /** The next nonce to be used, as an unsigned 64-bit value. */
  public long nonce() {
    return n;
  }

  /**
   * {@code SetNonce(nonce)}: sets the next nonce (unsigned 64-bit). Used by tests of the nonce
   * limit.
   */
  public void setNonce(long nonce) {
    this.n = nonce;
  }

  /**
   * True when the implementation in use reads and writes direct {@link ByteBuffer}s without a copy,
   * so callers holding direct memory should call the buffer methods.
   */
  public boolean prefersDirectBuffers() {
    return key != null && current().prefersDirectBuffers();
  }

  /**
   * {@code EncryptWithAd(ad, plaintext)}: returns the ciphertext plus tag, or a copy of the
   * plaintext when there is no key.
   *
   * @throws IllegalStateException if the nonce space is exhausted
   */
  public byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
    if (key == null) {
      return plaintext.clone();
    }
    byte[] out = new byte[plaintext.length + TAG_LENGTH];
    checkNonce();
    current().seal(n, ad, plaintext, 0, plaintext.length, out, 0);
    n++;
    return out;
  }

  /**
   * {@code DecryptWithAd(ad, ciphertext)}: returns the plaintext, or a copy of the input when there
   * is no key.
   *
   * @throws NoiseFailure if authentication fails or the ciphertext is shorter than the tag
   * @throws IllegalStateException if the nonce space is exhausted
   */
  byte[] decryptWithAd(byte[] ad, byte[] ciphertext) {
    if (key == null) {
      return ciphertext.clone();
    }
    if (ciphertext.length < TAG_LENGTH) {
      throw new NoiseFailure(
          "ciphertext of " + ciphertext.length + " bytes is shorter than the 16-byte tag");
    }
    byte[] out = new byte[ciphertext.length - TAG_LENGTH];
    checkNonce();
    opened(current().open(n, ad, ciphertext, 0, ciphertext.length, out, 0));
    return out;
  }

  /**
   * Encrypts {@code len} bytes of {@code in} with empty associated data (a Noise transport
   * message), writing ciphertext and tag ({@code len + 16} bytes) to {@code out} at {@code outOff}.
   * The key must be set. {@code in} and {@code out} may be the same array at the same offset; other
   * overlaps are not supported.
   *
   * @return the number of bytes written
   * @throws IllegalStateException if there is no key or the nonce space is exhausted
   */
  public int encrypt(byte[] in, int inOff, int len, byte[] out, int outOff) {
    AeadKey ak = requireKey();
    int written = ak.seal(n, EMPTY, in, inOff, len, out, outOff);
    n++;
    return written;
  }

  /**
   * Encrypts the remaining bytes of {@code in} as one transport message, writing ciphertext and
   * tag at {@code out}'s position. The buffers must not overlap; their positions afterwards are
   * unspecified.
   *
   * @return the number of bytes written
   * @throws IllegalStateException if there is no key or the nonce space is exhausted
   */
  public int encrypt(ByteBuffer in, ByteBuffer out) {
    AeadKey ak = requireKey();
    int written = ak.seal(n, in, out);
    n++;
    return written;
  }

  /**
   * Decrypts and authenticates a transport message of {@code len} bytes (ciphertext plus tag) with
   * empty associated data, writing {@code len - 16} plaintext bytes to {@code out} at {@code
   * outOff}. Nothing meaningful is written when authentication fails. The key must be set. {@code
   * in} and {@code out} may be the same array at the same offset; other overlaps are not supported.
   *
   * @return the number of plaintext bytes written
   * @throws RuntimeException (a package-internal type) if authentication fails or {@code len} is
   *     shorter than the tag
   * @throws IllegalStateException if there is no key or the nonce space is exhausted
   */
  public int decrypt(byte[] in, int inOff, int len, byte[] out, int outOff) {
    AeadKey ak = requireKey();
    checkLength(len);
    return opened(ak.open(n, EMPTY, in, inOff, len, out, outOff));
  }

  /**
   * Decrypts and authenticates the remaining bytes of {@code in} as one transport message, writing
   * the plaintext at {@code out}'s position. The buffers must not overlap; their positions
   * afterwards are unspecified.
   *
   * @return the number of plaintext bytes written
   * @throws RuntimeException (a package-internal type) if authentication fails or the message is
   *     shorter than the tag
   * @throws IllegalStateException if there is no key or the nonce space is exhausted
   */
  public int decrypt(ByteBuffer in, ByteBuffer out) {
    AeadKey ak = requireKey();
    checkLength(in.remaining());
    return opened(ak.open(n, in, out));
  }

  private static void checkLength(int len) {
    if (len < TAG_LENGTH) {
      throw new NoiseFailure(
          "transport message of " + len + " bytes is shorter than the 16-byte tag");
    }
  }

  private int opened(int written) {
    if (written < 0) {
      throw new NoiseFailure(
          "ChaCha20-Poly1305 authentication failed for message with nonce "
              + Long.toUnsignedString(n));
    }
    n++;
    return written;
  }

  private AeadKey requireKey() {
    if (key == null) {
      throw new IllegalStateException("CipherState has no key");
    }
    checkNonce();
    return current();
  }

  /** The key of the implementation in use now, re-keying when the selection has changed. */
  private AeadKey current() {
    if (selection != null) {
      AeadImplementation want = selection.current();
      if (want != implementation) {
        implementation = want;
        if (key != null) {
          key.destroy();
          key = want.newKey(k);
        }
      }
    }
    return key;
  }

  private void checkNonce() {
    if (n == RESERVED_NONCE) {
      throw new IllegalStateException(
          "Noise nonce space exhausted (2^64-1 messages); the session must end");
    }
  }

  /** Forgets the key. Later calls behave as if no key was ever set. */
  void destroy() {
    forgetKey();
  }

  private void forgetKey() {
    if (key != null) {
      key.destroy();
      key = null;
    }
    if (k != null) {
      Arrays.fill(k, (byte) 0);
      k = null;
    }
  }
}
