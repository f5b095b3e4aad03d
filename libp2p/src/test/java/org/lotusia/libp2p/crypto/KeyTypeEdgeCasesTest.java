package org.lotusia.libp2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.libp2p.multiformats.Multibase.unhex;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;

class KeyTypeEdgeCasesTest {

  private static final byte[] MSG = "edge".getBytes(StandardCharsets.UTF_8);

  @Test
  void rsaSizeLimits() throws Exception {
    assertThatThrownBy(() -> Keys.generateRsa(1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1024 bits refused");
    assertThatThrownBy(() -> Keys.generateRsa(8200)).hasMessageContaining("8200 bits refused");
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(1024);
    byte[] weakPublic = gen.generateKeyPair().getPublic().getEncoded();
    assertThatThrownBy(() -> Keys.publicKeyFromRaw(KeyType.RSA, weakPublic))
        .hasMessageContaining("1024 bits refused");
    assertThatThrownBy(() -> Keys.publicKeyFromRaw(KeyType.RSA, new byte[] {0x30, 0x00}))
        .hasMessageContaining("not DER PKIX");
    assertThatThrownBy(() -> Keys.decodePrivateKey(unhex("08001203300100")))
        .hasMessageContaining("not PKCS#1 DER");
  }

  @Test
  void rsaSignatureIsPkcs1Sha256() throws Exception {
    IdentityPrivateKey k = Keys.generateRsa(2048);
    byte[] sig = k.sign(MSG);
    assertThat(sig).hasSize(256);
    // Deterministic (PKCS#1 v1.5) and verifiable with the JDK's SHA256withRSA.
    assertThat(k.sign(MSG)).isEqualTo(sig);
    java.security.Signature v = java.security.Signature.getInstance("SHA256withRSA");
    v.initVerify(
        java.security.KeyFactory.getInstance("RSA")
            .generatePublic(new java.security.spec.X509EncodedKeySpec(k.publicKey().raw())));
    v.update(MSG);
    assertThat(v.verify(sig)).isTrue();
  }

  @Test
  void ecdsaAcceptsJdkKeysAndSignatures() throws Exception {
    for (String curve : new String[] {"secp256r1", "secp384r1", "secp521r1"}) {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec(curve));
      java.security.KeyPair kp = gen.generateKeyPair();
      IdentityPublicKey pub = Keys.publicKeyFromRaw(KeyType.ECDSA, kp.getPublic().getEncoded());
      assertThat(pub.raw()).isEqualTo(kp.getPublic().getEncoded());
      java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
      s.initSign(kp.getPrivate());
      s.update(MSG);
      assertThat(pub.verify(MSG, s.sign())).as(curve).isTrue();
    }
    // And ours verify with the JDK.
    IdentityPrivateKey k = Keys.generate(KeyType.ECDSA);
    java.security.Signature v = java.security.Signature.getInstance("SHA256withECDSA");
    v.initVerify(
        java.security.KeyFactory.getInstance("EC")
            .generatePublic(new java.security.spec.X509EncodedKeySpec(k.publicKey().raw())));
    v.update(MSG);
    assertThat(v.verify(k.sign(MSG))).isTrue();
  }

  @Test
  void ecdsaRejectsUnsupportedCurvesAndBadKeys() throws Exception {
    // secp256k1 in an SPKI is not an accepted ECDSA curve.
    byte[] k1Spki =
        unhex(
            "3056301006072a8648ce3d020106052b8104000a034200"
                + "04"
                + "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
                + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
    assertThatThrownBy(() -> Keys.publicKeyFromRaw(KeyType.ECDSA, k1Spki))
        .hasMessageContaining("unsupported ECDSA curve");
    assertThatThrownBy(() -> Keys.publicKeyFromRaw(KeyType.ECDSA, new byte[] {1, 2, 3}))
        .hasMessageContaining("not DER SubjectPublicKeyInfo");
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    byte[] rsaSpki = gen.generateKeyPair().getPublic().getEncoded();
    assertThatThrownBy(() -> Keys.publicKeyFromRaw(KeyType.ECDSA, rsaSpki))
        .hasMessageContaining("id-ecPublicKey");
    IdentityPrivateKey k = Keys.generate(KeyType.ECDSA);
    byte[] enc = k.encoded();
    byte[] tampered = enc.clone();
    tampered[tampered.length - 1] ^= 1; // last byte of the embedded public point
    assertThatThrownBy(() -> Keys.decodePrivateKey(tampered))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ecSignaturesLowSOnSignAndEitherSOnVerify() throws Exception {
    for (KeyType type : new KeyType[] {KeyType.SECP256K1, KeyType.ECDSA}) {
      IdentityPrivateKey k = Keys.generate(type);
      BigInteger n =
          type == KeyType.SECP256K1
              ? Secp256k1Keys.DOMAIN.getN()
              : new BigInteger(
                  "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
      for (int i = 0; i < 8; i++) {
        byte[] msg = ("m" + i).getBytes(StandardCharsets.UTF_8);
        byte[] sig = k.sign(msg);
        assertThat(k.sign(msg)).as("RFC 6979 deterministic").isEqualTo(sig);
        ASN1Sequence seq = (ASN1Sequence) ASN1Primitive.fromByteArray(sig);
        BigInteger r = ((ASN1Integer) seq.getObjectAt(0)).getValue();
        BigInteger s = ((ASN1Integer) seq.getObjectAt(1)).getValue();
        assertThat(s.compareTo(n.shiftRight(1))).isLessThanOrEqualTo(0);
        byte[] highS =
            new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(n.subtract(s))})
                .getEncoded();
        assertThat(k.publicKey().verify(msg, highS)).isTrue();
        // BER (non-minimal length) and trailing bytes are rejected.
        byte[] trailing = java.util.Arrays.copyOf(sig, sig.length + 1);
        assertThat(k.publicKey().verify(msg, trailing)).isFalse();
        byte[] ber = new byte[sig.length + 1];
        ber[0] = 0x30;
        ber[1] = (byte) 0x81;
        ber[2] = sig[1];
        System.arraycopy(sig, 2, ber, 3, sig.length - 2);
        assertThat(k.publicKey().verify(msg, ber)).isFalse();
        byte[] zeroR =
            new DERSequence(new ASN1Integer[] {new ASN1Integer(0), new ASN1Integer(s)})
                .getEncoded();
        assertThat(k.publicKey().verify(msg, zeroR)).isFalse();
        byte[] bigS =
            new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(n.add(s))})
                .getEncoded();
        assertThat(k.publicKey().verify(msg, bigS)).isFalse();
      }
    }
  }

  @Test
  void ed25519KeyOffTheCurveDecodesButVerifiesNothing() {
    byte[] raw = null;
    for (int y = 2; raw == null; y++) {
      byte[] candidate = new byte[32];
      candidate[0] = (byte) y;
      try {
        new org.bouncycastle.crypto.params.Ed25519PublicKeyParameters(candidate, 0);
      } catch (IllegalArgumentException notAPoint) {
        raw = candidate;
      }
    }
    IdentityPublicKey pub = Keys.publicKeyFromRaw(KeyType.ED25519, raw);
    assertThat(pub.raw()).isEqualTo(raw);
    byte[] sig = Keys.generateEd25519().sign(MSG);
    assertThat(pub.verify(MSG, sig)).isFalse();
    assertThat(pub.verify(MSG, sig)).isFalse();
  }

  @Test
  void ed25519RejectsNonCanonicalSignatureLength() {
    IdentityPrivateKey k = Keys.generateEd25519();
    byte[] sig = k.sign(MSG);
    assertThat(k.publicKey().verify(MSG, java.util.Arrays.copyOf(sig, 65))).isFalse();
    assertThat(k.publicKey().verify(MSG, java.util.Arrays.copyOf(sig, 63))).isFalse();
  }
}
