package org.lotusia.p2p.coordinator.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.p2p.coordinator.internal.Json;
import org.lotusia.p2p.protocol.JsJsonWriter;
import org.lotusia.p2p.protocol.JsNumbers;

/**
 * The transport JSON of an advertisement, exactly as lotus-sdk's {@code serializeForTransport}
 * writes it and its {@code deserializeFromTransport} reads it (reference section 5.2): every field
 * of the advertisement, with {@code signature} as 128 lower-case hex digits and {@code
 * peerInfo.publicKey}, top-level {@code publicKey} and {@code creatorPublicKey} as the hex of the
 * 33-byte compressed key. For example:
 *
 * <pre>{@code
 * {"id":"ad-1","protocol":"my-protocol","peerInfo":{"peerId":"12D3KooW...","multiaddrs":["/ip4/..."],
 *  "publicKey":"0279be66...f81798"},"capabilities":["signing"],"signature":"21b7...10aa",
 *  "createdAt":1795235653467,"expiresAt":1795237453467,"reputation":80}
 * }</pre>
 *
 * <p>Reading is strict: every field has its JSON type, the required ones are present, hex is
 * well-formed (either case) and keys are valid points, times are integers from 0 to 2^53-1, and
 * the {@link AdvertisementLimits} hold; a violation gives an {@link IllegalArgumentException}
 * naming the field. JSON {@code null} reads as absent for optional members (JavaScript writes
 * neither {@code undefined} nor, in practice, {@code null}). Unknown top-level and {@code peerInfo}
 * members are kept and written back. Stateless and thread-safe.
 */
public final class AdvertisementJson {

  private static final HexFormat HEX = HexFormat.of();

  private AdvertisementJson() {}

  /**
   * The UTF-8 transport JSON of an advertisement, as {@code JSON.stringify} writes it.
   *
   * @param ad the advertisement
   * @return the bytes published on GossipSub
   */
  public static byte[] write(DiscoveryAdvertisement ad) {
    return JsJsonWriter.write(toTree(ad)).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The transport JSON of an advertisement as a tree (the DHT resource data).
   *
   * @param ad the advertisement
   * @return a new tree the caller owns
   */
  public static ObjectNode toTree(DiscoveryAdvertisement ad) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    o.put("id", ad.id());
    o.put("protocol", ad.protocol());
    ObjectNode pi = o.putObject("peerInfo");
    pi.put("peerId", ad.peerInfo().peerId());
    ArrayNode addrs = pi.putArray("multiaddrs");
    ad.peerInfo().multiaddrs().forEach(addrs::add);
    ad.peerInfo().publicKey().ifPresent(k -> pi.put("publicKey", hex(k)));
    pi.setAll(ad.peerInfo().extraView().deepCopy());
    ArrayNode caps = o.putArray("capabilities");
    ad.capabilities().forEach(caps::add);
    o.put("signature", HEX.formatHex(ad.signatureView()));
    o.put("createdAt", ad.createdAt());
    o.put("expiresAt", ad.expiresAt());
    o.put("reputation", ad.reputation());
    if (ad.metadataView() != null) {
      o.set("metadata", ad.metadataView().deepCopy());
    }
    if (ad.customCriteriaView() != null) {
      o.set("customCriteria", ad.customCriteriaView().deepCopy());
    }
    ad.location()
        .ifPresent(
            l -> o.putObject("location").put("latitude", l.latitude()).put("longitude", l.longitude()));
    o.setAll(ad.extensionsView().deepCopy());
    ad.publicKey().ifPresent(k -> o.put("publicKey", hex(k)));
    ad.creatorPublicKey().ifPresent(k -> o.put("creatorPublicKey", hex(k)));
    return o;
  }

  /**
   * Reads a transport JSON text.
   *
   * @param bytes UTF-8 JSON
   * @param limits the bounds
   * @return the advertisement (not yet verified)
   * @throws IllegalArgumentException saying what is wrong
   */
  public static DiscoveryAdvertisement read(byte[] bytes, AdvertisementLimits limits) {
    if (bytes.length > limits.maxBytes()) {
      throw new IllegalArgumentException(
          "advertisement is " + bytes.length + " bytes, the limit is " + limits.maxBytes());
    }
    return fromTree(Json.parse(bytes, "advertisement"), limits);
  }

