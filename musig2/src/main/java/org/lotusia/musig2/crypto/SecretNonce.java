package org.lotusia.musig2.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * A signer's secret nonce {@code (k1, k2)}, bound to the signer's public key. It can produce
 * exactly one partial signature: signing consumes it and wipes the scalars, and any later use
 * throws {@link IllegalStateException}. It is not serializable, its {@code toString} reveals
 * nothing, and there is no accessor for the scalars.
 *
 * <p>Threading: safe to share; consumption is atomic, so two threads racing to sign get one
 * signature and one exception. (Java cannot wipe the transient {@link BigInteger} copies made while
 * signing; the stored bytes are wiped.)
 */
public final class SecretNonce implements Destroyable {
  private final byte[] k; // k1 || k2, wiped on consume/destroy
  private final byte[] publicKey; // 33-byte compressed key of the signer
  private final PublicNonce
      publicNonce; // null only for imported test nonces with out-of-range scalars
  private boolean destroyed;

  SecretNonce(BigInteger k1, BigInteger k2, byte[] publicKey, PublicNonce publicNonce) {
    this.k = Points.concat(Scalars.to32(k1), Scalars.to32(k2));
    this.publicKey = publicKey.clone();
    this.publicNonce = publicNonce;
  }

  /**
   * Imports a BIP327 97-byte {@code secnonce} ({@code k1 || k2 || pk}) exactly as given, without
   * range checks, so the official test vectors (including deliberately broken nonces) can drive
   * {@link Bip327MuSig2#sign}. For tests only: a real signer never imports a secret nonce.
   *
   * @param secnonce97 the 97-byte serialization
   * @return a one-shot secret nonce
   */
  public static SecretNonce importBip327ForTests(byte[] secnonce97) {
    if (secnonce97 == null || secnonce97.length != 97) {
      throw new IllegalArgumentException("secnonce must be 97 bytes");
    }
    SecretNonce n =
        new SecretNonce(
            BigInteger.ZERO, BigInteger.ZERO, Arrays.copyOfRange(secnonce97, 64, 97), null);
    System.arraycopy(secnonce97, 0, n.k, 0, 64);
    return n;
  }

  /**
   * @return the 33-byte public key this nonce is bound to
   */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * @return the matching public nonce to send to the other signers
   * @throws IllegalStateException for an imported test nonce whose scalars are out of range
   */
  public PublicNonce publicNonce() {
    if (publicNonce == null) {
      throw new IllegalStateException("public nonce unknown for an imported secret nonce");
    }
    return publicNonce;
  }

  PublicNonce publicNonceOrNull() {
    return publicNonce;
  }

  /** Returns {k1, k2} and destroys this nonce; throws if it was already used. */
  synchronized BigInteger[] consume() {
    if (destroyed) {
      throw new IllegalStateException(
          "secret nonce already used or destroyed: a nonce signs only once");
    }
    BigInteger[] out = {
      Scalars.toInt(Arrays.copyOfRange(k, 0, 32)), Scalars.toInt(Arrays.copyOfRange(k, 32, 64))
    };
    destroy();
    return out;
  }

  /** Wipes the scalars; any later signing attempt fails. Idempotent. */
  @Override
  public synchronized void destroy() {
    Scalars.wipe(k);
    destroyed = true;
  }

  /**
   * @return whether the nonce has been used or destroyed
   */
  @Override
  public synchronized boolean isDestroyed() {
    return destroyed;
  }

  /**
   * @return a description without secret material
   */
  @Override
  public String toString() {
    return "SecretNonce[" + (isDestroyed() ? "destroyed" : "unused") + "]";
  }
}
