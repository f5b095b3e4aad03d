package org.lotusia.chain.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;

/** Hash helpers: SHA-256 (JDK), double SHA-256, RIPEMD-160 and HASH160. Stateless, thread-safe. */
public final class Hashes {

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 unavailable", e);
            }
          });

  private Hashes() {}

  /** SHA-256 of the concatenation of the parts. */
  public static byte[] sha256(byte[]... parts) {
    MessageDigest md = SHA256.get();
    md.reset();
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  /** SHA-256 of a slice. */
  public static byte[] sha256(byte[] data, int offset, int length) {
    MessageDigest md = SHA256.get();
    md.reset();
    md.update(data, offset, length);
    return md.digest();
  }

  /** SHA-256(SHA-256(concatenation of the parts)). */
  public static byte[] sha256d(byte[]... parts) {
    byte[] first = sha256(parts);
    MessageDigest md = SHA256.get();
    md.reset();
    return md.digest(first);
  }

  /** RIPEMD-160 of the data (BouncyCastle; the JDK has none). */
  public static byte[] ripemd160(byte[] data) {
    RIPEMD160Digest d = new RIPEMD160Digest();
    d.update(data, 0, data.length);
    byte[] out = new byte[20];
    d.doFinal(out, 0);
    return out;
  }

  /** HASH160 = RIPEMD-160(SHA-256(data)), the P2PKH/P2SH payload. */
  public static byte[] hash160(byte[] data) {
    return ripemd160(sha256(data));
  }
}
