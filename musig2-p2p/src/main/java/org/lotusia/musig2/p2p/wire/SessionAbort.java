package org.lotusia.musig2.p2p.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code musig2:session-abort}: a participant ends the session. Wire, lotus-sdk's order: {@code
 * {"sessionId","reason","timestamp"}}, then the added {@code signerIndex}, {@code sequenceNumber}
 * and {@code signature}. Receivers accept it only from a participant (lotus-sdk accepts it from
 * anyone, reference 6.2 P6), so {@code signerIndex} and the auth fields are required by the session
 * layer although the decoder reads lotus-sdk's unsigned form too.
 *
 * @param sessionId the session
 * @param reason why the session is aborted (at most {@value #MAX_REASON_LENGTH} characters)
 * @param timestamp the sender's clock in ms
 * @param signerIndex the sender's signer index, or null (lotus-sdk form)
 * @param auth sequence number and signature, or null
 */
public record SessionAbort(
    String sessionId, String reason, long timestamp, Integer signerIndex, MessageAuth auth)
    implements SessionMessage {

  /** Checks the reason. */
  public SessionAbort {
    if (reason == null || reason.isEmpty()) {
      throw new IllegalArgumentException("an abort needs a reason");
    }
    if (reason.length() > MAX_REASON_LENGTH) {
      reason = reason.substring(0, MAX_REASON_LENGTH);
    }
  }

  @Override
  public MessageType type() {
    return MessageType.SESSION_ABORT;
  }

  @Override
  public SessionAbort withAuth(MessageAuth a) {
    return new SessionAbort(sessionId, reason, timestamp, signerIndex, a);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = WireJson.object();
    o.put("sessionId", sessionId);
    o.put("reason", reason);
    o.put("timestamp", timestamp);
    if (signerIndex != null) {
      o.put("signerIndex", signerIndex);
    }
    SessionMessage.writeAuth(o, auth);
    return o;
  }

  @Override
  public void writeSignedFields(SignedEncoding e) {
    e.optU32(signerIndex).str(reason);
  }

  static SessionAbort decode(JsonNode o) {
    Long idx = WireJson.optionalInteger(o, "signerIndex", Integer.MAX_VALUE);
    return new SessionAbort(
        SessionMessage.readSessionId(o),
        WireJson.text(o, "reason", MAX_REASON_LENGTH),
        WireJson.timestamp(o, "timestamp"),
        idx == null ? null : idx.intValue(),
        SessionMessage.readAuth(o));
  }

  @Override
  public boolean equals(Object x) {
    return x instanceof SessionAbort m && toJson().equals(m.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }
}
