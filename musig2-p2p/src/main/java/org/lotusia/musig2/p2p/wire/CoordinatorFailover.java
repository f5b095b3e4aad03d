package org.lotusia.musig2.p2p.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code musig2:coordinator-failover} (added): the broadcaster did not complete the session in
 * time, and the next signer in the election's priority list takes over. The sender is the new
 * broadcaster itself ({@code newIndex == signerIndex}). Wire: {@code
 * {"sessionId","failedIndex","newIndex","timestamp","signerIndex","sequenceNumber","signature"}}.
 * lotus-sdk's failover is local to the failing node and never runs for index 0 (reference 6.2
 * P11).
 *
 * @param sessionId the session
 * @param failedIndex the signer index that did not complete in time
 * @param newIndex the signer index that takes over
 * @param timestamp the sender's clock in ms
 * @param signerIndex the sender's signer index
 * @param auth sequence number and signature, or null
 */
public record CoordinatorFailover(
    String sessionId,
    int failedIndex,
    int newIndex,
    long timestamp,
    int signerIndex,
    MessageAuth auth)
    implements SessionMessage {

  @Override
  public MessageType type() {
    return MessageType.COORDINATOR_FAILOVER;
  }

  @Override
  public CoordinatorFailover withAuth(MessageAuth a) {
    return new CoordinatorFailover(sessionId, failedIndex, newIndex, timestamp, signerIndex, a);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = WireJson.object();
    o.put("sessionId", sessionId);
    o.put("failedIndex", failedIndex);
    o.put("newIndex", newIndex);
    o.put("timestamp", timestamp);
    o.put("signerIndex", signerIndex);
    SessionMessage.writeAuth(o, auth);
    return o;
  }

  @Override
  public void writeSignedFields(SignedEncoding e) {
    e.u32(signerIndex).u32(failedIndex).u32(newIndex);
  }

  static CoordinatorFailover decode(JsonNode o) {
    return new CoordinatorFailover(
        SessionMessage.readSessionId(o),
        WireJson.index(o, "failedIndex"),
        WireJson.index(o, "newIndex"),
        WireJson.timestamp(o, "timestamp"),
        WireJson.index(o, "signerIndex"),
        SessionMessage.readAuth(o));
  }
}
