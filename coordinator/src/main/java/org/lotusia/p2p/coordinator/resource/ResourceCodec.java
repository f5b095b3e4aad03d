package org.lotusia.p2p.coordinator.resource;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.OptionalLong;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import org.lotusia.p2p.coordinator.internal.Json;
import org.lotusia.p2p.protocol.BufferJson;
import org.lotusia.p2p.protocol.JsJsonWriter;
import org.lotusia.p2p.protocol.JsNumbers;
import org.lotusia.p2p.protocol.MessageFormatException;

/**
 * The DHT value of a resource announcement, byte for byte as lotus-sdk writes it ({@code
 * JSON.stringify} of {@code {resourceId, resourceType, creatorPeerId, data, createdAt, expiresAt,
 * signature}}, absent fields omitted, the signature as a Node {@code Buffer} object), and the key
 * scheme {@code resource:<type>:<id>}. Stateless and thread-safe.
 */
public final class ResourceCodec {

  /** Longest resource type accepted. */
  public static final int MAX_TYPE_LENGTH = 128;

  /** Longest resource ID accepted. */
  public static final int MAX_ID_LENGTH = 256;

  private static final String KEY_PREFIX = "resource:";

  private ResourceCodec() {}

  /**
   * Checks a resource type and ID given by a caller or found in a record.
   *
   * @param type the type
   * @param id the ID
   * @throws IllegalArgumentException when either is empty, too long, or contains {@code /} (js
   *     kad-dht would read {@code /} as a key namespace and refuse the record) or a control
   *     character
   */
  public static void checkTypeAndId(String type, String id) {
    checkPart(type, "resource type", MAX_TYPE_LENGTH);
    checkPart(id, "resource ID", MAX_ID_LENGTH);
  }

  private static void checkPart(String s, String what, int max) {
    if (s == null || s.isEmpty() || s.length() > max) {
      throw new IllegalArgumentException(
          what + " must have 1 to " + max + " characters, got " + (s == null ? "null" : s.length()));
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '/' || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            what + " must not contain '/' or control characters, got '" + s + "'");
      }
    }
  }

  /**
   * The DHT key string of a resource.
   *
   * @param type the type
   * @param id the ID
   * @return {@code resource:<type>:<id>}
   */
  public static String key(String type, String id) {
    return KEY_PREFIX + type + ":" + id;
  }

  /**
   * The DHT key bytes of a resource: the UTF-8 of {@link #key(String, String)}.
   *
   * @param type the type
   * @param id the ID
   * @return the key bytes
   */
  public static byte[] keyBytes(String type, String id) {
    return key(type, id).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Whether a DHT key belongs to the resource scheme.
   *
   * @param key key bytes
   * @return true when it starts with {@code resource:}
   */
  public static boolean isResourceKey(byte[] key) {
    if (key.length < KEY_PREFIX.length()) {
      return false;
    }
    for (int i = 0; i < KEY_PREFIX.length(); i++) {
      if (key[i] != KEY_PREFIX.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The JSON text of an announcement.
   *
   * @param a the announcement
   * @return the text lotus-sdk's {@code JSON.stringify} writes for it
   */
  public static String toJson(ResourceAnnouncement a) {
    StringBuilder out = new StringBuilder(256);
    out.append("{\"resourceId\":");
    JsJsonWriter.writeString(a.resourceId(), out);
    out.append(",\"resourceType\":");
    JsJsonWriter.writeString(a.resourceType(), out);
    out.append(",\"creatorPeerId\":");
    JsJsonWriter.writeString(a.creatorPeerId(), out);
    out.append(",\"data\":");
    JsJsonWriter.write(a.data(), out);
    out.append(",\"createdAt\":").append(JsNumbers.toJsString(a.createdAt()));
    if (a.expiresAt().isPresent()) {
      out.append(",\"expiresAt\":").append(JsNumbers.toJsString(a.expiresAt().getAsLong()));
    }
    byte[] sig = a.signature();
    if (sig != null) {
      out.append(",\"signature\":");
      BufferJson.write(sig, out);
    }
    return out.append('}').toString();
  }

  /**
   * The UTF-8 bytes of {@link #toJson(ResourceAnnouncement)}: the DHT record value.
   *
   * @param a the announcement
   * @return the value
   */
  public static byte[] encode(ResourceAnnouncement a) {
    return toJson(a).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses a record value. The result is not authenticated yet (see {@link ResourceSigner}).
   *
   * @param value the UTF-8 JSON
   * @return the announcement, {@code authenticated} false
   * @throws IllegalArgumentException saying which field is missing or malformed
   */
  public static ResourceAnnouncement decode(byte[] value) {
    return fromTree(Json.parse(value, "resource record"));
  }

  /**
   * Reads an announcement from a parsed JSON object.
   *
   * @param root the object
   * @return the announcement, {@code authenticated} false
   * @throws IllegalArgumentException saying which field is missing or malformed
   */
  public static ResourceAnnouncement fromTree(JsonNode root) {
    if (!root.isObject()) {
      throw new IllegalArgumentException("resource record must be a JSON object");
    }
    String id = text(root, "resourceId");
    String type = text(root, "resourceType");
    checkTypeAndId(type, id);
    String creator = text(root, "creatorPeerId");
    JsonNode data = root.get("data");
    if (data == null) {
      throw new IllegalArgumentException("resource record has no 'data'");
    }
    // Kept as the JS peer that signed it holds it: 2.0 and 2 are one value there, so one here.
    data = Json.jsValue(data, "resource record data");
    long createdAt = millis(root.get("createdAt"), "createdAt");
    JsonNode exp = root.get("expiresAt");
    OptionalLong expiresAt =
        exp == null || exp.isNull() ? OptionalLong.empty() : OptionalLong.of(millis(exp, "expiresAt"));
    return new ResourceAnnouncement(
        id, type, creator, data, createdAt, expiresAt, signature(root.get("signature")), false);
  }

  private static byte[] signature(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      try {
        return HexFormat.of().parseHex(node.textValue());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("resource record 'signature' is not hex", e);
      }
    }
    try {
      return BufferJson.decode(node, "signature");
    } catch (MessageFormatException e) {
      throw new IllegalArgumentException("resource record " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
      throw new IllegalArgumentException("resource record needs a non-empty string '" + field + "'");
    }
    return v.textValue();
  }

  private static long millis(JsonNode v, String field) {
    if (v == null || !v.isNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException(
          "resource record needs a number of milliseconds in '" + field + "'");
    }
    double d = v.doubleValue();
    long l = v.longValue();
    if (d != l || l < 0 || l > JsNumbers.MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException(
          "resource record '" + field + "' must be a whole number of milliseconds, got " + v);
    }
    return l;
  }
}
