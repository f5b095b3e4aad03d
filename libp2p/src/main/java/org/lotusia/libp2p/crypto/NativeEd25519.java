package org.lotusia.libp2p.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.lotusia.libp2p.internal.noise.NativeAead;

/**
 * Ed25519 (RFC 8032) on BoringSSL through Conscrypt's {@code Ed25519} signature, where the native
 * library loads ({@link NativeAead#provider()}): on an AMD EPYC it verifies in about 65 µs and
 * signs in about 20 µs, against BouncyCastle's 110 µs and 45 µs. {@link Ed25519Keys} uses it so
 * that every decision stays BouncyCastle's (see there); elsewhere BouncyCastle does all the work.
 *
 * <p>Before it is used it must sign a message exactly as BouncyCastle does (Ed25519 signatures are
 * deterministic), accept that signature and refuse a changed one; a library that does not is not
 * used. Thread-safe: each thread keeps its own {@link Signature}.
 */
final class NativeEd25519 {

  private static final NativeEd25519 INSTANCE = create();

  private final ThreadLocal<Signature> signatures;

  private NativeEd25519(Provider provider) {
    this.signatures =
        NativeAead.perThread(
            "Ed25519 signature", () -> Signature.getInstance("Ed25519", provider));
  }

  /** The native implementation, or null where the library does not load or fails its check. */
  static NativeEd25519 get() {
    return INSTANCE;
  }

  private static NativeEd25519 create() {
    Provider p = NativeAead.provider();
    if (p == null) {
      return null;
    }
    try {
      NativeEd25519 n = new NativeEd25519(p);
      return n.agreesWithBouncyCastle() ? n : null;
    } catch (RuntimeException | LinkageError | GeneralSecurityException e) {
      return null;
    }
  }

  private boolean agreesWithBouncyCastle() throws GeneralSecurityException {
    byte[] seed = new byte[Ed25519Keys.KEY_SIZE];
    Arrays.fill(seed, (byte) 0x5a);
    byte[] message = "lotus-p2p Ed25519 self-test".getBytes(StandardCharsets.UTF_8);
    Ed25519PrivateKeyParameters reference = new Ed25519PrivateKeyParameters(seed, 0);
    byte[] expected = new byte[Ed25519Keys.SIGNATURE_SIZE];
    reference.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, expected, 0);
    byte[] actual = sign(privateKey(seed), message);
    PublicKey pub = publicKey(reference.generatePublicKey().getEncoded());
    byte[] changed = actual.clone();
    changed[5] ^= 1;
    return Arrays.equals(expected, actual)
        && verify(pub, message, actual)
        && !verify(pub, message, changed);
  }

  /** BoringSSL's key for 32 raw public-key bytes; the point is not checked here. */
  PublicKey publicKey(byte[] raw) {
    return new org.conscrypt.OpenSslEdDsaPublicKey(raw);
  }

  /** BoringSSL's key for a 32-byte seed. */
  PrivateKey privateKey(byte[] seed) {
    return new org.conscrypt.OpenSslEdDsaPrivateKey(seed);
  }

  /**
   * Whether BoringSSL accepts {@code signature}: S below the group order, and the encoding of
   * [S]B - [k]A equal to R (no cofactor). False for any key or signature it cannot parse.
   */
  boolean verify(PublicKey key, byte[] data, byte[] signature) {
    Signature s = signatures.get();
    try {
      s.initVerify(key);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** The RFC 8032 signature of {@code data}. */
  byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
    Signature s = signatures.get();
    s.initSign(key);
    s.update(data);
    return s.sign();
  }
}
