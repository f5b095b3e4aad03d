package org.lotusia.p2p.coordinator.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.lotusia.p2p.protocol.JsJsonWriter;

/**
 * The message an advertisement signature covers, byte for byte as lotus-sdk builds it (reference
 * section 5.3): the UTF-8 concatenation, without separators, of {@code peerInfo.peerId}, {@code
 * JSON.stringify(peerInfo.multiaddrs)}, {@code protocol}, {@code JSON.stringify(capabilities)},
 * {@code String(createdAt)}, {@code String(expiresAt)} and, when present, {@code
 * JSON.stringify(customCriteria)} (member order as received; numbers and strings as JavaScript
 * writes them, see {@link JsJsonWriter}). Stateless.
 */
final class SignedMessage {

  private SignedMessage() {}

  static byte[] of(
      String peerId,
      List<String> multiaddrs,
      String protocol,
      List<String> capabilities,
      long createdAt,
      long expiresAt,
      ObjectNode customCriteria) {
    StringBuilder sb = new StringBuilder(256);
    sb.append(peerId);
    stringArray(multiaddrs, sb);
    sb.append(protocol);
    stringArray(capabilities, sb);
    // String(n) of an integer below 2^53 is its plain decimal form, as Long.toString writes it.
    sb.append(createdAt);
    sb.append(expiresAt);
    if (customCriteria != null) {
      JsJsonWriter.write(customCriteria, sb);
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void stringArray(List<String> values, StringBuilder sb) {
    sb.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      JsJsonWriter.writeString(values.get(i), sb);
    }
    sb.append(']');
  }
}
