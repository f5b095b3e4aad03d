package org.lotusia.chain.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * RFC 6979 section 3.2 deterministic nonce generator (HMAC-SHA256) for secp256k1, with optional
 * additional data appended to the seed ({@code x || h1 || extra}), as libsecp256k1's {@code
 * nonce_function_rfc6979} does.
 *
 * <p>Not thread-safe: one instance per signature (the HMAC engine is reused per thread).
 */
final class Rfc6979 {

  private static final ThreadLocal<HMac> HMAC =
      ThreadLocal.withInitial(() -> new HMac(new SHA256Digest()));

  private final HMac mac = HMAC.get();
  private byte[] k = new byte[32];
  private byte[] v = new byte[32];
  private boolean first = true;

  /**
   * @param key32 secret key, 32 bytes big-endian
   * @param msg32 message hash, 32 bytes
   * @param extra additional data (may be null)
   */
  Rfc6979(byte[] key32, byte[] msg32, byte[] extra) {
    Arrays.fill(v, (byte) 0x01);
    k = hmac(k, v, new byte[] {0x00}, key32, msg32, extra);
    v = hmac(k, v);
    k = hmac(k, v, new byte[] {0x01}, key32, msg32, extra);
    v = hmac(k, v);
  }

  /** Next candidate nonce in [1, n-1] (the RFC 6979 retry loop). */
  BigInteger next() {
    while (true) {
      if (!first) {
        k = hmac(k, v, new byte[] {0x00});
        v = hmac(k, v);
      }
      first = false;
      v = hmac(k, v);
      BigInteger candidate = new BigInteger(1, v);
      if (candidate.signum() > 0 && candidate.compareTo(Secp256k1.N) < 0) {
        return candidate;
      }
    }
  }

  private byte[] hmac(byte[] key, byte[]... parts) {
    mac.init(new KeyParameter(key));
    for (byte[] p : parts) {
      if (p != null) {
        mac.update(p, 0, p.length);
      }
    }
    byte[] out = new byte[32];
    mac.doFinal(out, 0);
    return out;
  }
}
