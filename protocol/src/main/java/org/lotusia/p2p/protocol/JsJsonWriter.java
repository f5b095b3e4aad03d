package org.lotusia.p2p.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a Jackson tree exactly as JavaScript's {@code JSON.stringify} (no indentation) writes the
 * value that {@code JSON.parse} makes of it.
 *
 * <p>Rules, from ECMA-262 (SerializeJSONProperty, QuoteJSONString, OrdinaryOwnPropertyKeys):
 *
 * <ul>
 *   <li>Object keys that are array indices (canonical decimal integers 0 .. 2^32-2) come first in
 *       ascending numeric order, then the other keys in insertion order.
 *   <li>Numbers are doubles printed by {@link JsNumbers}; integers beyond 2^53 lose precision
 *       exactly as in JavaScript; non-finite numbers (for example {@code 1e400}) are written as
 *       {@code null}.
 *   <li>Strings escape {@code "} and {@code \}, use {@code \b \f \n \r \t}, write other code units
 *       below U+0020 and lone surrogates as lower-case {@code \}{@code u00xx}; everything else,
 *       including non-ASCII, U+2028 and U+2029, is written literally.
 * </ul>
 *
 * Stateless and thread-safe. Recursion depth equals the nesting depth of the tree, which the parser
 * bounds.
 */
public final class JsJsonWriter {

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final long MAX_ARRAY_INDEX = 4_294_967_294L;

  private JsJsonWriter() {}

  /**
   * Returns the {@code JSON.stringify} text of a tree.
   *
   * @param node the value; a Java {@code null} or a missing node is written as {@code null}
   * @return the JSON text
   * @throws IllegalArgumentException if the tree holds a node with no JSON form (binary or POJO
   *     nodes)
   */
  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder(128);
    write(node, out);
    return out.toString();
  }

  /**
   * Appends the {@code JSON.stringify} text of a tree.
   *
   * @param node the value; a Java {@code null} or a missing node is written as {@code null}
   * @param out where the text goes
   * @throws IllegalArgumentException if the tree holds a node with no JSON form (binary or POJO
   *     nodes)
   */
  public static void write(JsonNode node, StringBuilder out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else if (node.isTextual()) {
      writeString(node.textValue(), out);
    } else if (node.isBoolean()) {
      out.append(node.booleanValue() ? "true" : "false");
    } else if (node.isNumber()) {
      writeNumber(node, out);
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(node.get(i), out);
      }
      out.append(']');
    } else if (node.isObject()) {
      writeObject(node, out);
    } else {
      throw new IllegalArgumentException("node type " + node.getNodeType() + " has no JSON form");
    }
  }

  private static void writeObject(JsonNode node, StringBuilder out) {
    out.append('{');
    List<Map.Entry<String, JsonNode>> indexKeys = null;
    boolean first = true;
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (arrayIndex(e.getKey()) >= 0) {
        if (indexKeys == null) {
          indexKeys = new ArrayList<>();
        }
        indexKeys.add(e);
      }
    }
    if (indexKeys != null) {
      indexKeys.sort((a, b) -> Long.compare(arrayIndex(a.getKey()), arrayIndex(b.getKey())));
      for (Map.Entry<String, JsonNode> e : indexKeys) {
        first = writeMember(e, first, out);
      }
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (indexKeys == null || arrayIndex(e.getKey()) < 0) {
        first = writeMember(e, first, out);
      }
    }
    out.append('}');
  }

  private static boolean writeMember(
      Map.Entry<String, JsonNode> e, boolean first, StringBuilder out) {
    if (!first) {
      out.append(',');
    }
    writeString(e.getKey(), out);
    out.append(':');
    write(e.getValue(), out);
    return false;
  }

  /** The array index a key denotes, or -1 if it is not a canonical array index. */
  static long arrayIndex(String key) {
    int len = key.length();
    if (len == 0 || len > 10) {
      return -1;
    }
    if (len > 1 && key.charAt(0) == '0') {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < len; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v <= MAX_ARRAY_INDEX ? v : -1;
  }

  private static void writeNumber(JsonNode node, StringBuilder out) {
    if (node.canConvertToLong() && node.isIntegralNumber()) {
      long v = node.longValue();
      if (Math.abs(v) <= JsNumbers.MAX_SAFE_INTEGER) {
        out.append(v);
        return;
      }
    }
    double d;
    if (node.isBigInteger()) {
      BigInteger big = node.bigIntegerValue();
      d = big.doubleValue();
    } else {
      d = node.doubleValue();
    }
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      out.append("null");
    } else {
      out.append(JsNumbers.toJsString(d));
    }
  }

  /**
   * Appends a string as {@code JSON.stringify} quotes it (QuoteJSONString, well-formed variant).
   *
   * @param s the string
   * @param out where the quoted text goes
   */
  public static void writeString(String s, StringBuilder out) {
    out.append('"');
    int len = s.length();
    int start = 0;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      String esc = null;
      boolean unicode = false;
      if (c < 0x20) {
        switch (c) {
          case '\b' -> esc = "\\b";
          case '\t' -> esc = "\\t";
          case '\n' -> esc = "\\n";
          case '\f' -> esc = "\\f";
          case '\r' -> esc = "\\r";
          default -> unicode = true;
        }
      } else if (c == '"') {
        esc = "\\\"";
      } else if (c == '\\') {
        esc = "\\\\";
      } else if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c)
                ? i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        if (!paired) {
          unicode = true;
        }
      }
      if (esc != null || unicode) {
        out.append(s, start, i);
        if (esc != null) {
          out.append(esc);
        } else {
          out.append("\\u")
              .append(HEX[(c >> 12) & 0xF])
              .append(HEX[(c >> 8) & 0xF])
              .append(HEX[(c >> 4) & 0xF])
              .append(HEX[c & 0xF]);
        }
        start = i + 1;
      }
    }
    out.append(s, start, len);
    out.append('"');
  }
}
