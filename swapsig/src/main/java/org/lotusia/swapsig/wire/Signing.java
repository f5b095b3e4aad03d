package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.TaggedHash;
import org.lotusia.swapsig.crypto.PoolDigests;

/**
 * Signatures on pool messages: Lotus Schnorr by the sender's key (the creator's announced key, or
 * a participant's signer key) over {@code TH("lotus-swapsig/v1/message", lp(type) ||
 * canonical(payload without "signature"))}, carried in the payload's {@code "signature"} member as
 * hex. lotus-sdk's SwapSig messages were unsigned, so anyone could abort any pool. Stateless.
 */
public final class Signing {

  /** The payload member that holds the signature. */
  public static final String FIELD = "signature";

  private static final HexFormat HEX = HexFormat.of();

  private Signing() {}

  /**
   * @param type the message type
   * @param payload the payload; any {@code "signature"} member is left out
   * @return the digest a sender signs
   */
  public static byte[] digest(String type, JsonNode payload) {
    byte[] t = type.getBytes(StandardCharsets.UTF_8);
    byte[] body = CanonicalJson.bytes(payload, FIELD);
    ByteBuffer b = ByteBuffer.allocate(4 + t.length + body.length);
    b.putInt(t.length).put(t).put(body);
    return TaggedHash.hash(PoolDigests.MESSAGE_TAG, b.array());
  }

  /**
   * Signs a payload in place.
   *
   * @param type the message type
   * @param payload the payload without signature; the signature member is added
   * @param key the sender's key
   * @return the payload
   */
  public static ObjectNode sign(String type, ObjectNode payload, PrivateKey key) {
    payload.remove(FIELD);
    payload.put(FIELD, HEX.formatHex(key.signSchnorr(digest(type, payload))));
    return payload;
  }

  /**
   * @param type the message type
   * @param payload a received payload
   * @param publicKeyHex the key it must be signed by
   * @return whether its signature verifies (false for a missing or malformed one)
   */
  public static boolean verify(String type, JsonNode payload, String publicKeyHex) {
    JsonNode sig = payload.get(FIELD);
    if (sig == null || !sig.isTextual() || sig.asText().length() != 128) {
      return false;
    }
    try {
      return LotusSchnorr.verify(
          HEX.parseHex(sig.asText()), HEX.parseHex(publicKeyHex), digest(type, payload));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
