package org.lotusia.libp2p.internal.noise;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * An X25519 key pair (RFC 7748) for the Noise 25519 DH functions (Noise rev 34, section 12.1).
 * Key generation and the Diffie-Hellman step use BoringSSL ({@link NativeX25519}) where its
 * library loads and BouncyCastle elsewhere.
 *
 * <p>Immutable; safe to share between threads. Accessors return copies.
 */
public final class X25519KeyPair {

  /** Length of an X25519 private or public key and of a DH output ({@code DHLEN}). */
  public static final int KEY_LENGTH = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] privateKey;
  private final byte[] publicKey;

  private X25519KeyPair(byte[] privateKey) {
    this(privateKey, new byte[KEY_LENGTH]);
    X25519.generatePublicKey(privateKey, 0, publicKey, 0);
  }

  private X25519KeyPair(byte[] privateKey, byte[] publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /**
   * Generates a fresh key pair: with BoringSSL where it loads, else from a {@link SecureRandom}
   * with BouncyCastle.
   */
  public static X25519KeyPair generate() {
    NativeX25519 nat = NativeX25519.get();
    if (nat != null) {
      byte[][] pair = nat.generate();
      return new X25519KeyPair(pair[0], pair[1]);
    }
    byte[] k = new byte[KEY_LENGTH];
    X25519.generatePrivateKey(RANDOM, k);
    return new X25519KeyPair(k);
  }

  /**
   * Builds the key pair of a given 32-byte private key (clamping happens inside the scalar
   * multiplication, as RFC 7748 specifies).
   *
   * @throws IllegalArgumentException if the key is not 32 bytes
   */
  public static X25519KeyPair fromPrivateKey(byte[] privateKey) {
    if (privateKey == null || privateKey.length != KEY_LENGTH) {
      throw new IllegalArgumentException("X25519 private key must be 32 bytes");
    }
    return new X25519KeyPair(privateKey.clone());
  }

  /** The 32-byte public key, encoded as RFC 7748 section 5 specifies. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The 32-byte private key. */
  byte[] privateKey() {
    return privateKey.clone();
  }

  /**
   * {@code DH(key_pair, public_key)}: the X25519 shared secret with a remote public key.
   *
   * @throws NoiseFailure if the result is all zeros, which only a low-order (invalid) remote key
   *     yields
   */
  byte[] dh(byte[] remotePublicKey) {
    NativeX25519 nat = NativeX25519.get();
    if (nat != null) {
      byte[] secret = nat.agree(privateKey, remotePublicKey);
      if (secret == null) {
        throw lowOrder();
      }
      return secret;
    }
    return dhJava(remotePublicKey);
  }

  /** {@link #dh} with BouncyCastle, whatever is loaded; tests compare the two. */
  byte[] dhJava(byte[] remotePublicKey) {
    byte[] out = new byte[KEY_LENGTH];
    if (!X25519.calculateAgreement(privateKey, 0, remotePublicKey, 0, out, 0)) {
      throw lowOrder();
    }
    return out;
  }

  private static NoiseFailure lowOrder() {
    return new NoiseFailure(
        "X25519 with the remote public key gave the all-zero output (low-order point)");
  }
}
