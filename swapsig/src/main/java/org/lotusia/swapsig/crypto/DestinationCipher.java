package org.lotusia.swapsig.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Encrypts a destination to one co-signer so that nobody else can read it: an ephemeral X25519
 * key agreement with the recipient's registered X25519 key, HKDF-SHA256 to a key and nonce, and
 * ChaCha20-Poly1305 with associated data that binds the pool, the sender and the recipient
 * (an ECIES construction; RFC 7748, RFC 5869, RFC 8439). The sender is authenticated by the
 * signature on the message that carries the ciphertext, not by this layer.
 *
 * <pre>
 *   shared = X25519(ephemeral secret, recipient public)        (all-zero result refused)
 *   okm    = HKDF-SHA256(ikm = shared, salt = "lotus-swapsig/v1/destination",
 *                        info = ephemeral public || recipient public), 44 bytes
 *   key    = okm[0..32], nonce = okm[32..44]                   (fresh per ephemeral key)
 *   ct     = ChaCha20-Poly1305(key, nonce, plaintext, aad)     (ciphertext || 16-byte tag)
 * </pre>
 *
 * <p>X25519 and HKDF come from BouncyCastle (constant-time X25519, already used by the Noise
 * handshake); ChaCha20-Poly1305 from the JDK. Stateless and thread-safe.
 */
public final class DestinationCipher {

  /** Length of an X25519 key. */
  public static final int KEY_BYTES = 32;

  /** Length of the Poly1305 tag appended to every ciphertext. */
  public static final int TAG_BYTES = 16;

  private static final byte[] SALT =
      "lotus-swapsig/v1/destination".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private DestinationCipher() {}

  /**
   * An X25519 key pair.
   *
   * @param secret the 32-byte secret (clamped on use)
   * @param publicKey the 32-byte public key
   */
  public record KeyPair(byte[] secret, byte[] publicKey) {
    /** Copies. */
    public KeyPair {
      secret = secret.clone();
      publicKey = publicKey.clone();
    }

    /** @return a copy of the secret */
    @Override
    public byte[] secret() {
      return secret.clone();
    }

    /** @return a copy of the public key */
    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public String toString() {
      return "KeyPair[secret hidden]";
    }
  }

  /**
   * A ciphertext with the ephemeral key that opens it.
   *
   * @param ephemeralKey the sender's 32-byte ephemeral X25519 public key
   * @param ciphertext the ciphertext and tag
   */
  public record Sealed(byte[] ephemeralKey, byte[] ciphertext) {
    /** Copies. */
    public Sealed {
      ephemeralKey = ephemeralKey.clone();
      ciphertext = ciphertext.clone();
    }

    /** @return a copy */
    @Override
    public byte[] ephemeralKey() {
      return ephemeralKey.clone();
    }

    /** @return a copy */
    @Override
    public byte[] ciphertext() {
      return ciphertext.clone();
    }
  }

  /**
   * @param random the source of the secret
   * @return a fresh key pair
   */
  public static KeyPair generate(SecureRandom random) {
    byte[] sk = new byte[KEY_BYTES];
    X25519.generatePrivateKey(random, sk);
    byte[] pk = new byte[KEY_BYTES];
    X25519.generatePublicKey(sk, 0, pk, 0);
    return new KeyPair(sk, pk);
  }

  /**
   * Encrypts to a recipient.
   *
   * @param recipientKey the recipient's 32-byte X25519 public key
   * @param plaintext the message
   * @param aad data the ciphertext is bound to
   * @param random the source of the ephemeral key
   * @return the sealed message
   * @throws IllegalArgumentException if the recipient key is a low-order point
   */
  public static Sealed seal(byte[] recipientKey, byte[] plaintext, byte[] aad, SecureRandom random) {
    checkKey(recipientKey, "recipient key");
    KeyPair eph = generate(random);
    byte[] shared = agree(eph.secret(), recipientKey);
    byte[] ct = aead(Cipher.ENCRYPT_MODE, derive(shared, eph.publicKey(), recipientKey), plaintext, aad);
    return new Sealed(eph.publicKey(), ct);
  }

  /**
   * Decrypts a message sealed to this key pair.
   *
   * @param recipient the recipient's key pair
   * @param sealed the message
   * @param aad the data it must be bound to
   * @return the plaintext
   * @throws IllegalArgumentException when the ciphertext does not authenticate (wrong key,
   *     tampered, other associated data) or the ephemeral key is malformed
   */
  public static byte[] open(KeyPair recipient, Sealed sealed, byte[] aad) {
    checkKey(sealed.ephemeralKey(), "ephemeral key");
    if (sealed.ciphertext().length < TAG_BYTES) {
      throw new IllegalArgumentException("ciphertext is shorter than its tag");
    }
    byte[] shared = agree(recipient.secret(), sealed.ephemeralKey());
    byte[] keyNonce = derive(shared, sealed.ephemeralKey(), recipient.publicKey());
    return aead(Cipher.DECRYPT_MODE, keyNonce, sealed.ciphertext(), aad);
  }

  private static byte[] agree(byte[] secret, byte[] publicKey) {
    byte[] out = new byte[KEY_BYTES];
    if (!X25519.calculateAgreement(secret, 0, publicKey, 0, out, 0)) {
      throw new IllegalArgumentException("X25519 agreement with a low-order point");
    }
    return out;
  }

  private static byte[] derive(byte[] shared, byte[] ephemeral, byte[] recipient) {
    byte[] info = new byte[2 * KEY_BYTES];
    System.arraycopy(ephemeral, 0, info, 0, KEY_BYTES);
    System.arraycopy(recipient, 0, info, KEY_BYTES, KEY_BYTES);
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(shared, SALT, info));
    byte[] okm = new byte[44];
    hkdf.generateBytes(okm, 0, okm.length);
    Arrays.fill(shared, (byte) 0);
    return okm;
  }

  private static byte[] aead(int mode, byte[] keyNonce, byte[] input, byte[] aad) {
    Objects.requireNonNull(aad, "aad");
    try {
      Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
      c.init(
          mode,
          new SecretKeySpec(keyNonce, 0, 32, "ChaCha20"),
          new IvParameterSpec(keyNonce, 32, 12));
      c.updateAAD(aad);
      return c.doFinal(input);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new IllegalArgumentException("ciphertext does not authenticate", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 is not available in this JDK", e);
    } finally {
      Arrays.fill(keyNonce, (byte) 0);
    }
  }

  private static void checkKey(byte[] key, String what) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException(what + " must be 32 bytes");
    }
  }
}
