package org.lotusia.musig2.p2p.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code musig2:session-complete}: the broadcaster announces the final signature. Wire, lotus-sdk's
 * order: {@code {"sessionId","finalSignature":{"r","s"},"timestamp"}}, then the added {@code
 * signerIndex}, {@code sequenceNumber} and {@code signature}. Receivers verify the final signature
 * under the session's aggregate key before they accept it (lotus-sdk does not, reference 6.1 C7).
 *
 * @param sessionId the session
 * @param finalSignature the 64-byte Lotus Schnorr signature {@code r || s}
 * @param timestamp the sender's clock in ms
 * @param signerIndex the sender's signer index, or null (lotus-sdk form)
 * @param auth sequence number and signature, or null
 */
public record SessionComplete(
    String sessionId, byte[] finalSignature, long timestamp, Integer signerIndex, MessageAuth auth)
    implements SessionMessage {

  /** Copies the signature and checks its length. */
  public SessionComplete {
    if (finalSignature == null || finalSignature.length != 64) {
      throw new IllegalArgumentException("final signature must be 64 bytes");
    }
    finalSignature = finalSignature.clone();
  }

  /**
   * @return a copy of the {@code finalSignature} component (null when absent)
   */
  @Override
  public byte[] finalSignature() {
    return finalSignature.clone();
  }

  @Override
  public MessageType type() {
    return MessageType.SESSION_COMPLETE;
  }

  @Override
  public SessionComplete withAuth(MessageAuth a) {
    return new SessionComplete(sessionId, finalSignature, timestamp, signerIndex, a);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = WireJson.object();
    o.put("sessionId", sessionId);
    ObjectNode sig = o.putObject("finalSignature");
    sig.put("r", WireJson.hexOf(java.util.Arrays.copyOfRange(finalSignature, 0, 32)));
    sig.put("s", WireJson.hexOf(java.util.Arrays.copyOfRange(finalSignature, 32, 64)));
    o.put("timestamp", timestamp);
    if (signerIndex != null) {
      o.put("signerIndex", signerIndex);
    }
    SessionMessage.writeAuth(o, auth);
    return o;
  }

  @Override
  public void writeSignedFields(SignedEncoding e) {
    e.optU32(signerIndex).bytes(finalSignature);
  }

  static SessionComplete decode(JsonNode o) {
    JsonNode sig = WireJson.object(o, "finalSignature");
    byte[] r;
    byte[] s;
    try {
      r = WireJson.hex(sig, "r", 32);
      s = WireJson.hex(sig, "s", 32);
    } catch (MalformedMessageException e) {
      throw new MalformedMessageException("finalSignature." + e.field(), e.getMessage());
    }
    byte[] full = new byte[64];
    System.arraycopy(r, 0, full, 0, 32);
    System.arraycopy(s, 0, full, 32, 32);
    Long idx = WireJson.optionalInteger(o, "signerIndex", Integer.MAX_VALUE);
    return new SessionComplete(
        SessionMessage.readSessionId(o),
        full,
        WireJson.timestamp(o, "timestamp"),
        idx == null ? null : idx.intValue(),
        SessionMessage.readAuth(o));
  }

  @Override
  public boolean equals(Object x) {
    return x instanceof SessionComplete m && toJson().equals(m.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }
}
