package org.lotusia.libp2p.multiformats;

import java.util.Base64;

/**
 * Multibase: self-describing text encodings of binary data, one prefix character naming the base.
 *
 * <p>Supported: {@code z} base58btc, {@code b} base32 (RFC 4648 lower case, no padding; upper case
 * {@code B} is accepted when decoding), {@code f} base16 lower case ({@code F} accepted when
 * decoding), {@code u} base64url without padding, {@code m} base64 without padding and {@code k}
 * base36 lower case ({@code K} accepted when decoding). Decoding is strict: characters outside the
 * alphabet, impossible lengths and non-zero trailing bits are rejected with an {@link
 * IllegalArgumentException} naming the problem.
 *
 * <p>Stateless and thread-safe.
 */
public final class Multibase {

  /** A supported multibase, with its prefix character. */
  public enum Base {
    /** Bitcoin base58, prefix {@code z}. */
    BASE58BTC('z'),
    /** RFC 4648 base32, lower case, no padding, prefix {@code b}. */
    BASE32('b'),
    /** Hexadecimal, lower case, prefix {@code f}. */
    BASE16('f'),
    /** RFC 4648 base64url, no padding, prefix {@code u}. */
    BASE64URL('u'),
    /** RFC 4648 base64, no padding, prefix {@code m}. */
    BASE64('m'),
    /** Base36 lower case (used for IPNS names and some peer IDs), prefix {@code k}. */
    BASE36('k');

    private final char prefix;

    Base(char prefix) {
      this.prefix = prefix;
    }

    /**
     * The prefix character of this base.
     *
     * @return e.g. {@code 'z'}
     */
    public char prefix() {
      return prefix;
    }
  }

  private static final char[] B32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  // log(256)/log(36) < 1.548 and log(36)/log(256) < 0.647.
  private static final BaseN B36 =
      new BaseN("base36", "0123456789abcdefghijklmnopqrstuvwxyz", 1548, 647);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Multibase() {}

  /**
   * Encodes bytes with the given base, prefix included.
   *
   * @param base the base
   * @param data the bytes, not modified
   * @return prefix character followed by the encoded text
   */
  public static String encode(Base base, byte[] data) {
    String body =
        switch (base) {
          case BASE58BTC -> Base58Btc.encode(data);
          case BASE32 -> base32(data);
          case BASE16 -> hex(data);
          case BASE64URL -> Base64.getUrlEncoder().withoutPadding().encodeToString(data);
          case BASE64 -> Base64.getEncoder().withoutPadding().encodeToString(data);
          case BASE36 -> B36.encode(data);
        };
    return base.prefix() + body;
  }

  /**
   * The base named by the prefix of {@code text}.
   *
   * @param text multibase text
   * @return the base
   * @throws IllegalArgumentException if the text is empty or the prefix is not supported
   */
  public static Base baseOf(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty multibase string");
    }
    return switch (text.charAt(0)) {
      case 'z' -> Base.BASE58BTC;
      case 'b', 'B' -> Base.BASE32;
      case 'f', 'F' -> Base.BASE16;
      case 'u' -> Base.BASE64URL;
      case 'm' -> Base.BASE64;
      case 'k', 'K' -> Base.BASE36;
      default ->
          throw new IllegalArgumentException(
              "unsupported multibase prefix '"
                  + text.charAt(0)
                  + "' (supported: z b B f F u m k K)");
    };
  }

  /**
   * Decodes multibase text.
   *
   * @param text prefix character followed by encoded data
   * @return the decoded bytes
   * @throws IllegalArgumentException if the prefix is unsupported or the body is malformed
   */
  public static byte[] decode(String text) {
    Base base = baseOf(text);
    String body = text.substring(1);
    return switch (base) {
      case BASE58BTC -> Base58Btc.decode(body);
      case BASE32 ->
          unbase32(text.charAt(0) == 'B' ? body.toLowerCase(java.util.Locale.ROOT) : body);
      case BASE16 -> unhex(body);
      case BASE64URL -> unbase64(body, Base64.getUrlDecoder(), "base64url");
      case BASE64 -> unbase64(body, Base64.getDecoder(), "base64");
      case BASE36 ->
          B36.decode(text.charAt(0) == 'K' ? body.toLowerCase(java.util.Locale.ROOT) : body);
    };
  }

  /**
   * Lower-case hexadecimal without prefix.
   *
   * @param data bytes
   * @return hex text
   */
  public static String hex(byte[] data) {
    char[] out = new char[data.length * 2];
    for (int i = 0; i < data.length; i++) {
      out[2 * i] = HEX[(data[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[data[i] & 0xF];
    }
    return new String(out);
  }

  /**
   * Decodes hexadecimal without prefix (either case).
   *
   * @param text hex text of even length
   * @return bytes
   * @throws IllegalArgumentException on odd length or a non-hex character
   */
  public static byte[] unhex(String text) {
    if ((text.length() & 1) != 0) {
      throw new IllegalArgumentException("base16 text has odd length " + text.length());
    }
    byte[] out = new byte[text.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) ((hexDigit(text, 2 * i) << 4) | hexDigit(text, 2 * i + 1));
    }
    return out;
  }

  private static int hexDigit(String text, int index) {
    int d = Character.digit(text.charAt(index), 16);
    if (d < 0 || text.charAt(index) > 'f') {
      throw new IllegalArgumentException(
          "invalid base16 character '" + text.charAt(index) + "' at index " + index);
    }
    return d;
  }

  private static String base32(byte[] data) {
    StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        sb.append(B32[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(B32[(buffer << (5 - bits)) & 31]);
    }
    return sb.toString();
  }

  private static byte[] unbase32(String text) {
    int rem = text.length() % 8;
    if (rem == 1 || rem == 3 || rem == 6) {
      throw new IllegalArgumentException("base32 text has impossible length " + text.length());
    }
    byte[] out = new byte[text.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int pos = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int v;
      if (c >= 'a' && c <= 'z') {
        v = c - 'a';
      } else if (c >= '2' && c <= '7') {
        v = c - '2' + 26;
      } else {
        throw new IllegalArgumentException("invalid base32 character '" + c + "' at index " + i);
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out[pos++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    if ((buffer & ((1 << bits) - 1)) != 0) {
      throw new IllegalArgumentException("base32 text has non-zero trailing bits");
    }
    return out;
  }

  private static byte[] unbase64(String body, Base64.Decoder decoder, String name) {
    if (body.indexOf('=') >= 0) {
      throw new IllegalArgumentException(name + " multibase text must not be padded");
    }
    if (body.length() % 4 == 1) {
      throw new IllegalArgumentException(name + " text has impossible length " + body.length());
    }
    byte[] out;
    try {
      out = decoder.decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid " + name + " text: " + e.getMessage(), e);
    }
    // Canonical form only: re-encoding must give the same text (rejects non-zero trailing bits).
    Base64.Encoder enc = name.equals("base64url") ? Base64.getUrlEncoder() : Base64.getEncoder();
    if (!enc.withoutPadding().encodeToString(out).equals(body)) {
      throw new IllegalArgumentException(name + " text has non-zero trailing bits");
    }
    return out;
  }
}
