package org.lotusia.libp2p.internal.noise;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native ChaCha20-Poly1305 ({@link AeadImplementation#NATIVE}): Conscrypt's JCE provider,
 * BoringSSL inside. The only class that names Conscrypt, so a missing jar, a platform without a
 * bundled library or a library that fails to load all end here as a reason, never as an error
 * elsewhere.
 *
 * <p>The provider is created once per process, on first use, and never installed in the JDK's
 * provider list: only this library uses it (Noise's AEAD and X25519, and Ed25519 in {@code
 * org.lotusia.libp2p.crypto}). Before it is accepted it must reproduce the RFC 8439 section
 * 2.8.2 test vector, so a broken library is refused too. The outcome is logged once.
 *
 * <p>Thread-safe.
 */
public final class NativeAead {

  private static final Logger LOG = LoggerFactory.getLogger(NativeAead.class);

  /** Conscrypt's name for the AEAD. */
  static final String TRANSFORMATION = "ChaCha20/Poly1305/NoPadding";

  private static volatile Loaded loaded;

  private NativeAead() {}

  /**
   * The outcome of loading: ciphers, the provider and a description, or the reason there are none.
   */
  record Loaded(JceCiphers ciphers, Provider provider, String description, String failure) {
    Loaded(String failure) {
      this(null, null, null, failure);
    }
  }

  /** Creates a JCA object of the provider; may fail as JCA factories do. */
  @FunctionalInterface
  public interface JcaFactory<T> {
    /** Creates the object. */
    T create() throws GeneralSecurityException;
  }

  /**
   * One JCA object per thread, created on first use; a provider that offers no such object fails
   * that first use with an {@link IllegalStateException} naming {@code what}.
   */
  public static <T> ThreadLocal<T> perThread(String what, JcaFactory<T> factory) {
    return ThreadLocal.withInitial(
        () -> {
          try {
            return factory.create();
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Conscrypt offers no " + what, e);
          }
        });
  }

  /** The loaded provider, or null when the native library is not available. */
  public static Provider provider() {
    return load().provider();
  }

  /** Why the native implementation is not available, or empty when it is. */
  static Optional<String> unavailableReason() {
    return Optional.ofNullable(load().failure());
  }

  /** Library and version, or "unavailable: reason". */
  static String description() {
    Loaded l = load();
    return l.failure() == null ? l.description() : "unavailable: " + l.failure();
  }

  /**
   * The cipher source.
   *
   * @throws IllegalStateException with the reason when the library is not available
   */
  static JceCiphers ciphers() {
    Loaded l = load();
    if (l.failure() != null) {
      throw new IllegalStateException("native ChaCha20-Poly1305 is not available: " + l.failure());
    }
    return l.ciphers();
  }

  private static Loaded load() {
    Loaded l = loaded;
    if (l == null) {
      synchronized (NativeAead.class) {
        l = loaded;
        if (l == null) {
          l = probe(NativeAead::conscrypt);
          loaded = l;
          if (l.failure() == null) {
            LOG.debug("native ChaCha20-Poly1305 loaded: {}", l.description());
          } else {
            LOG.info("native ChaCha20-Poly1305 not available ({}); Java implementations only",
                l.failure());
          }
        }
      }
    }
    return l;
  }

  /**
   * Loads a provider and checks that its cipher agrees with {@link ChaCha20Poly1305} (itself
   * checked against RFC 8439 and the Noise vectors) and rejects a forged tag. Package-private so a
   * test can hand in a loader that fails, as a platform without the library would.
   */
  static Loaded probe(Supplier<Named> loader) {
    Named named;
    try {
      named = loader.get();
    } catch (Throwable t) { // NoClassDefFoundError, UnsatisfiedLinkError, SecurityException...
      return new Loaded(describe(t));
    }
    try {
      JceCiphers ciphers = new JceCiphers(TRANSFORMATION, named.provider(), true);
      selfTest(new JceAeadKey(AeadImplementation.NATIVE, ciphers, SELF_TEST_KEY));
      return new Loaded(ciphers, named.provider(), named.description(), null);
    } catch (Throwable t) {
      return new Loaded(describe(t));
    }
  }

  /** A provider and what to call it in reports. */
  record Named(Provider provider, String description) {}

  private static final byte[] SELF_TEST_KEY =
      HexFormat.of().parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");

  /**
   * Seals a 1000-byte message with associated data under nonce 2^32+7 with {@code candidate} and
   * with {@link ChaCha20Poly1305}, requires identical bytes, and requires a flipped tag bit to be
   * refused.
   */
  static void selfTest(AeadKey candidate) {
    byte[] ad = "noise self-test".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] msg = new byte[1000];
    for (int i = 0; i < msg.length; i++) {
      msg[i] = (byte) (i * 31 + 7);
    }
    long nonce = (1L << 32) + 7;
    byte[] expected = new byte[msg.length + AeadKey.TAG_LENGTH];
    new JavaAeadKey(SELF_TEST_KEY).seal(nonce, ad, msg, 0, msg.length, expected, 0);
    byte[] actual = new byte[expected.length];
    int n = candidate.seal(nonce, ad, msg, 0, msg.length, actual, 0);
    if (n != expected.length || !java.util.Arrays.equals(actual, expected)) {
      throw new IllegalStateException("self-test: ciphertext differs from RFC 8439's");
    }
    byte[] back = new byte[msg.length];
    if (candidate.open(nonce, ad, actual, 0, actual.length, back, 0) != msg.length
        || !java.util.Arrays.equals(back, msg)) {
      throw new IllegalStateException("self-test: decryption differs from RFC 8439's");
    }
    actual[actual.length - 1] ^= 1;
    if (candidate.open(nonce, ad, actual, 0, actual.length, back, 0) != -1) {
      throw new IllegalStateException("self-test: a forged tag was accepted");
    }
  }

  private static String describe(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null && b.length() < 300; c = c.getCause()) {
      if (b.length() > 0) {
        b.append("; caused by ");
      }
      b.append(c.getClass().getSimpleName());
      if (c.getMessage() != null) {
        b.append(": ").append(c.getMessage());
      }
    }
    return b.toString();
  }

  /** Conscrypt's provider; fails when its classes or its native library cannot be loaded. */
  private static Named conscrypt() {
    if (!org.conscrypt.Conscrypt.isAvailable()) {
      Throwable cause = null;
      try {
        org.conscrypt.Conscrypt.checkAvailability();
      } catch (Throwable t) {
        cause = t;
      }
      throw new IllegalStateException(
          "Conscrypt's native library did not load on "
              + System.getProperty("os.name")
              + "/"
              + System.getProperty("os.arch"),
          cause);
    }
    org.conscrypt.Conscrypt.Version v = org.conscrypt.Conscrypt.version();
    return new Named(
        org.conscrypt.Conscrypt.newProvider(),
        "Conscrypt " + v.major() + "." + v.minor() + "." + v.patch() + " (BoringSSL)");
  }
}
