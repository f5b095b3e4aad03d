package org.lotusia.libp2p.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA keys on the NIST curves P-256 (generated), P-384 and P-521 (accepted). Public key Data: DER
 * SubjectPublicKeyInfo with the named curve and an uncompressed point. Private key Data: SEC 1
 * ECPrivateKey DER with the named curve and the public key. Signatures: DER ECDSA over SHA-256 (for
 * every curve); verification also accepts the raw {@code r || s} form that js-libp2p produces.
 */
final class EcdsaKeys {

  private static final Map<ASN1ObjectIdentifier, String> CURVES =
      Map.of(
          SECObjectIdentifiers.secp256r1, "P-256",
          SECObjectIdentifiers.secp384r1, "P-384",
          SECObjectIdentifiers.secp521r1, "P-521");

  private EcdsaKeys() {}

  /** A named curve and its domain. */
  private record Curve(ASN1ObjectIdentifier oid, ECDomainParameters domain) {
    static Curve of(ASN1ObjectIdentifier oid) {
      String name = CURVES.get(oid);
      if (name == null) {
        throw new IllegalArgumentException(
            "unsupported ECDSA curve " + oid + " (supported: P-256, P-384, P-521)");
      }
      X9ECParameters p = ECNamedCurveTable.getByOID(oid);
      return new Curve(oid, new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH()));
    }
  }

  private static final Curve P256 = Curve.of(SECObjectIdentifiers.secp256r1);

  static IdentityPrivateKey generate() {
    BigInteger d;
    do {
      d = BigIntegers.createRandomBigInteger(256, Keys.random());
    } while (d.signum() == 0 || d.compareTo(P256.domain().getN()) >= 0);
    return new Priv(P256, d);
  }

  static IdentityPublicKey decodePublic(byte[] raw) {
    SubjectPublicKeyInfo spki;
    try {
      spki = SubjectPublicKeyInfo.getInstance(Der.parse(raw, "ECDSA public key"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "ECDSA public key is not DER SubjectPublicKeyInfo: " + e.getMessage(), e);
    }
    AlgorithmIdentifier alg = spki.getAlgorithm();
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())) {
      throw new IllegalArgumentException(
          "ECDSA public key has algorithm " + alg.getAlgorithm() + ", expected id-ecPublicKey");
    }
    if (!(alg.getParameters() instanceof ASN1ObjectIdentifier oid)) {
      throw new IllegalArgumentException("ECDSA public key must name its curve");
    }
    Curve curve = Curve.of(oid);
    byte[] point = spki.getPublicKeyData().getOctets();
    if (point.length == 0 || point[0] != 0x04) {
      throw new IllegalArgumentException("ECDSA public key point must be uncompressed");
    }
    return new Pub(curve, EcSignatures.decodePoint(curve.domain(), point, "ECDSA public key"));
  }

  static IdentityPrivateKey decodePrivate(byte[] data) {
    ECPrivateKey sec1;
    try {
      sec1 = ECPrivateKey.getInstance(Der.parse(data, "ECDSA private key"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "ECDSA private key is not SEC 1 ECPrivateKey DER: " + e.getMessage(), e);
    }
    if (!(sec1.getParametersObject() instanceof ASN1ObjectIdentifier oid)) {
      throw new IllegalArgumentException("ECDSA private key must name its curve");
    }
    Curve curve = Curve.of(oid);
    BigInteger d = sec1.getKey();
    EcSignatures.checkScalar(curve.domain(), d, "ECDSA");
    Priv key = new Priv(curve, d);
    if (sec1.getPublicKey() != null) {
      ECPoint stated =
          EcSignatures.decodePoint(
              curve.domain(), sec1.getPublicKey().getOctets(), "ECDSA private key's public point");
      if (!stated.equals(key.publicKey.q)) {
        throw new IllegalArgumentException(
            "ECDSA private key's public point does not match its scalar");
      }
    }
    return key;
  }

  private static byte[] spki(Curve curve, ECPoint q) {
    try {
      return new SubjectPublicKeyInfo(
              new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve.oid()),
              q.getEncoded(false))
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding failed", e);
    }
  }

  /** ECDSA public key. */
  static final class Pub extends AbstractPublicKey {
    private final Curve curve;
    private final ECPoint q;

    Pub(Curve curve, ECPoint q) {
      super(KeyType.ECDSA, spki(curve, q));
      this.curve = curve;
      this.q = q;
    }

    /**
     * Verifies a DER signature (the peer-id spec form) or, for js-libp2p compatibility, a raw
     * {@code r || s} signature as produced by WebCrypto (which js-libp2p uses for ECDSA keys).
     */
    @Override
    public boolean verify(byte[] data, byte[] signature) {
      if (EcSignatures.verify(curve.domain(), q, data, signature)) {
        return true;
      }
      return EcSignatures.verifyRaw(curve.domain(), q, data, signature);
    }
  }

  /** ECDSA private key. */
  static final class Priv extends AbstractPrivateKey {
    private final Curve curve;
    private final BigInteger d;
    private final Pub publicKey;

    Priv(Curve curve, BigInteger d) {
      super(KeyType.ECDSA);
      this.curve = curve;
      this.d = d;
      this.publicKey = new Pub(curve, curve.domain().getG().multiply(d).normalize());
    }

    @Override
    public IdentityPublicKey publicKey() {
      return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
      return EcSignatures.sign(curve.domain(), d, data);
    }

    @Override
    public byte[] encoded() {
      int bits = curve.domain().getN().bitLength();
      try {
        byte[] der =
            new ECPrivateKey(bits, d, new DERBitString(publicKey.q.getEncoded(false)), curve.oid())
                .getEncoded(ASN1Encoding.DER);
        return KeyProtobuf.encodePrivate(KeyType.ECDSA, der);
      } catch (IOException e) {
        throw new IllegalStateException("DER encoding failed", e);
      }
    }
  }
}
