package org.lotusia.libp2p.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 keys. Public key: the 32-byte RFC 8032 encoding; decoding checks the length only, and a
 * key whose bytes are not a curve point verifies no signature. Private key Data: {@code seed ||
 * public key} (64 bytes); the legacy 96-byte form {@code seed || public || public} is accepted when
 * both public copies agree.
 *
 * <p>Which signatures verify is BouncyCastle's decision on every platform: the public key a
 * canonical encoding of a point of more than small order, S below the group order, R a canonical
 * point, and the verification equation holding up to the cofactor (RFC 8032 section 5.1.7 allows
 * either form). Where BoringSSL loads ({@link NativeEd25519}) it signs (the same bytes: Ed25519 is
 * deterministic) and verifies first, because it is faster. It checks the equation exactly, without
 * the cofactor, and so accepts a subset of what BouncyCastle accepts once the keys BouncyCastle
 * refuses are filtered out by their bytes ({@link #strictKeyEncoding}). A signature BoringSSL
 * accepts is therefore valid, and one it refuses goes to BouncyCastle for the decision: only
 * invalid signatures, and those that hold only up to a small-order component (which no honest
 * signer makes), pay for both.
 */
final class Ed25519Keys {

  static final int KEY_SIZE = 32;
  static final int SIGNATURE_SIZE = 64;

  /** p = 2^255 - 19, the field's prime. */
  private static final BigInteger P =
      BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

  /**
   * The y coordinates of all small-order points: the neutral element (1), order 2 (p - 1), order 4
   * (0) and order 8 (a root of d·y^4 + 2·y^2 - 1 and its negation).
   */
  private static final Set<BigInteger> SMALL_ORDER_Y;

  static {
    BigInteger order8 =
        new BigInteger("7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7", 16);
    SMALL_ORDER_Y =
        Set.of(
            BigInteger.ZERO,
            BigInteger.ONE,
            P.subtract(BigInteger.ONE),
            order8,
            P.subtract(order8));
  }

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
    // many keys that are never used to verify (as in go-libp2p and js-libp2p, which also defer
    // this check).
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

  /**
   * Whether {@code a} (32 bytes) passes the checks BouncyCastle applies to a public key's bytes
   * before it decodes them: y below p (canonical) and not the y of a small-order point. The sign
   * bit of x plays no part: the points with x = 0 have y = 1 or y = p - 1, both of small order.
   */
  static boolean strictKeyEncoding(byte[] a) {
    byte[] bigEndian = new byte[KEY_SIZE];
    for (int i = 0; i < KEY_SIZE; i++) {
      bigEndian[i] = a[KEY_SIZE - 1 - i];
    }
    bigEndian[0] &= 0x7f;
    BigInteger y = new BigInteger(1, bigEndian);
    return y.compareTo(P) < 0 && !SMALL_ORDER_Y.contains(y);
  }

  /** Ed25519 public key; the curve point and the native key are made lazily and cached. */
  static final class Pub extends AbstractPublicKey {
    private volatile Ed25519PublicKeyParameters params;
    private volatile boolean invalidPoint;
    private volatile PublicKey nativeKey;

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
      NativeEd25519 nat = NativeEd25519.get();
      if (nat != null && strictKeyEncoding(rawRef())) {
        PublicKey k = nativeKey;
        if (k == null) {
          k = nat.publicKey(rawRef());
          nativeKey = k;
        }
        if (nat.verify(k, data, signature)) {
          return true;
        }
      }
      return verifyBouncyCastle(data, signature);
    }

    /** BouncyCastle's decision alone, whatever is loaded; tests compare the two. */
    boolean verifyBouncyCastle(byte[] data, byte[] signature) {
      Ed25519PublicKeyParameters p = params();
      return p != null
          && signature.length == SIGNATURE_SIZE
          && p.verify(Ed25519.Algorithm.Ed25519, null, data, 0, data.length, signature, 0);
    }
  }

  /** Ed25519 private key. */
  static final class Priv extends AbstractPrivateKey {
    private final Ed25519PrivateKeyParameters params;
    private final Pub publicKey;
    private final PrivateKey nativeKey;

    Priv(Ed25519PrivateKeyParameters params) {
      super(KeyType.ED25519);
      this.params = params;
      Ed25519PublicKeyParameters pub = params.generatePublicKey();
      this.publicKey = new Pub(pub, pub.getEncoded());
      NativeEd25519 nat = NativeEd25519.get();
      if (nat == null) {
        this.nativeKey = null;
      } else {
        byte[] seed = new byte[KEY_SIZE];
        params.encode(seed, 0);
        this.nativeKey = nat.privateKey(seed);
        Arrays.fill(seed, (byte) 0);
      }
    }

    @Override
    public IdentityPublicKey publicKey() {
      return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
      if (nativeKey != null) {
        try {
          return NativeEd25519.get().sign(nativeKey, data);
        } catch (GeneralSecurityException | RuntimeException e) {
          // BouncyCastle signs below: the same bytes.
        }
      }
      return signBouncyCastle(data);
    }

    /** BouncyCastle's signature alone, whatever is loaded; tests compare the two. */
    byte[] signBouncyCastle(byte[] data) {
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
