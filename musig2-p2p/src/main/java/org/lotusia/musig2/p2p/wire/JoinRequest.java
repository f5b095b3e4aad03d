package org.lotusia.musig2.p2p.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code musig2:session-join}: a joiner asks the session creator to accept its signer key. Wire:
 * {@code {"sessionId","signerPublicKey","timestamp","sequenceNumber","signature"}}; the signature
 * is by the joiner's signer key, which proves the joiner holds it (lotus-sdk lets anyone who knows
 * a public key join in its place, reference 6.2 P6).
 *
 * @param sessionId the session
 * @param signerPublicKey the joiner's 33-byte compressed signer key
 * @param timestamp the joiner's clock in ms
 * @param auth sequence number and signature, or null
 */
public record JoinRequest(
    String sessionId, byte[] signerPublicKey, long timestamp, MessageAuth auth)
    implements SessionMessage {

  /** Copies the key. */
  public JoinRequest {
    signerPublicKey = signerPublicKey.clone();
  }

  /**
   * @return a copy of the {@code signerPublicKey} component (null when absent)
   */
  @Override
  public byte[] signerPublicKey() {
    return signerPublicKey.clone();
  }

  @Override
  public MessageType type() {
    return MessageType.SESSION_JOIN;
  }

  @Override
  public JoinRequest withAuth(MessageAuth a) {
    return new JoinRequest(sessionId, signerPublicKey, timestamp, a);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = WireJson.object();
    o.put("sessionId", sessionId);
    o.put("signerPublicKey", WireJson.hexOf(signerPublicKey));
    o.put("timestamp", timestamp);
    SessionMessage.writeAuth(o, auth);
    return o;
  }

  @Override
  public void writeSignedFields(SignedEncoding e) {
    e.bytes(signerPublicKey);
  }

  static JoinRequest decode(JsonNode o) {
    return new JoinRequest(
        SessionMessage.readSessionId(o),
        WireJson.publicKey(o, "signerPublicKey"),
        WireJson.timestamp(o, "timestamp"),
        SessionMessage.readAuth(o));
  }

  @Override
  public boolean equals(Object x) {
    return x instanceof JoinRequest m && toJson().equals(m.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }
}
