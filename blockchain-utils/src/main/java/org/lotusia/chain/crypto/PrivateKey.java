package org.lotusia.chain.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * A secp256k1 secret key with its public key, signing through a {@link Secp256k1Provider}. {@link
 * #toString()} never reveals the secret. Thread-safe (immutable).
 */
public final class PrivateKey {

  private final BigInteger secret;
  private final EcPoint publicKey;
  private final Secp256k1Provider provider;

  private PrivateKey(BigInteger secret, Secp256k1Provider provider) {
    this.secret = Secp256k1.checkSecretKey(secret);
    this.provider = provider;
    this.publicKey = provider.mulG(secret);
  }

  /** A key from a scalar in [1, n-1] with the default provider. */
  public static PrivateKey of(BigInteger secret) {
    return new PrivateKey(secret, Secp256k1.defaultProvider());
  }

  /** A key from a scalar with the given provider. */
  public static PrivateKey of(BigInteger secret, Secp256k1Provider provider) {
    return new PrivateKey(secret, provider);
  }

  /**
   * A key from 32 big-endian bytes. @throws IllegalArgumentException if not 32 bytes or out of
   * range
   */
  public static PrivateKey fromBytes(byte[] key32) {
    return of(Secp256k1.secretKey(key32));
  }

  /** A fresh random key. */
  public static PrivateKey random(SecureRandom random) {
    while (true) {
      byte[] b = new byte[32];
      random.nextBytes(b);
      BigInteger d = new BigInteger(1, b);
      if (d.signum() > 0 && d.compareTo(Secp256k1.N) < 0) {
        return of(d);
      }
    }
  }

  /** The secret scalar. */
  public BigInteger secret() {
    return secret;
  }

  /** The secret as 32 big-endian bytes (a fresh copy; the caller should wipe it). */
  public byte[] toBytes() {
    return Secp256k1.toBytes32(secret);
  }

  /** The public key point. */
  public EcPoint publicKey() {
    return publicKey;
  }

  /** The 33-byte compressed public key. */
  public byte[] publicKeyBytes() {
    return publicKey.encodeCompressed();
  }

  /** The provider this key signs with. */
  public Secp256k1Provider provider() {
    return provider;
  }

  /** RFC 6979 ECDSA with low S over a 32-byte digest. */
  public EcdsaSignature signEcdsa(byte[] digest32) {
    BigInteger[] rs = provider.ecdsaSign(secret, digest32);
    return new EcdsaSignature(rs[0], rs[1]);
  }

  /** Lotus Schnorr over a 32-byte message. */
  public byte[] signSchnorr(byte[] msg32) {
    return LotusSchnorr.sign(provider, secret, publicKey.encodeCompressed(), msg32);
  }

  @Override
  public String toString() {
    return "PrivateKey[pub=" + java.util.HexFormat.of().formatHex(publicKeyBytes()) + "]";
  }
}
