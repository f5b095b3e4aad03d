package org.lotusia.libp2p;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.lotusia.libp2p.multiformats.Multibase;
import org.lotusia.libp2p.multiformats.Varint;

/**
 * Text and binary codecs of multiaddr component values. Errors are {@link
 * IllegalArgumentException}s whose message names the kind of value and the offending text, e.g.
 * {@code port 'abc' (expected 0 to 65535)}; {@link Multiaddr} adds the protocol and the whole
 * address.
 */
final class MultiaddrValues {

  /** Longest name value (DNS names are at most 253 characters). */
  static final int MAX_NAME_BYTES = 255;

  private MultiaddrValues() {}

  static byte[] toBytes(MultiaddrProtocol p, String text) {
    return switch (p.kind()) {
      case NONE -> new byte[0];
      case IP4 -> Ip.parse4(text);
      case IP6 -> Ip.parse6(text);
      case PORT -> {
        int port = parseDecimal(text, 65535, "port");
        yield new byte[] {(byte) (port >>> 8), (byte) port};
      }
      case BYTE -> new byte[] {(byte) parseDecimal(text, 255, "value")};
      case NAME -> {
        checkName(text);
        yield text.getBytes(StandardCharsets.UTF_8);
      }
      case PEER_ID -> PeerId.parse(text).toBytes();
      case CERTHASH -> {
        byte[] mh;
        try {
          mh = Multibase.decode(text);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "certificate hash '" + text + "' (" + e.getMessage() + ")", e);
        }
        checkMultihashShape(mh);
        yield mh;
      }
    };
  }

  /**
   * The canonical text of a value given as text; for peer IDs this avoids a second base58 encoding
   * because a parsed base58 peer ID keeps its text.
   */
  static String canonical(MultiaddrProtocol p, String text) {
    if (p.kind() == MultiaddrProtocol.ValueKind.PEER_ID) {
      return PeerId.parse(text).toBase58();
    }
    return toText(p, toBytes(p, text));
  }

  static String toText(MultiaddrProtocol p, byte[] value) {
    return switch (p.kind()) {
      case NONE -> "";
      case IP4 -> Ip.format4(value);
      case IP6 -> Ip.format6(value);
      case PORT -> Integer.toString(((value[0] & 0xFF) << 8) | (value[1] & 0xFF));
      case BYTE -> Integer.toString(value[0] & 0xFF);
      case NAME -> {
        String s;
        try {
          s =
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT)
                  .decode(ByteBuffer.wrap(value))
                  .toString();
        } catch (CharacterCodingException e) {
          throw new IllegalArgumentException("name is not valid UTF-8", e);
        }
        checkName(s);
        yield s;
      }
      case PEER_ID -> PeerId.fromBytes(value).toBase58();
      case CERTHASH -> {
        checkMultihashShape(value);
        yield Multibase.encode(Multibase.Base.BASE64URL, value);
      }
    };
  }

  private static int parseDecimal(String text, int max, String what) {
    boolean digits = !text.isEmpty() && text.length() <= 5;
    for (int i = 0; digits && i < text.length(); i++) {
      digits = text.charAt(i) >= '0' && text.charAt(i) <= '9';
    }
    int v = digits ? Integer.parseInt(text) : -1;
    if (v < 0 || v > max) {
      throw new IllegalArgumentException(what + " '" + text + "' (expected 0 to " + max + ")");
    }
    return v;
  }

  private static void checkName(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("name is empty");
    }
    if (s.indexOf('/') >= 0) {
      throw new IllegalArgumentException("name '" + s + "' contains '/'");
    }
    if (s.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "name of " + s.length() + " characters is longer than " + MAX_NAME_BYTES + " bytes");
    }
  }

  /** A multihash of any function: varint code, varint length, exactly that many digest bytes. */
  private static void checkMultihashShape(byte[] mh) {
    try {
      Varint.Decoded code = Varint.decode(mh, 0);
      Varint.Decoded len = Varint.decode(mh, code.length());
      if (len.value() != mh.length - code.length() - len.length()) {
        throw new IllegalArgumentException(
            "digest length "
                + len.value()
                + " does not match the "
                + (mh.length - code.length() - len.length())
                + " bytes present");
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "certificate hash is not a multihash (" + e.getMessage() + ")", e);
    }
  }

  /** IPv4 and IPv6 text forms without name resolution. */
  static final class Ip {

    private Ip() {}

    static byte[] parse4(String text) {
      byte[] out = new byte[4];
      String[] parts = text.split("\\.", -1);
      if (parts.length != 4) {
        throw bad4(text);
      }
      for (int i = 0; i < 4; i++) {
        String part = parts[i];
        if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
          throw bad4(text);
        }
        int v = 0;
        for (int j = 0; j < part.length(); j++) {
          char c = part.charAt(j);
          if (c < '0' || c > '9') {
            throw bad4(text);
          }
          v = v * 10 + (c - '0');
        }
        if (v > 255) {
          throw bad4(text);
        }
        out[i] = (byte) v;
      }
      return out;
    }

    private static IllegalArgumentException bad4(String text) {
      return new IllegalArgumentException(
          "address '" + text + "' (expected dotted-decimal IPv4 a.b.c.d)");
    }

    static String format4(byte[] b) {
      return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
    }

    static byte[] parse6(String text) {
      String s = text;
      int[] tail4 = null;
      int lastColon = s.lastIndexOf(':');
      if (lastColon >= 0 && s.indexOf('.', lastColon) > 0) {
        byte[] v4;
        try {
          v4 = parse4(s.substring(lastColon + 1));
        } catch (IllegalArgumentException e) {
          throw bad6(text);
        }
        tail4 =
            new int[] {
              ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF), ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF)
            };
        s = s.substring(0, lastColon + 1) + "0:0";
      }
      int dc = s.indexOf("::");
      if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
        throw bad6(text);
      }
      int[] head = groups(dc >= 0 ? s.substring(0, dc) : s, text);
      int[] tail = dc >= 0 ? groups(s.substring(dc + 2), text) : new int[0];
      int total = head.length + tail.length;
      if ((dc < 0 && total != 8) || (dc >= 0 && total > 7)) {
        throw bad6(text);
      }
      int[] all = new int[8];
      System.arraycopy(head, 0, all, 0, head.length);
      System.arraycopy(tail, 0, all, 8 - tail.length, tail.length);
      if (tail4 != null) {
        all[6] = tail4[0];
        all[7] = tail4[1];
      }
      byte[] out = new byte[16];
      for (int i = 0; i < 8; i++) {
        out[2 * i] = (byte) (all[i] >>> 8);
        out[2 * i + 1] = (byte) all[i];
      }
      return out;
    }

    private static int[] groups(String s, String text) {
      if (s.isEmpty()) {
        return new int[0];
      }
      String[] parts = s.split(":", -1);
      if (parts.length > 8) {
        throw bad6(text);
      }
      int[] out = new int[parts.length];
      for (int i = 0; i < parts.length; i++) {
        String g = parts[i];
        if (g.isEmpty() || g.length() > 4) {
          throw bad6(text);
        }
        int v = 0;
        for (int j = 0; j < g.length(); j++) {
          int d = Character.digit(g.charAt(j), 16);
          if (d < 0 || g.charAt(j) > 'f') {
            throw bad6(text);
          }
          v = (v << 4) | d;
        }
        out[i] = v;
      }
      return out;
    }

    private static IllegalArgumentException bad6(String text) {
      return new IllegalArgumentException("address '" + text + "' (expected an IPv6 address)");
    }

    /** RFC 5952 canonical text; IPv4-mapped addresses print as {@code ::ffff:a.b.c.d}. */
    static String format6(byte[] b) {
      boolean mapped = b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = b[i] == 0;
      }
      if (mapped) {
        return "::ffff:"
            + (b[12] & 0xFF)
            + "."
            + (b[13] & 0xFF)
            + "."
            + (b[14] & 0xFF)
            + "."
            + (b[15] & 0xFF);
      }
      int[] g = new int[8];
      for (int i = 0; i < 8; i++) {
        g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
      }
      int bestStart = -1;
      int bestLen = 1;
      for (int i = 0; i < 8; ) {
        if (g[i] != 0) {
          i++;
          continue;
        }
        int j = i;
        while (j < 8 && g[j] == 0) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      }
      StringBuilder sb = new StringBuilder(39);
      for (int i = 0; i < 8; i++) {
        if (i == bestStart) {
          sb.append("::");
          i += bestLen - 1;
          continue;
        }
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
          sb.append(':');
        }
        sb.append(Integer.toHexString(g[i]));
      }
      return sb.toString();
    }
  }
}
