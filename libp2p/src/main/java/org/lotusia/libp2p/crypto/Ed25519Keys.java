package org.lotusia.libp2p.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 keys on BouncyCastle's lightweight API (much faster than the JDK provider). Public key:
 * the 32-byte RFC 8032 encoding; decoding checks the length only, and a key whose bytes are not a
 * curve point verifies no signature. Private key Data: {@code seed || public key} (64 bytes); the
 * legacy 96-byte form {@code seed || public || public} is accepted when both public copies agree.
 */
final class Ed25519Keys {

  static final int KEY_SIZE = 32;
  static final int SIGNATURE_SIZE = 64;

  private Ed25519Keys() {}

  static IdentityPrivateKey fromSeed(byte[] seed) {
    if (seed.length != KEY_SIZE) {
      throw new IllegalArgumentException("Ed25519 seed must be 32 bytes, got " + seed.length);
    }
    return new Priv(new Ed25519PrivateKeyParameters(seed, 0));
  }

  static IdentityPrivateKey generate() {
    return new Priv(new Ed25519PrivateKeyParameters(Keys.random()));
  }

  static IdentityPublicKey decodePublic(byte[] raw) {
    if (raw.length != KEY_SIZE) {
      throw new IllegalArgumentException("Ed25519 public key must be 32 bytes, got " + raw.length);
    }
    // The point is decompressed on first verification, not here: peer IDs and handshakes decode
    // many
    // keys that are never used to verify (as in go-libp2p and js-libp2p, which also defer this
    // check).
    return new Pub(null, raw.clone());
  }

  static IdentityPrivateKey decodePrivate(byte[] data) {
    if (data.length != 64 && data.length != 96) {
      throw new IllegalArgumentException(
          "Ed25519 private key must be 64 (or legacy 96) bytes, got " + data.length);
    }
    if (data.length == 96
        && !MessageDigest.isEqual(
            Arrays.copyOfRange(data, 32, 64), Arrays.copyOfRange(data, 64, 96))) {
      throw new IllegalArgumentException(
          "legacy 96-byte Ed25519 private key has two different public keys");
    }
    Priv key = new Priv(new Ed25519PrivateKeyParameters(data, 0));
    if (!MessageDigest.isEqual(key.publicKey().raw(), Arrays.copyOfRange(data, 32, 64))) {
      throw new IllegalArgumentException(
          "Ed25519 private key's public half does not match its seed");
    }
    return key;
  }

  /** Ed25519 public key; the curve point is decoded lazily and cached. */
  static final class Pub extends AbstractPublicKey {
    private volatile Ed25519PublicKeyParameters params;
    private volatile boolean invalidPoint;

    Pub(Ed25519PublicKeyParameters params, byte[] raw) {
      super(KeyType.ED25519, raw);
      this.params = params;
    }

    /** The decoded point, or null when the bytes are not a valid curve point. */
    private Ed25519PublicKeyParameters params() {
      Ed25519PublicKeyParameters p = params;
      if (p == null && !invalidPoint) {
        try {
          p = new Ed25519PublicKeyParameters(rawRef(), 0);
          params = p;
        } catch (IllegalArgumentException e) {
          invalidPoint = true;
        }
      }
      return p;
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
      if (signature.length != SIGNATURE_SIZE) {
        return false;
      }
      Ed25519PublicKeyParameters p = params();
      return p != null
          && p.verify(Ed25519.Algorithm.Ed25519, null, data, 0, data.length, signature, 0);
    }
  }

  /** Ed25519 private key. */
  static final class Priv extends AbstractPrivateKey {
    private final Ed25519PrivateKeyParameters params;
    private final Pub publicKey;

    Priv(Ed25519PrivateKeyParameters params) {
      super(KeyType.ED25519);
      this.params = params;
      Ed25519PublicKeyParameters pub = params.generatePublicKey();
      this.publicKey = new Pub(pub, pub.getEncoded());
    }

    @Override
    public IdentityPublicKey publicKey() {
      return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
      byte[] sig = new byte[SIGNATURE_SIZE];
      // The parameters cache the public point computed in the constructor, so this does not
      // recompute it.
      params.sign(Ed25519.Algorithm.Ed25519, null, data, 0, data.length, sig, 0);
      return sig;
    }

    @Override
    public byte[] encoded() {
      byte[] data = new byte[64];
      params.encode(data, 0);
      System.arraycopy(publicKey.rawRef(), 0, data, 32, 32);
      byte[] out = KeyProtobuf.encodePrivate(KeyType.ED25519, data);
      Arrays.fill(data, (byte) 0);
      return out;
    }
  }
}
