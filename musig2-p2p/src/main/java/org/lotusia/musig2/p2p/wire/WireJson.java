package org.lotusia.musig2.p2p.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Strict readers of the JSON fields of MuSig2 payloads, announcements and discovery adverts, and
 * the bounded parser for JSON received as text. Every reader throws {@link
 * MalformedMessageException} naming the field and saying what is accepted. Hex is accepted in
 * either case (lotus-sdk validators do) and always written in lower case. Stateless, thread-safe.
 */
public final class WireJson {

  /** Deepest nesting accepted in JSON received as text (payload strings, topic messages). */
  public static final int MAX_NESTING_DEPTH = 32;

  /** Largest JavaScript safe integer: timestamps and counters above it are refused. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(64)
                .maxStringLength(1_000_000)
                .build());
  }

  private static final HexFormat HEX = HexFormat.of();

  private WireJson() {}

  /**
   * @return a new empty JSON object (insertion-ordered)
   */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /**
   * Parses one JSON object from UTF-8 bytes.
   *
   * @param data the bytes
   * @param maxBytes the largest accepted input
   * @param what what is being parsed, for the error message
   * @return the object
   * @throws MalformedMessageException if the input is too large, not JSON, or not an object
   */
  public static ObjectNode parseObject(byte[] data, int maxBytes, String what) {
    if (data.length > maxBytes) {
      throw new MalformedMessageException(
          what, data.length + " bytes exceed the limit of " + maxBytes + " bytes");
    }
    return parseObject(new String(data, StandardCharsets.UTF_8), what);
  }

