package org.lotusia.musig2.p2p.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.lotusia.musig2.p2p.SessionNetwork;
import org.lotusia.musig2.p2p.wire.WireJson;

/**
 * The checks a received advert must pass (null when it passes, else the reason). lotus-sdk's
 * digest covers only the peer, addresses, protocol, capabilities, times and criteria, so every
 * other field that matters must agree with something it covers. Stateless.
 */
final class AdvertChecks {

  private AdvertChecks() {}

  static String signer(
      SignerAdvertisement ad, String publisher, SessionNetwork net, DiscoveryConfig config) {
    String common = common(ad.peerId(), publisher, ad.createdAt(), ad.expiresAt(), net, config);
    if (common != null) {
      return common;
    }
    if (!ad.id().equals(SignerAdvertisement.idOf(ad.publicKey()))) {
      return "advert ID " + ad.id() + " is not the ID of its key";
    }
    ObjectNode c = ad.customCriteria();
    if (c == null || !WireJson.hexOf(ad.publicKey()).equalsIgnoreCase(c.path("publicKeyHex")
        .asText())) {
      return "the signed criteria do not name the advertised key";
    }
    return verify(net, ad.publicKey(), ad.signedDigest(), ad.signature());
  }

  static String request(
      SigningRequest req, String publisher, SessionNetwork net, DiscoveryConfig config) {
    String common = common(req.peerId(), publisher, req.createdAt(), req.expiresAt(), net, config);
    if (common != null) {
      return common;
    }
    if (!req.requires(req.creatorPublicKey())) {
      return "the creator key is not one of the required keys";
    }
    ObjectNode c = req.customCriteria();
    if (c == null) {
      return "the request carries no signed criteria";
    }
    List<String> signed = new ArrayList<>();
    for (JsonNode k : c.path("requiredPublicKeys")) {
      signed.add(k.asText().toLowerCase());
    }
    if (!signed.equals(req.requiredHex())
        || !WireJson.hexOf(req.messageHash()).equalsIgnoreCase(c.path("messageHash").asText())) {
      return "the required keys or message hash differ from the signed criteria";
    }
    return verify(net, req.creatorPublicKey(), req.signedDigest(), req.signature());
  }

  private static String common(String peerId, String publisher, long createdAt, long expiresAt,
      SessionNetwork net, DiscoveryConfig config) {
    if (!peerId.equals(publisher)) {
      return "published by " + publisher + " but names peer " + peerId;
    }
    long now = net.clock().millis();
    if (createdAt > now + config.maxClockSkew().toMillis()) {
      return "created " + (createdAt - now) + " ms in the future";
    }
    if (expiresAt <= now) {
      return "expired";
    }
    if (expiresAt <= createdAt || expiresAt - createdAt > config.maxTtl().toMillis()) {
      return "lifetime of " + (expiresAt - createdAt) + " ms is outside (0, "
          + config.maxTtl().toMillis() + "]";
    }
    return null;
  }

  private static String verify(SessionNetwork net, byte[] key, byte[] digest, byte[] sig) {
    boolean ok;
    try {
      ok = net.verify(key, digest, sig);
    } catch (RuntimeException e) {
      ok = false;
    }
    return ok ? null : "the signature does not verify under the advertised key";
  }
}
