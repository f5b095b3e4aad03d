package org.lotusia.p2p.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The JSON form Node.js gives a {@code Buffer}: {@code {"type":"Buffer","data":[b0,b1,...]}} with
 * every element an integer 0..255, which is what {@code JSON.stringify} writes for a lotus-sdk
 * {@code signature} field. Stateless and thread-safe.
 */
public final class BufferJson {

  private BufferJson() {}

  /**
   * Writes {@code bytes} as a Buffer object.
   *
   * @param bytes the bytes
   * @param out where the JSON text goes
   */
  public static void write(byte[] bytes, StringBuilder out) {
    out.append("{\"type\":\"Buffer\",\"data\":[");
    for (int i = 0; i < bytes.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(bytes[i] & 0xFF);
    }
    out.append("]}");
  }

  /**
   * Decodes a Buffer-shaped node.
   *
   * @param node the field value; {@code null} or JSON null means absent
   * @param field the field's name, for the error message
   * @return the bytes, or {@code null} if absent
   * @throws MessageFormatException if the node is not a Buffer object of bytes
   */
  public static byte[] decode(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw bad(
          field,
          "must be a Buffer object {\"type\":\"Buffer\",\"data\":[...]}, got "
              + node.getNodeType().name().toLowerCase());
    }
    JsonNode type = node.get("type");
    if (type == null || !"Buffer".equals(type.textValue())) {
      throw bad(field, "must have \"type\":\"Buffer\"");
    }
    JsonNode data = node.get("data");
    if (data == null || !data.isArray()) {
      throw bad(field, "must have a \"data\" array of bytes");
    }
    byte[] out = new byte[data.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode b = data.get(i);
      if (!b.isIntegralNumber() || !b.canConvertToInt() || b.intValue() < 0 || b.intValue() > 255) {
        throw bad(
            field,
            "data["
                + i
                + "] must be an integer 0..255, got "
                + (b.isValueNode() ? b.asText() : b.getNodeType().name().toLowerCase()));
      }
      out[i] = (byte) b.intValue();
    }
    return out;
  }

  private static MessageFormatException bad(String field, String what) {
    return new MessageFormatException(DecodeFailure.INVALID_FIELD, "field '" + field + "' " + what);
  }
}
