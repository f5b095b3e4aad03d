package org.lotusia.musig2.p2p.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.lotusia.musig2.p2p.wire.MalformedMessageException;
import org.lotusia.musig2.p2p.wire.WireJson;

/**
 * A signing request (lotus-sdk {@code MuSig2SigningRequestAdvertisement}, reference 3.15): a
 * creator asks the holders of a set of keys to sign a message, published on {@value #TOPIC} and
 * stored as the DHT resource {@code discovery:advertisement}. Wire, lotus-sdk's order: {@code
 * {"id","requestId","protocol":"musig2-request","peerInfo","requiredPublicKeys","messageHash",
 * "creatorPeerId","creatorPublicKey","requestMetadata"?,"creatorSignature","capabilities",
 * "createdAt","expiresAt","reputation","signature","customCriteria":{"requiredPublicKeys",
 * "messageHash"}}}.
 *
 * <p>{@code creatorPublicKey} is the key that signs the request and must be one of the required
 * keys; lotus-sdk writes {@code requiredPublicKeys[0]} there whoever the creator is (reference 6.2
 * P17), so its requests verify only when the creator happens to be first. {@code creatorSignature}
 * is lotus-sdk's unused field, written as an empty Node Buffer and ignored on input. Immutable.
 *
 * @param requestId {@code "musig2:request:" + hex(SHA256("musig2:request:" + messageHash +
 *     sortedKeys.join(":") + createdAt))[0:32]} (also the {@code id})
 * @param peerId the requesting peer
 * @param multiaddrs its addresses
 * @param requiredPublicKeys every key that must sign (n-of-n)
 * @param messageHash the 32-byte hash of what is to be signed
 * @param creatorPublicKey the creator's key, one of the required keys, which signs the request
 * @param requestMetadata free-form metadata, or null (not covered by the signature)
 * @param createdAt creation time in ms
 * @param expiresAt expiry in ms
 * @param reputation lotus-sdk's reputation field (50 when created)
 * @param signature the 64-byte signature, or null before signing
 * @param customCriteria the signed criteria object
 */
