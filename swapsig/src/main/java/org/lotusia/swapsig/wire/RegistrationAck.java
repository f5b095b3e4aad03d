package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code swapsig:registration-ack}: the creator accepts or refuses a registration. lotus-sdk's
 * fields plus the registrant's key, the verdict and the reason of a refusal; signed by the creator.
 *
 * @param poolId the pool
 * @param acknowledgedBy the creator's peer ID
 * @param publicKey the registrant's signer key
 * @param accepted whether the registration is accepted
 * @param reason why it was refused, or null
 * @param timestamp sender's time
 * @param signature the creator's signature, or null
 */
public record RegistrationAck(
    String poolId,
    String acknowledgedBy,
    String publicKey,
    boolean accepted,
    String reason,
    long timestamp,
    String signature)
    implements PoolMessage {

  @Override
  public String type() {
    return SwapSigMessageTypes.REGISTRATION_ACK;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("poolId", poolId);
    o.put("participantIndex", -1);
    o.put("acknowledgedBy", acknowledgedBy);
    o.put("timestamp", timestamp);
    o.put("publicKey", publicKey);
    o.put("accepted", accepted);
    if (reason != null) {
      o.put("reason", reason);
    }
    if (signature != null) {
      o.put(Signing.FIELD, signature);
    }
    return o;
  }

  /**
   * @param n the payload
   * @return the acknowledgement
   * @throws MalformedSwapSigMessageException naming the bad field
   */
  public static RegistrationAck decode(JsonNode n) {
    WireFields.object(n, "registration-ack");
    return new RegistrationAck(
        WireFields.hex(n, "poolId", 32),
        WireFields.text(n, "acknowledgedBy", 128),
        WireFields.key33(n, "publicKey"),
        WireFields.bool(n, "accepted"),
        WireFields.optText(n, "reason", 512),
        WireFields.integer(n, "timestamp", 0, WireFields.MAX_SAFE),
        WireFields.hex(n, Signing.FIELD, 64));
  }
}
