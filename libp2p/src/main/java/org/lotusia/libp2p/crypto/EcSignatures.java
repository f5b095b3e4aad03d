package org.lotusia.libp2p.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA over SHA-256 with DER-encoded signatures, shared by secp256k1 and the NIST curves. Signing
 * uses deterministic nonces (RFC 6979) and produces low-S signatures (BIP 62); verification
 * requires strict DER and accepts either S.
 */
final class EcSignatures {

  /** Longest DER signature on the supported curves (P-521: 2 x 67-byte integers plus headers). */
  private static final int MAX_SIGNATURE_LENGTH = 160;

  private EcSignatures() {}

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  static byte[] sign(ECDomainParameters domain, BigInteger d, byte[] data) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, domain));
    BigInteger[] rs = signer.generateSignature(sha256(data));
    BigInteger s = rs[1];
    BigInteger n = domain.getN();
    if (s.compareTo(n.shiftRight(1)) > 0) {
      s = n.subtract(s);
    }
    try {
      return new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(s)})
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding failed", e);
    }
  }

  static boolean verify(ECDomainParameters domain, ECPoint q, byte[] data, byte[] signature) {
    BigInteger[] rs = parseDer(signature);
    if (rs == null) {
      return false;
    }
    BigInteger n = domain.getN();
    for (BigInteger v : rs) {
      if (v.signum() <= 0 || v.compareTo(n) >= 0) {
        return false;
      }
    }
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(q, domain));
    return verifier.verifySignature(sha256(data), rs[0], rs[1]);
  }

  /** Verifies a fixed-width {@code r || s} signature (IEEE P1363 form, as WebCrypto produces). */
  static boolean verifyRaw(ECDomainParameters domain, ECPoint q, byte[] data, byte[] signature) {
    int width = (domain.getN().bitLength() + 7) / 8;
    if (signature.length != 2 * width) {
      return false;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, width));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, width, 2 * width));
    BigInteger n = domain.getN();
    if (r.signum() <= 0 || r.compareTo(n) >= 0 || s.signum() <= 0 || s.compareTo(n) >= 0) {
      return false;
    }
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(q, domain));
    return verifier.verifySignature(sha256(data), r, s);
  }

  /** Parses {@code SEQUENCE { INTEGER r, INTEGER s }} in strict DER, or returns null. */
  private static BigInteger[] parseDer(byte[] signature) {
    if (signature.length < 8 || signature.length > MAX_SIGNATURE_LENGTH) {
      return null;
    }
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(signature);
      if (!(p instanceof ASN1Sequence seq)
          || seq.size() != 2
          || !(seq.getObjectAt(0) instanceof ASN1Integer r)
          || !(seq.getObjectAt(1) instanceof ASN1Integer s)) {
        return null;
      }
      // Only the canonical DER form is accepted (no BER lengths, no padded integers, no trailing
      // data).
      if (!Arrays.equals(p.getEncoded(ASN1Encoding.DER), signature)) {
        return null;
      }
      return new BigInteger[] {r.getValue(), s.getValue()};
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Decodes a point and checks it is a valid, non-infinity point of the curve. */
  static ECPoint decodePoint(ECDomainParameters domain, byte[] encoded, String what) {
    ECPoint q;
    try {
      q = domain.getCurve().decodePoint(encoded).normalize();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(
          what + " is not a valid curve point: " + e.getMessage(), e);
    }
    if (q.isInfinity() || !q.isValid()) {
      throw new IllegalArgumentException(what + " is not a valid curve point");
    }
    return q;
  }

  /** Checks 1 <= d < n. */
  static void checkScalar(ECDomainParameters domain, BigInteger d, String what) {
    if (d.signum() <= 0 || d.compareTo(domain.getN()) >= 0) {
      throw new IllegalArgumentException(what + " private scalar out of range [1, n-1]");
    }
  }
}
