package org.lotusia.p2p.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the JSON form Node.js gives a {@code Buffer}: {@code {"type":"Buffer","data":[b0,b1,...]}}
 * with every element an integer 0..255. Stateless and thread-safe.
 */
final class BufferJson {

  private BufferJson() {}

  /**
   * Decodes a Buffer-shaped node.
   *
   * @param node the field value; {@code null} or JSON null means absent
   * @return the bytes, or {@code null} if absent
   * @throws MessageFormatException if the node is not a Buffer object of bytes
   */
  static byte[] decode(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw bad(
          "must be a Buffer object {\"type\":\"Buffer\",\"data\":[...]}, got "
              + node.getNodeType().name().toLowerCase());
    }
    JsonNode type = node.get("type");
    if (type == null || !"Buffer".equals(type.textValue())) {
      throw bad("must have \"type\":\"Buffer\"");
    }
    JsonNode data = node.get("data");
    if (data == null || !data.isArray()) {
      throw bad("must have a \"data\" array of bytes");
    }
    byte[] out = new byte[data.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode b = data.get(i);
      if (!b.isIntegralNumber() || !b.canConvertToInt() || b.intValue() < 0 || b.intValue() > 255) {
        throw bad(
            "data["
                + i
                + "] must be an integer 0..255, got "
                + (b.isValueNode() ? b.asText() : b.getNodeType().name().toLowerCase()));
      }
      out[i] = (byte) b.intValue();
    }
    return out;
  }

  private static MessageFormatException bad(String what) {
    return new MessageFormatException(DecodeFailure.INVALID_FIELD, "field 'signature' " + what);
  }
}
