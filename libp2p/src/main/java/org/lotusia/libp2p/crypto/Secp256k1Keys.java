package org.lotusia.libp2p.crypto;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * secp256k1 keys (BouncyCastle). Public key Data: the 33-byte compressed point (an uncompressed
 * 65-byte point is accepted and normalised). Private key Data: the 32-byte big-endian scalar.
 * Signatures: DER ECDSA over SHA-256.
 */
final class Secp256k1Keys {

  static final ECDomainParameters DOMAIN;

  static {
    X9ECParameters p = CustomNamedCurves.getByName("secp256k1");
    DOMAIN = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
  }

  private Secp256k1Keys() {}

  static IdentityPrivateKey generate() {
    BigInteger d;
    do {
      d = BigIntegers.createRandomBigInteger(256, Keys.random());
    } while (d.signum() == 0 || d.compareTo(DOMAIN.getN()) >= 0);
    return new Priv(d);
  }

  static IdentityPublicKey decodePublic(byte[] raw) {
    if (raw.length != 33 && !(raw.length == 65 && raw[0] == 0x04)) {
      throw new IllegalArgumentException(
          "secp256k1 public key must be a 33-byte compressed or 65-byte "
              + "uncompressed point, got "
              + raw.length
              + " bytes");
    }
    return new Pub(EcSignatures.decodePoint(DOMAIN, raw, "secp256k1 public key"));
  }

  static IdentityPrivateKey decodePrivate(byte[] data) {
    if (data.length != 32) {
      throw new IllegalArgumentException(
          "secp256k1 private key must be 32 bytes, got " + data.length);
    }
    BigInteger d = new BigInteger(1, data);
    EcSignatures.checkScalar(DOMAIN, d, "secp256k1");
    return new Priv(d);
  }

  /** secp256k1 public key. */
  static final class Pub extends AbstractPublicKey {
    private final ECPoint q;

    Pub(ECPoint q) {
      super(KeyType.SECP256K1, q.getEncoded(true));
      this.q = q;
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
      return EcSignatures.verify(DOMAIN, q, data, signature);
    }
  }

  /** secp256k1 private key. */
  static final class Priv extends AbstractPrivateKey {
    private final BigInteger d;
    private final Pub publicKey;

    Priv(BigInteger d) {
      super(KeyType.SECP256K1);
      this.d = d;
      this.publicKey = new Pub(DOMAIN.getG().multiply(d).normalize());
    }

    @Override
    public IdentityPublicKey publicKey() {
      return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
      return EcSignatures.sign(DOMAIN, d, data);
    }

    @Override
    public byte[] encoded() {
      return KeyProtobuf.encodePrivate(KeyType.SECP256K1, BigIntegers.asUnsignedByteArray(32, d));
    }
  }
}
