package org.lotusia.libp2p.internal.noise;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An {@link AeadKey} on a JCE cipher ({@link AeadImplementation#JDK} or {@link
 * AeadImplementation#NATIVE}): the key is held here, the {@link Cipher} is the calling thread's
 * (see {@link JceCiphers}) and is initialised with this key and the message's nonce for every
 * message.
 */
final class JceAeadKey extends AeadKey {

  /**
   * A nonce Noise never uses (its first four bytes are always zero), to move a cipher off a key
   * and nonce pair it refuses to see twice in a row.
   */
  private static final IvParameterSpec PARKED;

  static {
    byte[] iv = new byte[12];
    Arrays.fill(iv, (byte) 0xff);
    PARKED = new IvParameterSpec(iv);
  }

  private final AeadImplementation implementation;
  private final JceCiphers ciphers;
  private SecretKeySpec key;

  JceAeadKey(AeadImplementation implementation, JceCiphers ciphers, byte[] key) {
    this.implementation = implementation;
    this.ciphers = ciphers;
    this.key = new SecretKeySpec(key, "ChaCha20");
  }

  @Override
  AeadImplementation implementation() {
    return implementation;
  }

  @Override
  boolean prefersDirectBuffers() {
    return implementation == AeadImplementation.NATIVE;
  }

  @Override
  int seal(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
    if (ciphers.directOnly()) {
      ByteBuffer[] s = ciphers.scratch(len, len + TAG_LENGTH);
      s[0].put(in, inOff, len).flip();
      int n;
      try {
        n = doFinal(init(true, nonce), ad, s[0], s[1]);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(
            implementation.id() + " ChaCha20-Poly1305 sealing failed", e);
      }
      s[1].flip().get(out, outOff, n);
      return n;
    }
    Cipher c = init(true, nonce);
    try {
      if (ad.length > 0) {
        c.updateAAD(ad);
      }
      return c.doFinal(in, inOff, len, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(implementation.id() + " ChaCha20-Poly1305 sealing failed", e);
    }
  }

  @Override
  int open(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
    if (len < TAG_LENGTH) {
      return -1;
    }
    if (ciphers.directOnly()) {
      ByteBuffer[] s = ciphers.scratch(len, len);
      s[0].put(in, inOff, len).flip();
      int n;
      try {
        n = doFinal(init(false, nonce), ad, s[0], s[1]);
      } catch (AEADBadTagException e) {
        return -1;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(
            implementation.id() + " ChaCha20-Poly1305 opening failed", e);
      }
      s[1].flip().get(out, outOff, n);
      return n;
    }
    Cipher c = init(false, nonce);
    try {
      if (ad.length > 0) {
        c.updateAAD(ad);
      }
      return c.doFinal(in, inOff, len, out, outOff);
    } catch (AEADBadTagException e) {
      return -1;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(implementation.id() + " ChaCha20-Poly1305 opening failed", e);
    }
  }

  @Override
  int seal(long nonce, ByteBuffer in, ByteBuffer out) {
    try {
      return doFinal(init(true, nonce), CipherState.EMPTY, in, out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(implementation.id() + " ChaCha20-Poly1305 sealing failed", e);
    }
  }

  /** One {@code doFinal} on buffers, after the associated data. */
  private static int doFinal(Cipher c, byte[] ad, ByteBuffer in, ByteBuffer out)
      throws GeneralSecurityException {
    if (ad.length > 0) {
      c.updateAAD(ad);
    }
    return c.doFinal(in, out);
  }

  @Override
  int open(long nonce, ByteBuffer in, ByteBuffer out) {
    if (in.remaining() < TAG_LENGTH) {
      return -1;
    }
    Cipher c = init(false, nonce);
    try {
      return c.doFinal(in, out);
    } catch (AEADBadTagException e) {
      return -1;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(implementation.id() + " ChaCha20-Poly1305 opening failed", e);
    }
  }

  /**
   * This thread's cipher for the direction, set to this key and {@code nonce}. JCE ciphers refuse
   * the key and nonce of their previous initialisation (the JDK in both directions, Conscrypt when
   * encrypting); that happens legitimately when a decryption is retried after a failure (Noise
   * keeps the nonce then, rev 34 section 5.1) or when two states hold one key in one thread, so the
   * cipher is parked on an unused nonce and set again. Nonce uniqueness is {@link CipherState}'s
   * guarantee, not the cipher's.
   */
  private Cipher init(boolean encrypt, long nonce) {
    SecretKeySpec k = key;
    if (k == null) {
      throw new IllegalStateException("ChaCha20-Poly1305 key was destroyed");
    }
    Cipher c = ciphers.get(encrypt);
    int mode = encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
    IvParameterSpec iv = iv(nonce);
    try {
      c.init(mode, k, iv);
    } catch (InvalidKeyException | InvalidAlgorithmParameterException reused) {
      try {
        c.init(mode, k, PARKED);
        c.init(mode, k, iv);
      } catch (GeneralSecurityException e) {
        e.addSuppressed(reused);
        throw new IllegalStateException(
            implementation.id() + " ChaCha20-Poly1305 refused a 32-byte key", e);
      }
    }
    return c;
  }

  /** 32 bits of zeros, then the 64-bit counter little-endian (Noise rev 34, section 12.3). */
  private static IvParameterSpec iv(long nonce) {
    byte[] iv = new byte[12];
    long v = nonce;
    for (int i = 4; i < 12; i++) {
      iv[i] = (byte) v;
      v >>>= 8;
    }
    return new IvParameterSpec(iv);
  }

  @Override
  void destroy() {
    key = null;
  }
}
