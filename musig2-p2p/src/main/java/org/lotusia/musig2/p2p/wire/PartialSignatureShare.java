package org.lotusia.musig2.p2p.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code musig2:partial-sig-share}: a signer's partial signature (MuSig2 round 2). Wire: {@code
 * {"sessionId","signerIndex","partialSig","timestamp","sequenceNumber","signature"}}, the partial
 * signature as 32 bytes big-endian.
 *
 * @param sessionId the session
 * @param signerIndex the sender's signer index
 * @param partialSignature 32 bytes
 * @param timestamp the sender's clock in ms
 * @param auth sequence number and signature, or null
 */
public record PartialSignatureShare(
    String sessionId, int signerIndex, byte[] partialSignature, long timestamp, MessageAuth auth)
    implements SessionMessage {

  /** Copies the partial signature and checks its length. */
  public PartialSignatureShare {
    if (partialSignature == null || partialSignature.length != 32) {
      throw new IllegalArgumentException("partial signature must be 32 bytes");
    }
    partialSignature = partialSignature.clone();
  }

  /**
   * @return a copy of the {@code partialSignature} component (null when absent)
   */
  @Override
  public byte[] partialSignature() {
    return partialSignature.clone();
  }

  @Override
  public MessageType type() {
    return MessageType.PARTIAL_SIG_SHARE;
  }

  @Override
  public PartialSignatureShare withAuth(MessageAuth a) {
    return new PartialSignatureShare(sessionId, signerIndex, partialSignature, timestamp, a);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = WireJson.object();
    o.put("sessionId", sessionId);
    o.put("signerIndex", signerIndex);
    o.put("partialSig", WireJson.hexOf(partialSignature));
    o.put("timestamp", timestamp);
    SessionMessage.writeAuth(o, auth);
    return o;
  }

  @Override
  public void writeSignedFields(SignedEncoding e) {
    e.u32(signerIndex).bytes(partialSignature);
  }

  static PartialSignatureShare decode(JsonNode o) {
    return new PartialSignatureShare(
        SessionMessage.readSessionId(o),
        WireJson.index(o, "signerIndex"),
        WireJson.hex(o, "partialSig", 32),
        WireJson.timestamp(o, "timestamp"),
        SessionMessage.readAuth(o));
  }

  @Override
  public boolean equals(Object x) {
    return x instanceof PartialSignatureShare m && toJson().equals(m.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }
}
