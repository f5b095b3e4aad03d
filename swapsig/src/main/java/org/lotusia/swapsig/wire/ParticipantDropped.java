package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code swapsig:participant-dropped}: a participant tells the creator that a member of the roster
 * fails one of its checks (for example its input is already spent). The creator checks again and
 * excludes the member in a new round if it agrees. lotus-sdk's fields plus the accused member's
 * signer key, the round and the reporter's key and signature.
 *
 * @param poolId the pool
 * @param round the roster round
 * @param peerId the accused member's peer ID
 * @param accusedKey the accused member's signer key
 * @param reason what failed
 * @param publicKey the reporter's signer key
 * @param timestamp sender's time
 * @param signature signature by {@code publicKey}, or null
 */
public record ParticipantDropped(
    String poolId,
    int round,
    String peerId,
    String accusedKey,
    String reason,
    String publicKey,
    long timestamp,
    String signature)
    implements PoolMessage {

  @Override
  public String type() {
    return SwapSigMessageTypes.PARTICIPANT_DROPPED;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("poolId", poolId);
    o.put("peerId", peerId);
    o.put("reason", reason);
    o.put("timestamp", timestamp);
    o.put("round", round);
    o.put("accusedKey", accusedKey);
    o.put("publicKey", publicKey);
    if (signature != null) {
      o.put(Signing.FIELD, signature);
    }
    return o;
  }

  /**
   * @param n the payload
   * @return the report
   * @throws MalformedSwapSigMessageException naming the bad field
   */
  public static ParticipantDropped decode(JsonNode n) {
    WireFields.object(n, "participant-dropped");
    return new ParticipantDropped(
        WireFields.hex(n, "poolId", 32),
        (int) WireFields.integer(n, "round", 1, Roster.MAX_ROUNDS),
        WireFields.text(n, "peerId", 128),
        WireFields.key33(n, "accusedKey"),
        WireFields.text(n, "reason", 512),
        WireFields.key33(n, "publicKey"),
        WireFields.integer(n, "timestamp", 0, WireFields.MAX_SAFE),
        WireFields.hex(n, Signing.FIELD, 64));
  }
}
