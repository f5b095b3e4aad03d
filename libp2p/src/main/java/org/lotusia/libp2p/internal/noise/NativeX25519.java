package org.lotusia.libp2p.internal.noise;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import javax.crypto.KeyAgreement;

/**
 * X25519 Diffie-Hellman (RFC 7748) on BoringSSL through Conscrypt's {@code XDH} key agreement,
 * about 2.7 times faster than BouncyCastle's (35 against 95 µs on an AMD EPYC), where the native
 * library loads ({@link NativeAead}); {@link X25519KeyPair} falls back to BouncyCastle elsewhere.
 * Both follow RFC 7748 (clamped scalar, top bit of u masked, u reduced mod p), so they agree on
 * every input; a test checks them against each other and the RFC vectors.
 *
 * <p>Thread-safe: each thread keeps its own {@link KeyAgreement} and {@link KeyPairGenerator}.
 */
final class NativeX25519 {

  private static final NativeX25519 INSTANCE = create();

  private final ThreadLocal<KeyAgreement> agreements;
  private final ThreadLocal<KeyPairGenerator> generators;

  private NativeX25519(Provider provider) {
    this.generators =
        NativeAead.perThread(
            "XDH key generation", () -> KeyPairGenerator.getInstance("XDH", provider));
    this.agreements =
        NativeAead.perThread(
            "XDH key agreement", () -> KeyAgreement.getInstance("XDH", provider));
  }

  /** The native implementation, or null where the library does not load or offers no XDH. */
  static NativeX25519 get() {
    return INSTANCE;
  }

  private static NativeX25519 create() {
    Provider p = NativeAead.provider();
    if (p == null) {
      return null;
    }
    try {
      NativeX25519 n = new NativeX25519(p);
      n.agreements.get(); // fails here, not at the first handshake, if XDH is missing
      n.generators.get();
      return n;
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  /**
   * A fresh key pair from BoringSSL's random generator: {@code {private key, public key}}, 32 bytes
   * each. The public key is computed with BoringSSL's fixed-base multiplication, about twice as
   * fast as BouncyCastle's.
   */
  byte[][] generate() {
    KeyPair kp = generators.get().generateKeyPair();
    return new byte[][] {
      ((org.conscrypt.OpenSSLX25519PrivateKey) kp.getPrivate()).getU(),
      ((org.conscrypt.OpenSSLX25519PublicKey) kp.getPublic()).getU()
    };
  }

  /**
   * The shared secret of {@code privateKey} and {@code publicKey}, or null when the result is all
   * zeros (a low-order public key; BoringSSL refuses to return it).
   */
  byte[] agree(byte[] privateKey, byte[] publicKey) {
    KeyAgreement ka = agreements.get();
    try {
      ka.init(new org.conscrypt.OpenSSLX25519PrivateKey(privateKey));
      ka.doPhase(new org.conscrypt.OpenSSLX25519PublicKey(publicKey), true);
      byte[] secret = ka.generateSecret();
      int acc = 0;
      for (byte b : secret) {
        acc |= b;
      }
      return acc == 0 ? null : secret;
    } catch (GeneralSecurityException | IllegalStateException e) {
      // BoringSSL's X25519() fails exactly when the output would be all zeros.
      return null;
    }
  }
}
