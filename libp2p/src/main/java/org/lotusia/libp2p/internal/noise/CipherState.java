package org.lotusia.libp2p.internal.noise;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Noise {@code CipherState} (Noise Protocol Framework rev 34, section 5.1) for the ChaChaPoly
 * cipher functions (section 12.3): a 32-byte key {@code k} (or none) and a 64-bit nonce counter
 * {@code n}.
 *
 * <p>The AEAD is ChaCha20-Poly1305 (RFC 8439). The 96-bit nonce is 32 zero bits followed by {@code
 * n} encoded little-endian. Two implementations exist, chosen once per JVM:
 *
 * <ul>
 *   <li>{@code java}: {@link ChaCha20Poly1305}, plain Java code that is several times faster than
 *       the JDK cipher on JDK 17, where that cipher runs without ChaCha20 and Poly1305 intrinsics.
 *       The default before JDK 21.
 *   <li>{@code jdk}: the JDK's {@code ChaCha20-Poly1305} {@link Cipher}, which recent JDKs run on
 *       intrinsics. The default from JDK 21. One {@code Cipher} instance is kept for the lifetime
 *       of this state and re-initialised with the next nonce for every message, so a transport
 *       direction costs no cipher lookups.
 * </ul>
 *
 * <p>The system property {@value #IMPLEMENTATION_PROPERTY} ({@code java} or {@code jdk}) overrides
 * the choice; it is read when this class is initialised, and any other value makes that fail. Both
 * implementations produce the same bytes. Array-based calls are the fast path: neither buffers nor
 * copies.
 *
 * <p>Nonce {@code 2^64-1} is reserved: once {@code n} reaches it, every further encryption or
 * decryption fails (section 5.1), and a libp2p connection must then be closed (noise-libp2p spec,
 * "Encryption and I/O"). A failed decryption leaves {@code n} unchanged.
 *
 * <p>Not thread-safe: one owner (the Noise handler on its event loop, or a test) at a time.
 */
public final class CipherState {

  /** Length of the Poly1305 authentication tag appended to every ciphertext. */
  public static final int TAG_LENGTH = 16;

  /** Length of a ChaChaPoly key. */
  public static final int KEY_LENGTH = 32;

  /** System property that selects the implementation: {@code java} or {@code jdk}. */
  public static final String IMPLEMENTATION_PROPERTY = "lotus.noise.aead";

  /** The ChaCha20-Poly1305 implementations a state can use. */
  enum Implementation {
    /** {@link ChaCha20Poly1305}. */
    JAVA,
    /** The JDK's {@link Cipher}. */
    JDK
  }

  /** The implementation of states created with the public constructors. */
  static final Implementation DEFAULT =
      select(System.getProperty(IMPLEMENTATION_PROPERTY), Runtime.version().feature());

  /** The reserved nonce value {@code 2^64-1} as an unsigned long. */
  private static final long RESERVED_NONCE = -1L;

  private static final byte[] EMPTY = new byte[0];

  private final Implementation implementation;
  // Exactly one of the two is set, according to the implementation.
  private final ChaCha20Poly1305 aead;
  private final Cipher cipher;
  private final byte[] nonceBytes = new byte[12];
  private SecretKeySpec key;
  private boolean hasKey;
  private long n;

  /** Creates a state with no key ({@code InitializeKey(empty)}). */
  public CipherState() {
    this(DEFAULT);
  }

  /** Creates a state keyed with {@code k} and nonce 0. */
  public CipherState(byte[] k) {
    this(DEFAULT, k);
  }

  /** Creates a state with no key that uses the given implementation. */
  CipherState(Implementation implementation) {
    this.implementation = implementation;
    if (implementation == Implementation.JAVA) {
      this.aead = new ChaCha20Poly1305();
      this.cipher = null;
    } else {
      this.aead = null;
      try {
        this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK provides no ChaCha20-Poly1305 cipher", e);
      }
    }
  }

  /** Creates a state keyed with {@code k} and nonce 0 that uses the given implementation. */
  CipherState(Implementation implementation, byte[] k) {
    this(implementation);
    initializeKey(k);
  }

  /**
   * The implementation for a property value (null when unset) on a JDK of the given feature
   * release: {@code java} below 21, {@code jdk} from 21.
   *
   * @throws IllegalArgumentException if the property is set to anything but {@code java} or {@code
   *     jdk}
   */
  static Implementation select(String property, int feature) {
    if (property == null || property.isBlank()) {
      return feature < 21 ? Implementation.JAVA : Implementation.JDK;
    }
    switch (property.trim().toLowerCase(Locale.ROOT)) {
      case "java":
        return Implementation.JAVA;
      case "jdk":
        return Implementation.JDK;
      default:
        throw new IllegalArgumentException(
            IMPLEMENTATION_PROPERTY + " must be 'java' or 'jdk', got '" + property + "'");
    }
  }

  /** The implementation this state uses. */
  Implementation implementation() {
    return implementation;
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
      if (aead != null) {
        aead.init(k);
      } else {
        key = new SecretKeySpec(k, "ChaCha20");
      }
      hasKey = true;
    }
    n = 0;
  }

  /** {@code HasKey()}. */
  public boolean hasKey() {
    return hasKey;
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
   * {@code EncryptWithAd(ad, plaintext)}: returns the ciphertext plus tag, or a copy of the
   * plaintext when there is no key.
   *
   * @throws IllegalStateException if the nonce space is exhausted
   */
  public byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
    if (!hasKey) {
      return plaintext.clone();
    }
    byte[] out = new byte[plaintext.length + TAG_LENGTH];
    seal(ad, plaintext, 0, plaintext.length, out, 0);
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
    if (!hasKey) {
      return ciphertext.clone();
    }
    if (ciphertext.length < TAG_LENGTH) {
      throw new NoiseFailure(
          "ciphertext of " + ciphertext.length + " bytes is shorter than the 16-byte tag");
    }
    byte[] out = new byte[ciphertext.length - TAG_LENGTH];
    open(ad, ciphertext, 0, ciphertext.length, out, 0);
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
    requireKey();
    return seal(EMPTY, in, inOff, len, out, outOff);
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
    requireKey();
    if (len < TAG_LENGTH) {
      throw new NoiseFailure(
          "transport message of " + len + " bytes is shorter than the 16-byte tag");
    }
    return open(EMPTY, in, inOff, len, out, outOff);
  }

  private void requireKey() {
    if (!hasKey) {
      throw new IllegalStateException("CipherState has no key");
    }
  }

  private int seal(byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
    checkNonce();
    if (aead != null) {
      int written = aead.seal(0, n, ad, 0, ad.length, in, inOff, len, out, outOff);
      n++;
      return written;
    }
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, nextIv());
      if (ad.length > 0) {
        cipher.updateAAD(ad);
      }
      int written = cipher.doFinal(in, inOff, len, out, outOff);
      n++;
      return written;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  private int open(byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
    checkNonce();
    if (aead != null) {
      int written = aead.open(0, n, ad, 0, ad.length, in, inOff, len, out, outOff);
      if (written < 0) {
        throw authenticationFailure(null);
      }
      n++;
      return written;
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, nextIv());
      if (ad.length > 0) {
        cipher.updateAAD(ad);
      }
      int written = cipher.doFinal(in, inOff, len, out, outOff);
      n++;
      return written;
    } catch (AEADBadTagException e) {
      resetAfterFailure();
      throw authenticationFailure(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
    }
  }

  private NoiseFailure authenticationFailure(Throwable cause) {
    return new NoiseFailure(
        "ChaCha20-Poly1305 authentication failed for message with nonce "
            + Long.toUnsignedString(n),
        cause);
  }

  /**
   * The JDK refuses to initialise a cipher twice in a row with the same key and nonce, even to
   * decrypt. After a failed decryption the nonce stays the same (Noise rev 34, section 5.1), so
   * park the cipher on a nonce Noise never uses (its first four bytes are always zero) to keep a
   * retry possible.
   */
  private void resetAfterFailure() {
    byte[] parked = new byte[12];
    Arrays.fill(parked, (byte) 0xff);
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(parked));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 re-initialisation failed", e);
    }
  }

  private void checkNonce() {
    if (n == RESERVED_NONCE) {
      throw new IllegalStateException(
          "Noise nonce space exhausted (2^64-1 messages); the session must end");
    }
  }

  private IvParameterSpec nextIv() {
    // 32 bits of zeros, then the 64-bit counter little-endian (Noise rev 34, section 12.3).
    long v = n;
    for (int i = 4; i < 12; i++) {
      nonceBytes[i] = (byte) v;
      v >>>= 8;
    }
    return new IvParameterSpec(nonceBytes);
  }

  /** Forgets the key. Later calls behave as if no key was ever set. */
  void destroy() {
    forgetKey();
  }

  private void forgetKey() {
    hasKey = false;
    key = null;
    if (aead != null) {
      aead.destroy();
    }
    Arrays.fill(nonceBytes, (byte) 0);
  }
}
