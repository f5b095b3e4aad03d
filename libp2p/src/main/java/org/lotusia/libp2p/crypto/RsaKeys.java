package org.lotusia.libp2p.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.ASN1Encoding;

/**
 * RSA keys (JDK provider). Public key Data: DER SubjectPublicKeyInfo (PKIX). Private key Data:
 * PKCS#1 RSAPrivateKey DER. Signatures: RSASSA-PKCS1-v1_5 with SHA-256. Moduli of {@value
 * #MIN_BITS} to {@value #MAX_BITS} bits are accepted, as in go-libp2p.
 */
final class RsaKeys {

  static final int MIN_BITS = 2048;
  static final int MAX_BITS = 8192;
  static final int DEFAULT_BITS = 2048;

  private RsaKeys() {}

  static IdentityPrivateKey generate(int bits) {
    checkBits(bits);
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), Keys.random());
      KeyPair kp = gen.generateKeyPair();
      return new Priv((RSAPrivateCrtKey) kp.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA key generation failed", e);
    }
  }

  private static void checkBits(int bits) {
    if (bits < MIN_BITS || bits > MAX_BITS) {
      throw new IllegalArgumentException(
          "RSA key of " + bits + " bits refused (accepted: " + MIN_BITS + " to " + MAX_BITS + ")");
    }
  }

  static IdentityPublicKey decodePublic(byte[] raw) {
    RSAPublicKey key;
    try {
      key =
          (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(raw));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("RSA public key is not DER PKIX: " + e.getMessage(), e);
    }
    return new Pub(key);
  }

  static IdentityPrivateKey decodePrivate(byte[] data) {
    org.bouncycastle.asn1.pkcs.RSAPrivateKey pkcs1;
    try {
      pkcs1 =
          org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(Der.parse(data, "RSA private key"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("RSA private key is not PKCS#1 DER: " + e.getMessage(), e);
    }
    checkBits(pkcs1.getModulus().bitLength());
    RSAPrivateCrtKeySpec spec =
        new RSAPrivateCrtKeySpec(
            pkcs1.getModulus(),
            pkcs1.getPublicExponent(),
            pkcs1.getPrivateExponent(),
            pkcs1.getPrime1(),
            pkcs1.getPrime2(),
            pkcs1.getExponent1(),
            pkcs1.getExponent2(),
            pkcs1.getCoefficient());
    if (!pkcs1.getPrime1().multiply(pkcs1.getPrime2()).equals(pkcs1.getModulus())) {
      throw new IllegalArgumentException("RSA private key primes do not multiply to the modulus");
    }
    try {
      return new Priv((RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(spec));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("RSA private key rejected: " + e.getMessage(), e);
    }
  }

  /** RSA public key. */
  static final class Pub extends AbstractPublicKey {
    private final RSAPublicKey key;

    Pub(RSAPublicKey key) {
      super(KeyType.RSA, key.getEncoded());
      checkBits(key.getModulus().bitLength());
      this.key = key;
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
      try {
        Signature v = Signature.getInstance("SHA256withRSA");
        v.initVerify(key);
        v.update(data);
        return v.verify(signature);
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
  }

  /** RSA private key. */
  static final class Priv extends AbstractPrivateKey {
    private final RSAPrivateCrtKey key;
    private final Pub publicKey;

    Priv(RSAPrivateCrtKey key) {
      super(KeyType.RSA);
      this.key = key;
      try {
        this.publicKey =
            new Pub(
                (RSAPublicKey)
                    KeyFactory.getInstance("RSA")
                        .generatePublic(
                            new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())));
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "RSA public key derivation failed: " + e.getMessage(), e);
      }
    }

    @Override
    public IdentityPublicKey publicKey() {
      return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
      try {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(data);
        return s.sign();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("RSA signing failed", e);
      }
    }

    @Override
    public byte[] encoded() {
      BigInteger n = key.getModulus();
      try {
        byte[] der =
            new org.bouncycastle.asn1.pkcs.RSAPrivateKey(
                    n,
                    key.getPublicExponent(),
                    key.getPrivateExponent(),
                    key.getPrimeP(),
                    key.getPrimeQ(),
                    key.getPrimeExponentP(),
                    key.getPrimeExponentQ(),
                    key.getCrtCoefficient())
                .getEncoded(ASN1Encoding.DER);
        return KeyProtobuf.encodePrivate(KeyType.RSA, der);
      } catch (IOException e) {
        throw new IllegalStateException("DER encoding failed", e);
      }
    }
  }
}
