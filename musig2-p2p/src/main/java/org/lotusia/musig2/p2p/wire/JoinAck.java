package org.lotusia.musig2.p2p.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code musig2:session-join-ack}: the creator accepts a joiner (with the joiner's signer index)
 * or rejects it (with a reason). Wire, accepted: {@code
 * {"sessionId","accepted":true,"signerIndex","timestamp",...}}; rejected: {@code
 * {"sessionId","accepted":false,"reason","timestamp",...}}; then {@code sequenceNumber} and {@code
 * signature} by the creator's signer key. The joiner checks the index against its own position in
 * the sorted key list instead of adopting it (reference 6.2 P15).
 *
 * @param sessionId the session
 * @param accepted whether the join is accepted
 * @param signerIndex the joiner's signer index when accepted, else null
 * @param reason why the join was rejected, else null
 * @param timestamp the creator's clock in ms
 * @param auth sequence number and signature, or null
 */
public record JoinAck(
    String sessionId,
    boolean accepted,
    Integer signerIndex,
    String reason,
    long timestamp,
    MessageAuth auth)
    implements SessionMessage {

  /** Checks that an acceptance has an index and a rejection a reason. */
  public JoinAck {
    if (accepted && signerIndex == null) {
      throw new IllegalArgumentException("an accepted join needs the signer index");
    }
    if (!accepted && (reason == null || reason.isEmpty())) {
      throw new IllegalArgumentException("a rejected join needs a reason");
    }
  }

  @Override
  public MessageType type() {
    return MessageType.SESSION_JOIN_ACK;
  }

  @Override
  public JoinAck withAuth(MessageAuth a) {
    return new JoinAck(sessionId, accepted, signerIndex, reason, timestamp, a);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = WireJson.object();
    o.put("sessionId", sessionId);
    o.put("accepted", accepted);
    if (signerIndex != null) {
      o.put("signerIndex", signerIndex);
    }
    if (reason != null) {
      o.put("reason", reason);
    }
    o.put("timestamp", timestamp);
    SessionMessage.writeAuth(o, auth);
    return o;
  }

  @Override
  public void writeSignedFields(SignedEncoding e) {
    e.bool(accepted).optU32(signerIndex).optStr(reason);
  }

  static JoinAck decode(JsonNode o) {
    boolean accepted = WireJson.bool(o, "accepted");
    Long idx = WireJson.optionalInteger(o, "signerIndex", Integer.MAX_VALUE);
    String reason = WireJson.optionalText(o, "reason", MAX_REASON_LENGTH);
    if (accepted && idx == null) {
      throw new MalformedMessageException("signerIndex", "required when 'accepted' is true");
    }
    if (!accepted && (reason == null || reason.isEmpty())) {
      throw new MalformedMessageException("reason", "required when 'accepted' is false");
    }
    return new JoinAck(
        SessionMessage.readSessionId(o),
        accepted,
        idx == null ? null : idx.intValue(),
        reason,
        WireJson.timestamp(o, "timestamp"),
        SessionMessage.readAuth(o));
  }

  @Override
  public boolean equals(Object x) {
    return x instanceof JoinAck m && toJson().equals(m.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }
}
