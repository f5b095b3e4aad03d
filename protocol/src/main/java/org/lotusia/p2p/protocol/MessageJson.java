package org.lotusia.p2p.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;

/**
 * The JSON text of a {@link P2PMessage}, byte for byte as lotus-sdk writes it and read back as
 * lotus-sdk reads it.
 *
 * <p>Writing: the fields in lotus-sdk's order, absent ones omitted, values as {@code
 * JSON.stringify} writes them ({@link JsJsonWriter}); the signature as a Node {@code Buffer} object
 * {@code {"type":"Buffer","data":[1,2,3]}}, which is what a lotus-sdk node writes for a {@code
 * Buffer}.
 *
 * <p>Reading: UTF-8 with malformed sequences replaced by U+FFFD (like Node's {@code
 * buffer.toString()}), then one strict JSON text (no trailing data, no comments, no byte-order
 * mark, duplicate keys: last wins in the first key's position). Nesting is limited to {@value
 * #MAX_NESTING_DEPTH} levels and numbers to {@value #MAX_NUMBER_LENGTH} characters. Unknown fields
 * are ignored. JSON {@code null} in {@code to}, {@code signature} or {@code protocol} is treated as
 * absent. Thread-safe.
 */
public final class MessageJson {

  /** Deepest nesting of arrays and objects accepted in a message. */
  public static final int MAX_NESTING_DEPTH = 200;

  /** Longest number literal accepted (bounds the cost of big-number parsing). */
  public static final int MAX_NUMBER_LENGTH = 400;

  static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .build());
  }

  private MessageJson() {}

  /**
   * The JSON text of a message.
   *
   * @param m the message
   * @return the text {@code JSON.stringify} would produce for the same message in lotus-sdk
   */
  public static String toJson(P2PMessage m) {
    StringBuilder out = new StringBuilder(256);
    out.append('{');
    boolean first = true;
    first = stringField(out, first, "type", m.type());
    first = stringField(out, first, "from", m.from());
    first = stringField(out, first, "to", m.to());
    if (m.payload() != null && !m.payload().isMissingNode()) {
      first = name(out, first, "payload");
      JsJsonWriter.write(m.payload(), out);
    }
    first = name(out, first, "timestamp");
    out.append(JsNumbers.toJsString(m.timestamp()));
    first = stringField(out, first, "messageId", m.messageId());
    byte[] sig = m.signatureUnsafe();
    if (sig != null) {
      first = name(out, first, "signature");
      BufferJson.write(sig, out);
    }
    stringField(out, first, "protocol", m.protocol());
    out.append('}');
    return out.toString();
  }

  /**
   * The UTF-8 bytes of {@link #toJson(P2PMessage)}.
   *
   * @param m the message
   * @return the bytes lotus-sdk's {@code serialize} would produce
   */
  public static byte[] toBytes(P2PMessage m) {
    return toJson(m).getBytes(StandardCharsets.UTF_8);
  }

  private static boolean stringField(StringBuilder out, boolean first, String name, String value) {
    if (value == null) {
      return first;
    }
    name(out, first, name);
    JsJsonWriter.writeString(value, out);
    return false;
  }

  private static boolean name(StringBuilder out, boolean first, String name) {
    if (!first) {
      out.append(',');
    }
    out.append('"').append(name).append("\":");
    return false;
  }

  /**
   * Parses message bytes. Does not check sizes or validate required fields (see {@link
   * P2PProtocol}).
   *
   * @param data buffer holding the bytes
   * @param offset start of the message in {@code data}
   * @param length number of bytes
   * @return the message
   * @throws MessageFormatException if the bytes are empty, not one JSON object, or a known field
   *     has the wrong type
   */
  public static P2PMessage parse(byte[] data, int offset, int length) {
    if (length == 0) {
      throw new MessageFormatException(DecodeFailure.EMPTY, "message is empty (0 bytes)");
    }
    String text = new String(data, offset, length, StandardCharsets.UTF_8);
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new MessageFormatException(
          DecodeFailure.MALFORMED_JSON, "message is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new MessageFormatException(DecodeFailure.MALFORMED_JSON, "message holds no JSON value");
    }
    if (!root.isObject()) {
      throw new MessageFormatException(
          DecodeFailure.NOT_AN_OBJECT,
          "message must be a JSON object, got " + root.getNodeType().name().toLowerCase());
    }
    return fromTree(root);
  }

  /**
   * Converts a parsed JSON object into a message.
   *
   * @param root a JSON object; the message takes ownership of its {@code payload} subtree
   * @return the message
   * @throws MessageFormatException if a known field has the wrong type
   */
  public static P2PMessage fromTree(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new MessageFormatException(
          DecodeFailure.NOT_AN_OBJECT, "message must be a JSON object");
    }
    JsonNode payload = root.get("payload");
    return new P2PMessage(
        string(root, "type"),
        string(root, "from"),
        string(root, "to"),
        payload,
        timestamp(root.get("timestamp")),
        string(root, "messageId"),
        BufferJson.decode(root.get("signature"), "signature"),
        string(root, "protocol"));
  }

  private static String string(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new MessageFormatException(
          DecodeFailure.INVALID_FIELD,
          "field '" + field + "' must be a string, got " + v.getNodeType().name().toLowerCase());
    }
    return v.textValue();
  }

  private static long timestamp(JsonNode v) {
    if (v == null || v.isNull()) {
      return 0;
    }
    if (!v.isNumber()) {
      throw new MessageFormatException(
          DecodeFailure.INVALID_FIELD,
          "field 'timestamp' must be a number, got " + v.getNodeType().name().toLowerCase());
    }
    double d = v.isIntegralNumber() && v.canConvertToLong() ? v.longValue() : v.doubleValue();
    if (d != Math.rint(d) || Math.abs(d) > JsNumbers.MAX_SAFE_INTEGER) {
      throw new MessageFormatException(
          DecodeFailure.INVALID_FIELD,
          "field 'timestamp' must be an integer of at most 2^53-1 milliseconds, got " + v.asText());
    }
    return (long) d;
  }
}