  /**
   * Parses one JSON object from text (for example a payload that a lotus-sdk node sent as a JSON
   * string).
   *
   * @param text the JSON text
   * @param what what is being parsed, for the error message
   * @return the object
   * @throws MalformedMessageException if the text is not one JSON object within the limits
   */
  public static ObjectNode parseObject(String text, String what) {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new MalformedMessageException(what, "not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new MalformedMessageException(
          what,
          "expected a JSON object, got " + (root == null ? "nothing" : typeName(root)));
    }
    return (ObjectNode) root;
  }

  /**
   * @param node a JSON value
   * @return its type in lower case, for error messages
   */
  public static String typeName(JsonNode node) {
    return node == null ? "nothing" : node.getNodeType().name().toLowerCase();
  }

  /**
   * @return the required value of {@code field}
   */
  static JsonNode required(JsonNode obj, String field) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      throw new MalformedMessageException(field, "required field is missing");
    }
    return v;
  }

  /**
   * Reads a required string field.
   *
   * @param obj the object
   * @param field the field name
   * @param maxLength the longest accepted value in characters
   * @return the value, non-empty
   * @throws MalformedMessageException if absent, not a string, empty or too long
   */
  public static String text(JsonNode obj, String field, int maxLength) {
    JsonNode v = required(obj, field);
    if (!v.isTextual()) {
      throw new MalformedMessageException(field, "expected a string, got " + typeName(v));
    }
    String s = v.textValue();
    if (s.isEmpty()) {
      throw new MalformedMessageException(field, "must not be empty");
    }
    if (s.length() > maxLength) {
      throw new MalformedMessageException(
          field, "is " + s.length() + " characters, more than the limit of " + maxLength);
    }
    return s;
  }

  /**
   * Reads an optional string field.
   *
   * @return the value, or {@code null} when absent or JSON null
   * @throws MalformedMessageException if present but not a string or too long
   */
  public static String optionalText(JsonNode obj, String field, int maxLength) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new MalformedMessageException(field, "expected a string, got " + typeName(v));
    }
    if (v.textValue().length() > maxLength) {
      throw new MalformedMessageException(
          field,
          "is " + v.textValue().length() + " characters, more than the limit of " + maxLength);
    }
    return v.textValue();
  }

  /**
   * Reads a required hex field of an exact byte length.
   *
   * @param obj the object
   * @param field the field name
   * @param bytes the required decoded length
   * @return the decoded bytes
   * @throws MalformedMessageException if absent, not a string, not hex, or of another length
   */
  public static byte[] hex(JsonNode obj, String field, int bytes) {
    JsonNode v = required(obj, field);
    if (!v.isTextual()) {
      throw new MalformedMessageException(
          field, "expected a hex string of " + bytes + " bytes, got " + typeName(v));
    }
    return hexValue(v.textValue(), field, bytes);
  }

  /**
   * Decodes a hex string of an exact byte length.
   *
   * @param s the text
   * @param field the field name for errors
   * @param bytes the required decoded length
   * @return the decoded bytes
   * @throws MalformedMessageException if not hex or of another length
   */
  public static byte[] hexValue(String s, String field, int bytes) {
    if (s.length() != 2 * bytes) {
      throw new MalformedMessageException(
          field,
          "expected "
              + (2 * bytes)
              + " hex characters ("
              + bytes
              + " bytes), got "
              + s.length());
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!ok) {
        throw new MalformedMessageException(
            field, "invalid hex character '" + c + "' at position " + i);
      }
    }
    return HEX.parseHex(s);
  }

  /**
   * Reads a required 33-byte compressed public key (prefix 02 or 03). Uncompressed 65-byte keys,
   * which lotus-sdk accepts and which change the key-aggregation hashes (reference 6.1 C9), are
   * refused.
   *
   * @return the 33 bytes
   * @throws MalformedMessageException if absent, malformed, or not a compressed encoding
   */
  public static byte[] publicKey(JsonNode obj, String field) {
    return publicKeyValue(required(obj, field), field);
  }

  /**
   * @param v a JSON value that should hold a compressed public key in hex
   * @param field the field name for errors
   * @return the 33 bytes
   */
  public static byte[] publicKeyValue(JsonNode v, String field) {
    if (!v.isTextual()) {
      throw new MalformedMessageException(
          field, "expected a 33-byte compressed public key in hex, got " + typeName(v));
    }
    byte[] k = hexValue(v.textValue(), field, 33);
    if (k[0] != 2 && k[0] != 3) {
      throw new MalformedMessageException(
          field, "a compressed public key starts with 02 or 03, got " + hexOf(new byte[] {k[0]}));
    }
    return k;
  }

  /**
   * Reads a required non-negative integer.
   *
   * @param obj the object
   * @param field the field name
   * @param max the largest accepted value
   * @return the value
   * @throws MalformedMessageException if absent, not an integral number, negative or above max
   */
  public static long integer(JsonNode obj, String field, long max) {
    return integerValue(required(obj, field), field, max);
  }

  /**
   * @return the value of an optional integer field, or {@code null}
   */
  public static Long optionalInteger(JsonNode obj, String field, long max) {
    JsonNode v = obj.get(field);
    return v == null || v.isNull() ? null : integerValue(v, field, max);
  }

  private static long integerValue(JsonNode v, String field, long max) {
    if (!v.isNumber()) {
      throw new MalformedMessageException(field, "expected a number, got " + typeName(v));
    }
    double d = v.isIntegralNumber() && v.canConvertToLong() ? v.longValue() : v.doubleValue();
    if (d != Math.rint(d) || d < 0 || d > max) {
      throw new MalformedMessageException(
          field, "expected an integer in [0, " + max + "], got " + v.asText());
    }
    return (long) d;
  }

  /**
   * Reads a required signer index (a JSON integer below 2^31).
   *
   * @return the index
   */
  public static int index(JsonNode obj, String field) {
    return (int) integer(obj, field, Integer.MAX_VALUE);
  }

  /**
   * Reads a required millisecond timestamp (a JSON integer up to 2^53-1).
   *
   * @return the timestamp
   */
  public static long timestamp(JsonNode obj, String field) {
    return integer(obj, field, MAX_SAFE_INTEGER);
  }

  /**
   * Reads a required boolean.
   *
   * @return the value
   */
  public static boolean bool(JsonNode obj, String field) {
    JsonNode v = required(obj, field);
    if (!v.isBoolean()) {
      throw new MalformedMessageException(field, "expected true or false, got " + typeName(v));
    }
    return v.booleanValue();
  }

  /**
   * Reads a required JSON object.
   *
   * @return the object
   */
  public static JsonNode object(JsonNode obj, String field) {
    JsonNode v = required(obj, field);
    if (!v.isObject()) {
      throw new MalformedMessageException(field, "expected an object, got " + typeName(v));
    }
    return v;
  }

  /**
   * Reads a required JSON array with a bounded number of elements.
   *
   * @return the array
   */
  public static JsonNode array(JsonNode obj, String field, int maxElements) {
    JsonNode v = required(obj, field);
    if (!v.isArray()) {
      throw new MalformedMessageException(field, "expected an array, got " + typeName(v));
    }
    if (v.size() > maxElements) {
      throw new MalformedMessageException(
          field, v.size() + " elements exceed the limit of " + maxElements);
    }
    return v;
  }

  /**
   * @param bytes bytes
   * @return lower-case hex
   */
  public static String hexOf(byte[] bytes) {
    return HEX.formatHex(bytes);
  }
}
