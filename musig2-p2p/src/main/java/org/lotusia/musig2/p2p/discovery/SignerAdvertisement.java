package org.lotusia.musig2.p2p.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.lotusia.musig2.p2p.wire.MalformedMessageException;
import org.lotusia.musig2.p2p.wire.WireJson;

/**
 * A signer advert (lotus-sdk {@code MuSig2SignerAdvertisement}, reference 3.15): a wallet key
 * offers to co-sign, published on {@value #TOPIC} and stored as the DHT resource {@code
 * discovery:advertisement}. Wire, lotus-sdk's order: {@code {"id","protocol":"musig2",
 * "peerInfo":{"peerId","multiaddrs"},"publicKey","transactionTypes","amountRange"?,
 * "signerMetadata"?,"capabilities","createdAt","expiresAt","reputation","signature",
 * "customCriteria":{"transactionTypes","publicKeyHex"}}}; the signature is Lotus Schnorr by {@code
 * publicKey} over lotus-sdk's advert digest. Immutable; arrays and trees copied.
 *
 * @param id {@code "musig2:signer:" + hex(SHA256("musig2:signer:" + publicKeyHex))[0:32]}
 * @param peerId the advertising peer
 * @param multiaddrs its addresses
 * @param publicKey the 33-byte wallet key offered for signing
 * @param transactionTypes kinds of transactions it signs ({@code spend}, {@code swap}, ...)
 * @param amountRange {@code {"min"?,"max"?}} in satoshis, or null
 * @param signerMetadata free-form metadata, or null (not covered by the signature)
 * @param capabilities {@code ["musig2-signer", ...transactionTypes]}
 * @param createdAt creation time in ms
 * @param expiresAt expiry in ms
 * @param reputation lotus-sdk's reputation field (50 when created)
 * @param signature the 64-byte signature, or null before signing
 * @param customCriteria the signed criteria object
 */
public record SignerAdvertisement(
    String id,
    String peerId,
    List<String> multiaddrs,
    byte[] publicKey,
    List<String> transactionTypes,
    ObjectNode amountRange,
    ObjectNode signerMetadata,
    List<String> capabilities,
    long createdAt,
    long expiresAt,
    long reputation,
    byte[] signature,
    ObjectNode customCriteria) {

  /** lotus-sdk's topic of signer adverts. */
  public static final String TOPIC = "lotus/discovery/musig2";

  /** The {@code protocol} field of signer adverts. */
  public static final String PROTOCOL = "musig2";

  /** ID prefix. */
  public static final String ID_PREFIX = "musig2:signer:";

  /** Copies the mutable parts. */
  public SignerAdvertisement {
    multiaddrs = List.copyOf(multiaddrs);
    publicKey = publicKey.clone();
    transactionTypes = List.copyOf(transactionTypes);
    amountRange = amountRange == null ? null : amountRange.deepCopy();
    signerMetadata = signerMetadata == null ? null : signerMetadata.deepCopy();
    capabilities = List.copyOf(capabilities);
    signature = signature == null ? null : signature.clone();
    customCriteria = customCriteria == null ? null : customCriteria.deepCopy();
  }

  /**
   * @return a copy of the {@code publicKey} component (null when absent)
   */
  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * @return a copy of the {@code signature} component (null when absent)
   */
  @Override
  public byte[] signature() {
    return signature == null ? null : signature.clone();
  }

  /**
   * @return a copy of the {@code amountRange} component (null when absent)
   */
  @Override
  public ObjectNode amountRange() {
    return amountRange == null ? null : amountRange.deepCopy();
  }

  /**
   * @return a copy of the {@code signerMetadata} component (null when absent)
   */
  @Override
  public ObjectNode signerMetadata() {
    return signerMetadata == null ? null : signerMetadata.deepCopy();
  }

  /**
   * @return a copy of the {@code customCriteria} component (null when absent)
   */
  @Override
  public ObjectNode customCriteria() {
    return customCriteria == null ? null : customCriteria.deepCopy();
  }

  /**
   * @param publicKey a wallet key
   * @return lotus-sdk's deterministic advert ID of that key
   */
  public static String idOf(byte[] publicKey) {
    return AdvertJson.id(ID_PREFIX, WireJson.hexOf(publicKey));
  }

  /**
   * @return the digest the signature covers (lotus-sdk's advert digest)
   */
  public byte[] signedDigest() {
    return AdvertJson.digest(
        peerId, multiaddrs, PROTOCOL, capabilities, createdAt, expiresAt, customCriteria);
  }

  /**
   * @param sig the signature
   * @return this advert with it
   */
  public SignerAdvertisement withSignature(byte[] sig) {
    return new SignerAdvertisement(id, peerId, multiaddrs, publicKey, transactionTypes,
        amountRange, signerMetadata, capabilities, createdAt, expiresAt, reputation, sig,
        customCriteria);
  }

  /**
   * @return the advert as published (lotus-sdk's key order)
   */
  public ObjectNode toJson() {
    ObjectNode o = WireJson.object();
    o.put("id", id);
    o.put("protocol", PROTOCOL);
    o.set("peerInfo", AdvertJson.peerInfo(peerId, multiaddrs));
    o.put("publicKey", WireJson.hexOf(publicKey));
    o.set("transactionTypes", AdvertJson.strings(transactionTypes));
    if (amountRange != null) {
      o.set("amountRange", amountRange.deepCopy());
    }
    if (signerMetadata != null) {
      o.set("signerMetadata", signerMetadata.deepCopy());
    }
    o.set("capabilities", AdvertJson.strings(capabilities));
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
   * Decodes an advert strictly (the signature is not checked here).
   *
   * @param o the JSON object
   * @return the advert
   * @throws MalformedMessageException naming the field that does not decode
   */
  public static SignerAdvertisement decode(JsonNode o) {
    String protocol = WireJson.text(o, "protocol", 32);
    if (!PROTOCOL.equals(protocol)) {
      throw new MalformedMessageException("protocol", "expected \"musig2\", got " + protocol);
    }
    JsonNode peer = WireJson.object(o, "peerInfo");
    return new SignerAdvertisement(
        WireJson.text(o, "id", 128),
        WireJson.text(peer, "peerId", 128),
        peer.hasNonNull("multiaddrs") ? AdvertJson.readStrings(peer, "multiaddrs") : List.of(),
        WireJson.publicKey(o, "publicKey"),
        AdvertJson.readStrings(o, "transactionTypes"),
        AdvertJson.optionalObject(o, "amountRange"),
        AdvertJson.optionalObject(o, "signerMetadata"),
        AdvertJson.readStrings(o, "capabilities"),
        WireJson.timestamp(o, "createdAt"),
        WireJson.timestamp(o, "expiresAt"),
        o.hasNonNull("reputation") ? WireJson.integer(o, "reputation", 1_000_000) : 0,
        WireJson.hex(o, "signature", 64),
        AdvertJson.optionalObject(o, "customCriteria"));
  }
}
