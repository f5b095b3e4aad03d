package org.lotusia.musig2.crypto;

import java.math.BigInteger;
import java.util.Objects;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.crypto.Secp256k1Provider;

/**
 * BIP340 Schnorr signatures over x-only keys, used to check BIP327 aggregate signatures. Stateless
 * and thread-safe.
 */
public final class Bip340 {
  private final Secp256k1Provider curve;

  /**
   * @param curve the secp256k1 provider
   */
  public Bip340(Secp256k1Provider curve) {
    this.curve = Objects.requireNonNull(curve, "curve");
  }

  /**
   * Signs with the BIP340 nonce derivation.
   *
   * @param secretKey 32-byte secret key in [1, n-1]
   * @param message the message (any length)
   * @param auxRand 32 bytes of auxiliary randomness
   * @return the 64-byte signature
   */
  public byte[] sign(byte[] secretKey, byte[] message, byte[] auxRand) {
    if (auxRand == null || auxRand.length != 32) {
      throw new IllegalArgumentException("aux_rand must be 32 bytes");
    }
    BigInteger d0 = Scalars.secretKey(secretKey);
    EcPoint p = curve.mulG(d0);
    BigInteger d = p.hasEvenY() ? d0 : Scalars.N.subtract(d0);
    byte[] t = Scalars.xor(Scalars.to32(d), TaggedHasher.BIP340_AUX.hash(auxRand));
    byte[] px = p.xOnly();
    BigInteger k0 = Scalars.toInt(TaggedHasher.BIP340_NONCE.hash(t, px, message)).mod(Scalars.N);
    Scalars.wipe(t);
    if (k0.signum() == 0) {
      throw new IllegalStateException("nonce is zero");
    }
    EcPoint r = curve.mulG(k0);
    BigInteger k = r.hasEvenY() ? k0 : Scalars.N.subtract(k0);
    byte[] rx = r.xOnly();
    BigInteger e =
        Scalars.toInt(TaggedHasher.BIP340_CHALLENGE.hash(rx, px, message)).mod(Scalars.N);
    byte[] sig = Points.concat(rx, Scalars.to32(k.add(e.multiply(d)).mod(Scalars.N)));
    if (!verify(px, message, sig)) {
      throw new IllegalStateException("created signature does not verify");
    }
    return sig;
  }

  /**
   * Verifies a BIP340 signature. Never throws for malformed input.
   *
   * @param xOnlyKey 32-byte x-only public key
   * @param message the message (any length)
   * @param signature 64 bytes
   * @return whether the signature is valid
   */
  public boolean verify(byte[] xOnlyKey, byte[] message, byte[] signature) {
    if (xOnlyKey == null
        || xOnlyKey.length != 32
        || signature == null
        || signature.length != 64
        || message == null) {
      return false;
    }
    EcPoint p;
    try {
      p = curve.liftX(xOnlyKey);
    } catch (IllegalArgumentException e) {
      return false;
    }
    byte[] rx = Points.slice(signature, 0, 32);
    BigInteger r = Scalars.toInt(rx);
    BigInteger s = Scalars.toInt(Points.slice(signature, 32, 64));
    if (r.compareTo(Secp256k1.P) >= 0 || s.compareTo(Scalars.N) >= 0) {
      return false;
    }
    BigInteger e =
        Scalars.toInt(TaggedHasher.BIP340_CHALLENGE.hash(rx, xOnlyKey, message)).mod(Scalars.N);
    EcPoint rr = curve.mulAdd(s, Scalars.neg(e), p);
    return !rr.isInfinity() && rr.hasEvenY() && rr.x().equals(r);
  }
}