  /**
   * Reads a transport JSON tree.
   *
   * @param node the tree
   * @param limits the bounds (the size bound applies to the tree written as JSON)
   * @return the advertisement (not yet verified)
   * @throws IllegalArgumentException saying what is wrong
   */
  public static DiscoveryAdvertisement fromTree(JsonNode node, AdvertisementLimits limits) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("advertisement must be a JSON object");
    }
    byte[] written = JsJsonWriter.write(node).getBytes(StandardCharsets.UTF_8);
    int size = written.length;
    if (size > limits.maxBytes()) {
      throw new IllegalArgumentException(
          "advertisement is " + size + " bytes, the limit is " + limits.maxBytes());
    }
    // Read as the JS peer that signed it holds it: 10.000 and 10 are one value there, so one here.
    node = Json.parse(written, "advertisement");
    DiscoveryAdvertisement.Builder b = DiscoveryAdvertisement.builder();
    b.id(Checks.text(string(node, "id"), limits.maxIdLength(), "id"));
    b.protocol(Checks.protocol(string(node, "protocol"), "protocol"));
    b.peerInfo(peerInfo(required(node, "peerInfo"), limits));
    b.capabilities(
        strings(required(node, "capabilities"), "capabilities", limits.maxCapabilities(), limits.maxCapabilityLength()));
    JsonNode sig = node.get("signature");
    if (sig == null || sig.isNull()) {
      throw new IllegalArgumentException("signature is missing (unsigned advertisements are refused)");
    }
    b.signature(hexBytes(sig, "signature", DiscoveryAdvertisement.SIGNATURE_LENGTH));
    b.createdAt(time(node, "createdAt"));
    b.expiresAt(time(node, "expiresAt"));
    JsonNode rep = required(node, "reputation");
    if (!rep.isNumber() || !Double.isFinite(rep.doubleValue())) {
      throw new IllegalArgumentException("reputation must be a finite number");
    }
    b.reputation(rep.doubleValue());
    b.metadata(object(node, "metadata"));
    b.customCriteria(object(node, "customCriteria"));
    optional(node, "location").ifPresent(l -> b.location(location(l)));
    optional(node, "publicKey").ifPresent(k -> b.publicKey(key(k, "publicKey")));
    optional(node, "creatorPublicKey").ifPresent(k -> b.creatorPublicKey(key(k, "creatorPublicKey")));
    ObjectNode ext = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!DiscoveryAdvertisement.RESERVED.contains(e.getKey())) {
        ext.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    b.extensions(ext);
    return b.build();
  }

  private static DiscoveryPeerInfo peerInfo(JsonNode pi, AdvertisementLimits limits) {
    if (!pi.isObject()) {
      throw new IllegalArgumentException("peerInfo must be a JSON object");
    }
    // A peer ID text is at most a few dozen characters; 128 leaves room for any key type.
    String peerId = Checks.text(string(pi, "peerId", "peerInfo.peerId"), 128, "peerInfo.peerId");
    List<String> addrs =
        strings(required(pi, "multiaddrs", "peerInfo.multiaddrs"), "peerInfo.multiaddrs",
            limits.maxMultiaddrs(), limits.maxMultiaddrLength());
    if (addrs.isEmpty()) {
      throw new IllegalArgumentException("peerInfo.multiaddrs must hold at least one address");
    }
    for (String a : addrs) {
      if (a.charAt(0) != '/') {
        throw new IllegalArgumentException("peerInfo.multiaddrs entry '" + a + "' does not start with /");
      }
    }
    EcPoint key = optional(pi, "publicKey").map(k -> key(k, "peerInfo.publicKey")).orElse(null);
    ObjectNode extra = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : pi.properties()) {
      if (!DiscoveryPeerInfo.RESERVED.contains(e.getKey())) {
        extra.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return new DiscoveryPeerInfo(peerId, addrs, Optional.ofNullable(key), extra);
  }

  private static GeoLocation location(JsonNode l) {
    if (!l.isObject()) {
      throw new IllegalArgumentException("location must be a JSON object");
    }
    for (Iterator<String> it = l.fieldNames(); it.hasNext(); ) {
      String n = it.next();
      if (!n.equals("latitude") && !n.equals("longitude")) {
        throw new IllegalArgumentException(
            "location has the unknown member '" + n + "' (accepted: latitude, longitude)");
      }
    }
    JsonNode lat = l.get("latitude");
    JsonNode lon = l.get("longitude");
    if (lat == null || !lat.isNumber() || lon == null || !lon.isNumber()) {
      throw new IllegalArgumentException("location needs numeric latitude and longitude");
    }
    try {
      return new GeoLocation(lat.doubleValue(), lon.doubleValue());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("location: " + e.getMessage(), e);
    }
  }

  private static JsonNode required(JsonNode o, String name) {
    return required(o, name, name);
  }

  private static JsonNode required(JsonNode o, String name, String what) {
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(what + " is missing");
    }
    return v;
  }

  private static Optional<JsonNode> optional(JsonNode o, String name) {
    JsonNode v = o.get(name);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  private static String string(JsonNode o, String name) {
    return string(o, name, name);
  }

  private static String string(JsonNode o, String name, String what) {
    JsonNode v = required(o, name, what);
    if (!v.isTextual()) {
      throw new IllegalArgumentException(what + " must be a string");
    }
    return v.textValue();
  }

  private static List<String> strings(JsonNode arr, String what, int maxCount, int maxLength) {
    if (!arr.isArray()) {
      throw new IllegalArgumentException(what + " must be an array of strings");
    }
    if (arr.size() > maxCount) {
      throw new IllegalArgumentException(
          what + " holds " + arr.size() + " entries, the limit is " + maxCount);
    }
    List<String> out = new ArrayList<>(arr.size());
    for (JsonNode e : arr) {
      if (!e.isTextual()) {
        throw new IllegalArgumentException(what + " must be an array of strings");
      }
      out.add(Checks.text(e.textValue(), maxLength, what + " entry"));
    }
    return out;
  }

  private static ObjectNode object(JsonNode o, String name) {
    Optional<JsonNode> v = optional(o, name);
    if (v.isEmpty()) {
      return null;
    }
    if (!v.get().isObject()) {
      throw new IllegalArgumentException(name + " must be a JSON object");
    }
    return (ObjectNode) v.get();
  }

  private static long time(JsonNode o, String name) {
    JsonNode v = required(o, name);
    double d = v.isNumber() ? v.doubleValue() : Double.NaN;
    if (!(d >= 0 && d <= JsNumbers.MAX_SAFE_INTEGER) || d != Math.rint(d)) {
      throw new IllegalArgumentException(
          name + " must be an integer number of ms from 0 to 2^53-1, got " + v);
    }
    return (long) d;
  }

  private static byte[] hexBytes(JsonNode v, String what, int length) {
    if (!v.isTextual()) {
      throw new IllegalArgumentException(what + " must be a hex string");
    }
    String s = v.textValue();
    if (s.length() != 2 * length) {
      throw new IllegalArgumentException(
          what + " must be " + 2 * length + " hex digits (" + length + " bytes), got " + s.length());
    }
    try {
      return HEX.parseHex(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not hex: " + e.getMessage(), e);
    }
  }

  private static EcPoint key(JsonNode v, String what) {
    byte[] bytes = hexBytes(v, what, 33);
    if (bytes[0] != 2 && bytes[0] != 3) {
      throw new IllegalArgumentException(what + " must be a compressed key starting with 02 or 03");
    }
    try {
      return Secp256k1.defaultProvider().decode(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not a valid secp256k1 key: " + e.getMessage(), e);
    }
  }

  /**
   * The hex of a key's compressed encoding.
   *
   * @param key the key
   * @return 66 lower-case hex digits
   */
  public static String hex(EcPoint key) {
    return HEX.formatHex(key.encodeCompressed());
  }

  /**
   * Reads a key given as the hex of its compressed encoding.
   *
   * @param hex 66 hex digits
   * @return the key
   * @throws IllegalArgumentException when the text is not a valid compressed key
   */
  public static EcPoint parseKey(String hex) {
    return key(JsonNodeFactory.instance.textNode(hex), "public key");
  }
}
