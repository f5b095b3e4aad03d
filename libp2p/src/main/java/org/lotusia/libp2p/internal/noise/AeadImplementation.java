package org.lotusia.libp2p.internal.noise;

import java.util.Locale;
import java.util.Optional;

/**
 * The ChaCha20-Poly1305 implementations (RFC 8439) a Noise {@link CipherState} can run on. All
 * produce the same bytes; they differ only in speed, which depends on the CPU, the JDK and whether
 * a native library loads. {@link AeadSelection} picks one per process.
 *
 * <ul>
 *   <li>{@link #NATIVE}: BoringSSL through Conscrypt's JCE provider, with hand-written AVX2 (x86-64)
 *       and NEON (AArch64) code. Present where Conscrypt's bundled library loads: Linux, macOS and
 *       Windows on x86-64, Linux and macOS on AArch64 (glibc only on Linux).
 *   <li>{@link #JDK}: the JDK's own {@code ChaCha20-Poly1305} cipher, which JDK 21 and newer run on
 *       intrinsics (fastest on AVX-512 CPUs); on JDK 17 it is plain Java and slow.
 *   <li>{@link #JAVA}: {@link ChaCha20Poly1305}, this project's plain Java code written so that the
 *       JIT vectorises it; the fallback that runs everywhere.
 * </ul>
 *
 * <p>Thread-safe.
 */
public enum AeadImplementation {
  /** BoringSSL through Conscrypt. */
  NATIVE("native"),
  /** The JDK's {@code ChaCha20-Poly1305} {@link javax.crypto.Cipher}. */
  JDK("jdk"),
  /** This project's {@link ChaCha20Poly1305}. */
  JAVA("java");

  private final String id;

  AeadImplementation(String id) {
    this.id = id;
  }

  /** The name used by the {@code lotus.noise.aead} property and in reports. */
  public String id() {
    return id;
  }

  /**
   * The implementation named {@code id} ({@code native}, {@code jdk} or {@code java}, any case).
   *
   * @throws IllegalArgumentException for any other name
   */
  public static AeadImplementation fromId(String id) {
    String v = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    for (AeadImplementation i : values()) {
      if (i.id.equals(v)) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "unknown ChaCha20-Poly1305 implementation '" + id + "'; use native, jdk or java");
  }

  /**
   * Why this implementation cannot be used in this process, or empty when it can. Only {@link
   * #NATIVE} can be missing; its library is loaded (once) by the first call.
   */
  public Optional<String> unavailableReason() {
    return this == NATIVE ? NativeAead.unavailableReason() : Optional.empty();
  }

  /** True when {@link #unavailableReason()} is empty. */
  public boolean isAvailable() {
    return unavailableReason().isEmpty();
  }

  /** What runs underneath, for logs and reports: library and version. */
  public String description() {
    return switch (this) {
      case NATIVE -> NativeAead.description();
      case JDK -> "JDK " + Runtime.version().feature() + " ChaCha20-Poly1305 (SunJCE)";
      case JAVA -> "org.lotusia ChaCha20Poly1305 (plain Java)";
    };
  }

  /**
   * A key for one cipher state of this implementation.
   *
   * @param key 32 bytes; copied
   * @throws IllegalStateException if this implementation is not available
   */
  AeadKey newKey(byte[] key) {
    return switch (this) {
      case JAVA -> new JavaAeadKey(key);
      case JDK -> new JceAeadKey(this, JceCiphers.JDK, key);
      case NATIVE -> new JceAeadKey(this, NativeAead.ciphers(), key);
    };
  }
}
