package org.lotusia.libp2p.internal.noise;

import java.security.GeneralSecurityException;
import java.nio.ByteBuffer;
import java.security.Provider;
import javax.crypto.Cipher;

/**
 * One source of JCE ChaCha20-Poly1305 {@link Cipher}s (the JDK's, or Conscrypt's provider) and a
 * per-thread cache of one encrypting and one decrypting instance.
 *
 * <p>Why per thread and not per cipher state: a JCE AEAD cipher carries no key schedule worth
 * keeping (both the JDK and BoringSSL set the key up on every {@code init}), but it may keep
 * buffers as large as the last message (the JDK buffers a whole ciphertext while it decrypts). One
 * pair per thread bounds that memory by the number of event-loop threads instead of the number of
 * connections. Separate encrypting and decrypting instances keep the two ends of an in-process
 * connection, which share key and nonce, from meeting on one instance.
 *
 * <p>Thread-safe: each thread gets its own instances.
 */
final class JceCiphers {

  /** The JDK's cipher, by its standard name, from the first provider that offers it. */
  static final JceCiphers JDK = new JceCiphers("ChaCha20-Poly1305", null, false);

  /** Room for the largest Noise message plus a tag. */
  private static final int SCRATCH = 65535 + 16;

  private final String transformation;
  private final Provider provider;
  private final ThreadLocal<Cipher> encrypting;
  private final ThreadLocal<Cipher> decrypting;
  private final boolean directOnly;
  private final ThreadLocal<ByteBuffer[]> scratch;

  /**
   * @param transformation the JCE transformation name
   * @param provider the provider, or null for the JDK's provider order
   * @param directOnly true for native code that must see only direct buffers (see {@link
   *     #directOnly()})
   */
  JceCiphers(String transformation, Provider provider, boolean directOnly) {
    this.transformation = transformation;
    this.provider = provider;
    this.directOnly = directOnly;
    this.encrypting = ThreadLocal.withInitial(this::create);
    this.decrypting = ThreadLocal.withInitial(this::create);
    this.scratch =
        ThreadLocal.withInitial(
            () ->
                new ByteBuffer[] {
                  ByteBuffer.allocateDirect(SCRATCH), ByteBuffer.allocateDirect(SCRATCH)
                });
  }

  /**
   * True when byte arrays must not be handed to the cipher. Conscrypt passes arrays to BoringSSL
   * through JNI calls that copy the whole array in and, for the output, the whole array back: with
   * the large shared arrays behind pooled heap buffers that is slow, and it writes back bytes that
   * another thread may have changed meanwhile. Such ciphers see only direct buffers: array calls
   * go through {@link #scratch(int, int)}.
   */
  boolean directOnly() {
    return directOnly;
  }

  /**
   * This thread's two direct scratch buffers, cleared, each holding at least the given number of
   * bytes (replaced by larger ones when needed).
   */
  ByteBuffer[] scratch(int inBytes, int outBytes) {
    ByteBuffer[] s = scratch.get();
    if (s[0].capacity() < inBytes) {
      s[0] = ByteBuffer.allocateDirect(inBytes);
    }
    if (s[1].capacity() < outBytes) {
      s[1] = ByteBuffer.allocateDirect(outBytes);
    }
    s[0].clear();
    s[1].clear();
    return s;
  }

  /** This thread's instance for one direction. */
  Cipher get(boolean encrypt) {
    return encrypt ? encrypting.get() : decrypting.get();
  }

  /**
   * A new instance.
   *
   * @throws IllegalStateException if the provider offers no such cipher
   */
  Cipher create() {
    try {
      return provider == null
          ? Cipher.getInstance(transformation)
          : Cipher.getInstance(transformation, provider);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "no " + transformation + " cipher" + (provider == null ? "" : " in " + provider), e);
    }
  }
}
