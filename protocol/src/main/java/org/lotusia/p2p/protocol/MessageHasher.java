package org.lotusia.p2p.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * lotus-sdk's de-duplication hash of a message: HMAC-SHA256 with the ASCII key {@value #KEY} over
 * UTF8(type) ‖ UTF8(from) ‖ UTF8(to or "") ‖ UTF8(messageId), with no separators.
 *
 * <p>The payload, timestamp and signature are not hashed, and the missing separators make
 * ("ab","c") and ("a","bc") collide; both are kept for compatibility because a lotus-sdk receiver
 * de-duplicates with exactly this value. Thread-safe: each thread uses its own {@link Mac}.
 */
public final class MessageHasher {

  /** The HMAC key lotus-sdk uses, as ASCII. */
  public static final String KEY = "lotus-lib-p2p-message-hash-key";

  private static final SecretKeySpec KEY_SPEC =
      new SecretKeySpec(KEY.getBytes(StandardCharsets.US_ASCII), "HmacSHA256");

  private static final ThreadLocal<Mac> MACS =
      ThreadLocal.withInitial(
          () -> {
            try {
              Mac mac = Mac.getInstance("HmacSHA256");
              mac.init(KEY_SPEC);
              return mac;
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
            }
          });

  private MessageHasher() {}

  /**
   * The 32-byte hash of a message.
   *
   * @param m the message; absent {@code type}, {@code from} or {@code messageId} hash as empty
   *     strings
   * @return the HMAC-SHA256 value
   */
  public static byte[] hashBytes(P2PMessage m) {
    Mac mac = MACS.get();
    update(mac, m.type());
    update(mac, m.from());
    update(mac, m.to());
    update(mac, m.messageId());
    return mac.doFinal();
  }

  /**
   * The hash as lower-case hex, like lotus-sdk's {@code computeMessageHash}.
   *
   * @param m the message
   * @return 64 hex characters
   */
  public static String hashHex(P2PMessage m) {
    return HexFormat.of().formatHex(hashBytes(m));
  }

  private static void update(Mac mac, String s) {
    if (s != null && !s.isEmpty()) {
      mac.update(nodeUtf8(s));
    }
  }

  /**
   * UTF-8 as Node's {@code Buffer.from(s, 'utf8')} encodes it: a lone surrogate becomes U+FFFD (EF
   * BF BD), where the JDK would write '?'.
   */
  static byte[] nodeUtf8(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        StringBuilder fixed = new StringBuilder(s.length());
        for (int j = 0; j < s.length(); j++) {
          char c = s.charAt(j);
          if (Character.isHighSurrogate(c)
              && j + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(j + 1))) {
            fixed.append(c).append(s.charAt(++j));
          } else {
            fixed.append(Character.isSurrogate(c) ? '\uFFFD' : c);
          }
        }
        return fixed.toString().getBytes(StandardCharsets.UTF_8);
      }
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
