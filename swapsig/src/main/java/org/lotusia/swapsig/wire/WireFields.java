package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Strict readers of JSON fields: every reader names the field and what it accepts when it refuses.
 * Unknown fields are ignored by the callers. Stateless.
 */
final class WireFields {

  /** Largest integer a JSON number carries exactly in JavaScript. */
  static final long MAX_SAFE = (1L << 53) - 1;

  private WireFields() {}

  static JsonNode object(JsonNode n, String what) {
    if (n == null || !n.isObject()) {
      throw new MalformedSwapSigMessageException(what + " must be a JSON object");
    }
    return n;
  }

  static String text(JsonNode n, String field, int maxLength) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new MalformedSwapSigMessageException("field '" + field + "' must be a string");
    }
    String s = v.asText();
    if (s.isEmpty() || s.length() > maxLength) {
      throw new MalformedSwapSigMessageException(
          "field '" + field + "' must be 1 to " + maxLength + " characters, got " + s.length());
    }
    return s;
  }

  static String optText(JsonNode n, String field, int maxLength) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    return text(n, field, maxLength);
  }

  /** Hex of exactly {@code bytes} bytes, returned lower case. */
  static String hex(JsonNode n, String field, int bytes) {
    String s = text(n, field, bytes * 2);
    if (s.length() != bytes * 2) {
      throw new MalformedSwapSigMessageException(
          "field '" + field + "' must be " + bytes + " bytes of hex, got " + s.length() + " characters");
    }
    return checkedHex(s, field);
  }

  /** Hex of 1 to {@code maxBytes} bytes, returned lower case. */
  static String hexUpTo(JsonNode n, String field, int maxBytes) {
    String s = text(n, field, maxBytes * 2);
    if (s.length() % 2 != 0) {
      throw new MalformedSwapSigMessageException("field '" + field + "' must be whole bytes of hex");
    }
    return checkedHex(s, field);
  }

  /** A compressed secp256k1 key: 33 bytes starting 02 or 03. */
  static String key33(JsonNode n, String field) {
    String s = hex(n, field, 33);
    if (!s.startsWith("02") && !s.startsWith("03")) {
      throw new MalformedSwapSigMessageException("field '" + field + "' must be a compressed key (02 or 03)");
    }
    return s;
  }

  private static String checkedHex(String s, String field) {
    try {
      HexFormat.of().parseHex(s);
    } catch (IllegalArgumentException e) {
      throw new MalformedSwapSigMessageException("field '" + field + "' is not hex");
    }
    return s.toLowerCase(Locale.ROOT);
  }

  static long integer(JsonNode n, String field, long min, long max) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new MalformedSwapSigMessageException("field '" + field + "' must be an integer");
    }
    long x = v.asLong();
    if (x < min || x > max) {
      throw new MalformedSwapSigMessageException(
          "field '" + field + "' must be within [" + min + ", " + max + "], got " + x);
    }
    return x;
  }

  static double decimal(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw new MalformedSwapSigMessageException("field '" + field + "' must be a finite number");
    }
    return v.asDouble();
  }

  static boolean bool(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isBoolean()) {
      throw new MalformedSwapSigMessageException("field '" + field + "' must be true or false");
    }
    return v.asBoolean();
  }

  static JsonNode array(JsonNode n, String field, int maxSize) {
    JsonNode v = n.get(field);
    if (v == null || !v.isArray()) {
      throw new MalformedSwapSigMessageException("field '" + field + "' must be an array");
    }
    if (v.size() > maxSize) {
      throw new MalformedSwapSigMessageException(
          "field '" + field + "' has " + v.size() + " entries, at most " + maxSize + " are accepted");
    }
    return v;
  }
}
