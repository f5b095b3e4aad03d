package org.lotusia.chain.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lotus (Bitcoin-ABC 2019) Schnorr signatures over secp256k1; not BIP340.
 *
 * <ul>
 *   <li>Public key: 33-byte compressed point P. Signature: {@code r(32) || s(32)}.
 *   <li>Challenge {@code e = int(SHA256(r || P33 || m)) mod n} (untagged).
 *   <li>Signing: {@code k} from RFC 6979 with additional data {@code "Schnorr+SHA256 "}; if the
 *       Jacobi symbol of {@code R.y} is not 1, {@code k = n - k}; {@code s = k + e*d mod n}.
 *   <li>Verification: {@code r < p}, {@code s < n}, {@code R = s*G - e*P} is finite, has a square y
 *       and {@code R.x == r}.
 * </ul>
 *
 * <p>The 32-byte message is used as given (big-endian, never reversed). Thread-safe (stateless).
 */
public final class LotusSchnorr {

  /** The RFC 6979 additional data, 16 ASCII bytes with two trailing spaces. */
  private static final byte[] ALGO16 = "Schnorr+SHA256  ".getBytes(StandardCharsets.US_ASCII);

  private LotusSchnorr() {}

  /** Signs with the default provider. @see #sign(Secp256k1Provider, BigInteger, byte[]) */
  public static byte[] sign(BigInteger secretKey, byte[] msg32) {
    return sign(Secp256k1.defaultProvider(), secretKey, msg32);
  }

  /** Signs with a 32-byte secret key and the default provider. */
  public static byte[] sign(byte[] secretKey32, byte[] msg32) {
    return sign(Secp256k1.defaultProvider(), Secp256k1.secretKey(secretKey32), msg32);
  }

  /**
   * Creates a deterministic 64-byte Lotus Schnorr signature.
   *
   * @throws IllegalArgumentException if the key is out of range or the message is not 32 bytes
   */
  public static byte[] sign(Secp256k1Provider provider, BigInteger secretKey, byte[] msg32) {
    Secp256k1.checkSecretKey(secretKey);
    return sign(provider, secretKey, provider.mulG(secretKey).encodeCompressed(), msg32);
  }

  /**
   * Signs when the caller already has the compressed public key of {@code secretKey} (saves one
   * multiplication). The key pair is not re-checked: a wrong {@code pubkey33} gives an invalid
   * signature.
   *
   * @throws IllegalArgumentException if the key is out of range, the public key is not 33 bytes or
   *     the message is not 32 bytes
   */
  public static byte[] sign(
      Secp256k1Provider provider, BigInteger secretKey, byte[] pubkey33, byte[] msg32) {
    Secp256k1.checkSecretKey(secretKey);
    checkMsg(msg32);
    if (pubkey33 == null || pubkey33.length != 33) {
      throw new IllegalArgumentException("public key must be 33 bytes");
    }
    byte[] d32 = Secp256k1.toBytes32(secretKey);
    byte[] pub = pubkey33;
    // k is in [1, n-1], so R = kG is never infinity; one RFC 6979 candidate always suffices.
    BigInteger k = new Rfc6979(d32, msg32, ALGO16).next();
    EcPoint r = provider.mulG(k);
    if (!r.hasSquareY()) {
      k = Secp256k1.N.subtract(k);
    }
    byte[] rx = r.xOnly();
    BigInteger e = challenge(rx, pub, msg32);
    BigInteger s = k.add(e.multiply(secretKey)).mod(Secp256k1.N);
    byte[] sig = new byte[64];
    System.arraycopy(rx, 0, sig, 0, 32);
    System.arraycopy(Secp256k1.toBytes32(s), 0, sig, 32, 32);
    return sig;
  }

  /** Verifies with the default provider; a malformed public key gives false. */
  public static boolean verify(byte[] sig64, byte[] pubkey33, byte[] msg32) {
    EcPoint p;
    try {
      p = Secp256k1.defaultProvider().decode(pubkey33);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return verify(Secp256k1.defaultProvider(), sig64, p, msg32);
  }

  /** Verifies with the default provider. */
  public static boolean verify(byte[] sig64, EcPoint pubkey, byte[] msg32) {
    return verify(Secp256k1.defaultProvider(), sig64, pubkey, msg32);
  }

  /**
   * Verifies a 64-byte Lotus Schnorr signature. Never throws for bad input: returns false.
   *
   * @param pubkey the signer's key; its compressed encoding enters the challenge
   */
  public static boolean verify(
      Secp256k1Provider provider, byte[] sig64, EcPoint pubkey, byte[] msg32) {
    if (sig64 == null
        || sig64.length != 64
        || msg32 == null
        || msg32.length != 32
        || pubkey == null
        || pubkey.isInfinity()) {
      return false;
    }
    byte[] rBytes = Arrays.copyOfRange(sig64, 0, 32);
    BigInteger r = new BigInteger(1, rBytes);
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig64, 32, 64));
    if (r.compareTo(Secp256k1.P) >= 0 || s.compareTo(Secp256k1.N) >= 0) {
      return false;
    }
    BigInteger e = challenge(rBytes, pubkey.encodeCompressed(), msg32);
    BigInteger negE = e.signum() == 0 ? BigInteger.ZERO : Secp256k1.N.subtract(e);
    if (provider instanceof BouncyCastleSecp256k1) {
      return SchnorrFastCheck.check(
          ((BouncyCastleSecp256k1) provider).mulAddRaw(s, negE, pubkey), r);
    }
    EcPoint rp = provider.mulAdd(s, negE, pubkey);
    return !rp.isInfinity() && rp.hasSquareY() && rp.x().equals(r);
  }

  /** The challenge {@code int(SHA256(rx32 || pubkey33 || msg32)) mod n}. */
  public static BigInteger challenge(byte[] rx32, byte[] pubkey33, byte[] msg32) {
    return new BigInteger(1, Hashes.sha256(rx32, pubkey33, msg32)).mod(Secp256k1.N);
  }

  private static void checkMsg(byte[] msg32) {
    if (msg32 == null || msg32.length != 32) {
      throw new IllegalArgumentException(
          "message must be 32 bytes, got " + (msg32 == null ? "null" : msg32.length));
    }
  }
}
