package org.lotusia.musig2.p2p;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.lotusia.chain.crypto.Hashes;

/**
 * lotus-sdk's session ID (reference 3.6): {@code hex(SHA256(SHA256(S[0] || ... || S[n-1]) ||
 * SHA256(message) || int64be(createdAt) || entropy16))[0:32]}, 16 bytes as 32 lower-case hex
 * characters. The 16 random bytes make IDs unpredictable; joiners adopt the announced ID. Stateless,
 * thread-safe.
 */
public final class SessionIds {

  private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{32}");

  private SessionIds() {}

  /**
   * Computes a session ID.
   *
   * @param sortedSigners the signers' 33-byte keys in sorted order
   * @param message the message being signed
   * @param createdAtMillis the creation time in ms
   * @param entropy 16 random bytes
   * @return 32 lower-case hex characters
   * @throws IllegalArgumentException if the entropy is not 16 bytes
   */
  public static String compute(
      List<byte[]> sortedSigners, byte[] message, long createdAtMillis, byte[] entropy) {
    if (entropy == null || entropy.length != 16) {
      throw new IllegalArgumentException("session ID entropy must be 16 bytes");
    }
    byte[] keys = Hashes.sha256(sortedSigners.toArray(new byte[0][]));
    byte[] time = new byte[8];
    for (int i = 0; i < 8; i++) {
      time[i] = (byte) (createdAtMillis >>> (56 - 8 * i));
    }
    byte[] digest = Hashes.sha256(keys, Hashes.sha256(message), time, entropy);
    return HexFormat.of().formatHex(digest, 0, 16);
  }

  /**
   * Computes a session ID with fresh entropy.
   *
   * @param sortedSigners the signers' keys in sorted order
   * @param message the message being signed
   * @param createdAtMillis the creation time in ms
   * @param random the entropy source
   * @return a new session ID
   */
  public static String generate(
      List<byte[]> sortedSigners, byte[] message, long createdAtMillis, SecureRandom random) {
    byte[] entropy = new byte[16];
    random.nextBytes(entropy);
    return compute(sortedSigners, message, createdAtMillis, entropy);
  }

  /**
   * @param sessionId a string
   * @return whether it has the form of an ID created here (32 lower-case hex characters); used to
   *     refuse anything else as a file name or key
   */
  public static boolean isWellFormed(String sessionId) {
    return sessionId != null && FORMAT.matcher(sessionId).matches();
  }
}
