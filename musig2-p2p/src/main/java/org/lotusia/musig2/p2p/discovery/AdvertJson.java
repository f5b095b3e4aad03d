package org.lotusia.musig2.p2p.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.musig2.p2p.wire.MalformedMessageException;
import org.lotusia.musig2.p2p.wire.WireJson;
import org.lotusia.p2p.protocol.JsJsonWriter;
import org.lotusia.p2p.protocol.JsNumbers;

/**
 * Shared pieces of lotus-sdk's discovery adverts: the {@code peerInfo} object, string lists, and
 * the signed digest of {@code dht-advertiser.ts} ({@code SHA256(peerId || JSON(multiaddrs) ||
 * protocol || JSON(capabilities) || String(createdAt) || String(expiresAt) ||
 * JSON(customCriteria))}, reference 3.15). That digest concatenates without separators; it is kept
 * because lotus-sdk nodes verify it, and the receivers here compensate by checking that every
 * field outside it agrees with one inside it. Stateless.
 */
final class AdvertJson {

  static final int MAX_LIST = 32;
  static final int MAX_ITEM = 256;

  private AdvertJson() {}

  static ObjectNode peerInfo(String peerId, List<String> multiaddrs) {
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    p.put("peerId", peerId);
    p.set("multiaddrs", strings(multiaddrs));
    return p;
  }

  static ArrayNode strings(List<String> values) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    values.forEach(a::add);
    return a;
  }

  static List<String> readStrings(JsonNode o, String field) {
    JsonNode arr = WireJson.array(o, field, MAX_LIST);
    List<String> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      JsonNode v = arr.get(i);
      if (!v.isTextual() || v.textValue().length() > MAX_ITEM) {
        throw new MalformedMessageException(
            field + "[" + i + "]", "expected a string of at most " + MAX_ITEM + " characters");
      }
      out.add(v.textValue());
    }
    return out;
  }

  static byte[] digest(
      String peerId,
      List<String> multiaddrs,
      String protocol,
      List<String> capabilities,
      long createdAt,
      long expiresAt,
      ObjectNode customCriteria) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, peerId);
    write(out, JsJsonWriter.write(strings(multiaddrs)));
    write(out, protocol);
    write(out, JsJsonWriter.write(strings(capabilities)));
    write(out, JsNumbers.toJsString(createdAt));
    write(out, JsNumbers.toJsString(expiresAt));
    if (customCriteria != null) {
      write(out, JsJsonWriter.write(customCriteria));
    }
    return Hashes.sha256(out.toByteArray());
  }

  private static void write(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
  }

  /** lotus-sdk's ID: {@code prefix + hex(SHA256(utf8(prefix + data)))[0:32]}. */
  static String id(String prefix, String data) {
    byte[] h = Hashes.sha256((prefix + data).getBytes(StandardCharsets.UTF_8));
    return prefix + WireJson.hexOf(h).substring(0, 32);
  }

  static ObjectNode optionalObject(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw new MalformedMessageException(field, "expected an object, got " + WireJson.typeName(v));
    }
    return (ObjectNode) v.deepCopy();
  }
}
