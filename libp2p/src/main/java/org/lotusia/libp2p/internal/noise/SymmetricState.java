package org.lotusia.libp2p.internal.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Noise {@code SymmetricState} (Noise Protocol Framework rev 34, section 5.2) with SHA-256 as
 * the hash function: chaining key {@code ck}, handshake hash {@code h} and the handshake {@link
 * CipherState}. HKDF is the Noise variant of section 4.3 built from HMAC-SHA256.
 *
 * <p>Not thread-safe; owned by one {@link HandshakeState}.
 */
final class SymmetricState {

  /** {@code HASHLEN} for SHA-256. */
  static final int HASH_LENGTH = 32;

  private final MessageDigest sha256;
  private final Mac hmac;
  /** The fixed implementation of every cipher state, or null for the process-wide choice. */
  private final AeadImplementation aead;

  private final CipherState cipher;
  private byte[] ck;
  private byte[] h;

  /**
   * {@code InitializeSymmetric(protocol_name)}.
   *
   * @param aead the ChaCha20-Poly1305 implementation of all cipher states, or null for {@link
   *     AeadSelection#global()}
   */
  SymmetricState(String protocolName, AeadImplementation aead) {
    this.aead = aead;
    this.cipher = newCipherState(null);
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
      this.hmac = Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK provides no SHA-256 or HmacSHA256", e);
    }
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    if (name.length <= HASH_LENGTH) {
      h = Arrays.copyOf(name, HASH_LENGTH); // padded with zero bytes
    } else {
      h = sha256.digest(name);
    }
    ck = h.clone();
  }

  /** {@code MixKey(input_key_material)}. */
  void mixKey(byte[] inputKeyMaterial) {
    byte[][] out = hkdf(ck, inputKeyMaterial, 2);
    ck = out[0];
    cipher.initializeKey(out[1]); // HASHLEN is 32, so temp_k needs no truncation
    Arrays.fill(out[1], (byte) 0);
  }

  /** {@code MixHash(data)}: {@code h = HASH(h || data)}. */
  void mixHash(byte[] data) {
    sha256.update(h);
    sha256.update(data);
    h = sha256.digest();
  }

  /** {@code EncryptAndHash(plaintext)}. */
  byte[] encryptAndHash(byte[] plaintext) {
    byte[] ciphertext = cipher.encryptWithAd(h, plaintext);
    mixHash(ciphertext);
    return ciphertext;
  }

  /** {@code DecryptAndHash(ciphertext)}; throws {@link NoiseFailure} when authentication fails. */
  byte[] decryptAndHash(byte[] ciphertext) {
    byte[] plaintext = cipher.decryptWithAd(h, ciphertext);
    mixHash(ciphertext);
    return plaintext;
  }

  /** {@code HasKey()} of the handshake cipher. */
  boolean hasKey() {
    return cipher.hasKey();
  }

  /** The current handshake hash; after {@link #split()} this is the channel-binding value. */
  byte[] handshakeHash() {
    return h.clone();
  }

  /**
   * {@code Split()}: the two transport cipher states, the first for initiator-to-responder traffic.
   * Erases the chaining key and the handshake cipher afterwards.
   */
  CipherState[] split() {
    byte[][] out = hkdf(ck, new byte[0], 2);
    CipherState c1 = newCipherState(out[0]);
    CipherState c2 = newCipherState(out[1]);
    Arrays.fill(out[0], (byte) 0);
    Arrays.fill(out[1], (byte) 0);
    Arrays.fill(ck, (byte) 0);
    cipher.destroy();
    return new CipherState[] {c1, c2};
  }

  private CipherState newCipherState(byte[] key) {
    CipherState c = aead == null ? new CipherState() : new CipherState(aead);
    if (key != null) {
      c.initializeKey(key);
    }
    return c;
  }

  /**
   * {@code HKDF(chaining_key, input_key_material, num_outputs)} of section 4.3 with HMAC-SHA256,
   * for 2 or 3 outputs.
   */
  byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial, int outputs) {
    if (outputs < 2 || outputs > 3) {
      throw new IllegalArgumentException("HKDF yields 2 or 3 outputs, asked for " + outputs);
    }
    byte[] tempKey = hmac(chainingKey, inputKeyMaterial);
    byte[][] result = new byte[outputs][];
    byte[] previous = new byte[0];
    for (int i = 0; i < outputs; i++) {
      byte[] input = Arrays.copyOf(previous, previous.length + 1);
      input[previous.length] = (byte) (i + 1);
      previous = hmac(tempKey, input);
      result[i] = previous;
    }
    Arrays.fill(tempKey, (byte) 0);
    return result;
  }

  private byte[] hmac(byte[] key, byte[] data) {
    try {
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 rejected a 32-byte key", e);
    }
    return hmac.doFinal(data);
  }
}