public record SigningRequest(
    String requestId,
    String peerId,
    List<String> multiaddrs,
    List<byte[]> requiredPublicKeys,
    byte[] messageHash,
    byte[] creatorPublicKey,
    ObjectNode requestMetadata,
    long createdAt,
    long expiresAt,
    long reputation,
    byte[] signature,
    ObjectNode customCriteria) {

  /** lotus-sdk's topic of signing requests. */
  public static final String TOPIC = "lotus/discovery/musig2-request";

  /** The {@code protocol} field of signing requests. */
  public static final String PROTOCOL = "musig2-request";

  /** ID prefix. */
  public static final String ID_PREFIX = "musig2:request:";

  /** The capabilities lotus-sdk writes. */
  public static final List<String> CAPABILITIES = List.of("musig2-signing-request");

  /** Copies the mutable parts. */
  public SigningRequest {
    multiaddrs = List.copyOf(multiaddrs);
    List<byte[]> keys = new ArrayList<>();
    for (byte[] k : requiredPublicKeys) {
      keys.add(k.clone());
    }
    requiredPublicKeys = List.copyOf(keys);
    messageHash = messageHash.clone();
    creatorPublicKey = creatorPublicKey.clone();
    requestMetadata = requestMetadata == null ? null : requestMetadata.deepCopy();
    signature = signature == null ? null : signature.clone();
    customCriteria = customCriteria == null ? null : customCriteria.deepCopy();
  }

  /**
   * @return a copy of the {@code requiredPublicKeys} component (null when absent)
   */
  @Override
  public List<byte[]> requiredPublicKeys() {
    List<byte[]> out = new ArrayList<>();
    for (byte[] k : requiredPublicKeys) {
      out.add(k.clone());
    }
    return out;
  }

  /**
   * @return a copy of the {@code messageHash} component (null when absent)
   */
  @Override
  public byte[] messageHash() {
    return messageHash.clone();
  }

  /**
   * @return a copy of the {@code creatorPublicKey} component (null when absent)
   */
  @Override
  public byte[] creatorPublicKey() {
    return creatorPublicKey.clone();
  }

  /**
   * @return a copy of the {@code signature} component (null when absent)
   */
  @Override
  public byte[] signature() {
    return signature == null ? null : signature.clone();
  }

  /**
   * @return a copy of the {@code requestMetadata} component (null when absent)
   */
  @Override
  public ObjectNode requestMetadata() {
    return requestMetadata == null ? null : requestMetadata.deepCopy();
  }

  /**
   * @return a copy of the {@code customCriteria} component (null when absent)
   */
  @Override
  public ObjectNode customCriteria() {
    return customCriteria == null ? null : customCriteria.deepCopy();
  }

  /**
   * @param publicKey a key
   * @return whether it is one of the required keys
   */
  public boolean requires(byte[] publicKey) {
    for (byte[] k : requiredPublicKeys) {
      if (java.util.Arrays.equals(k, publicKey)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @return lower-case hex of the required keys, in request order
   */
  public List<String> requiredHex() {
    List<String> out = new ArrayList<>();
    for (byte[] k : requiredPublicKeys) {
      out.add(WireJson.hexOf(k));
    }
    return out;
  }

  /**
   * lotus-sdk's request ID.
   *
   * @param messageHashHex the message hash as sent
   * @param requiredHex the required keys in hex
   * @param createdAt the creation time in ms
   * @return the ID
   */
  public static String idOf(String messageHashHex, List<String> requiredHex, long createdAt) {
    List<String> sorted = new ArrayList<>(requiredHex);
    sorted.sort(null);
    return AdvertJson.id(ID_PREFIX, messageHashHex + String.join(":", sorted) + createdAt);
  }

  /**
   * @return the digest the signature covers (lotus-sdk's advert digest)
   */
  public byte[] signedDigest() {
    return AdvertJson.digest(
        peerId, multiaddrs, PROTOCOL, CAPABILITIES, createdAt, expiresAt, customCriteria);
  }

  /**
   * @param sig the signature
   * @return this request with it
   */
  public SigningRequest withSignature(byte[] sig) {
    return new SigningRequest(requestId, peerId, multiaddrs, requiredPublicKeys, messageHash,
        creatorPublicKey, requestMetadata, createdAt, expiresAt, reputation, sig, customCriteria);
  }

  /**
   * @return the request as published (lotus-sdk's key order)
   */
  public ObjectNode toJson() {
    ObjectNode o = WireJson.object();
    o.put("id", requestId);
    o.put("requestId", requestId);
    o.put("protocol", PROTOCOL);
    o.set("peerInfo", AdvertJson.peerInfo(peerId, multiaddrs));
    o.set("requiredPublicKeys", AdvertJson.strings(requiredHex()));
    o.put("messageHash", WireJson.hexOf(messageHash));
    o.put("creatorPeerId", peerId);
    o.put("creatorPublicKey", WireJson.hexOf(creatorPublicKey));
    if (requestMetadata != null) {
      o.set("requestMetadata", requestMetadata.deepCopy());
    }
    ObjectNode buffer = o.putObject("creatorSignature");
    buffer.put("type", "Buffer");
    buffer.putArray("data");
    o.set("capabilities", AdvertJson.strings(CAPABILITIES));
    o.put("createdAt", createdAt);
    o.put("expiresAt", expiresAt);
    o.put("reputation", reputation);
    if (signature != null) {
      o.put("signature", WireJson.hexOf(signature));
    }
    if (customCriteria != null) {
      o.set("customCriteria", customCriteria.deepCopy());
    }
    return o;
  }

  /**
   * Decodes a request strictly (the signature is not checked here); {@code id} must equal {@code
   * requestId} and {@code creatorPeerId} must equal {@code peerInfo.peerId}.
   *
   * @param o the JSON object
   * @return the request
   * @throws MalformedMessageException naming the field that does not decode
   */
  public static SigningRequest decode(JsonNode o) {
    String protocol = WireJson.text(o, "protocol", 32);
    if (!PROTOCOL.equals(protocol)) {
      throw new MalformedMessageException(
          "protocol", "expected \"musig2-request\", got " + protocol);
    }
    String id = WireJson.text(o, "requestId", 128);
    if (!id.equals(WireJson.text(o, "id", 128))) {
      throw new MalformedMessageException("id", "differs from 'requestId'");
    }
    JsonNode peer = WireJson.object(o, "peerInfo");
    String peerId = WireJson.text(peer, "peerId", 128);
    if (!peerId.equals(WireJson.text(o, "creatorPeerId", 128))) {
      throw new MalformedMessageException("creatorPeerId", "differs from 'peerInfo.peerId'");
    }
    JsonNode arr = WireJson.array(o, "requiredPublicKeys", 1000);
    if (arr.isEmpty()) {
      throw new MalformedMessageException("requiredPublicKeys", "must list at least one key");
    }
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      keys.add(WireJson.publicKeyValue(arr.get(i), "requiredPublicKeys[" + i + "]"));
    }
    return new SigningRequest(
        id,
        peerId,
        peer.hasNonNull("multiaddrs") ? AdvertJson.readStrings(peer, "multiaddrs") : List.of(),
        keys,
        WireJson.hex(o, "messageHash", 32),
        WireJson.publicKey(o, "creatorPublicKey"),
        AdvertJson.optionalObject(o, "requestMetadata"),
        WireJson.timestamp(o, "createdAt"),
        WireJson.timestamp(o, "expiresAt"),
        o.hasNonNull("reputation") ? WireJson.integer(o, "reputation", 1_000_000) : 0,
        WireJson.hex(o, "signature", 64),
        AdvertJson.optionalObject(o, "customCriteria"));
  }

  static ObjectNode criteria(List<String> requiredHex, String messageHashHex) {
    ObjectNode c = WireJson.object();
    ArrayNode keys = c.putArray("requiredPublicKeys");
    requiredHex.forEach(keys::add);
    c.put("messageHash", messageHashHex);
    return c;
  }
}
