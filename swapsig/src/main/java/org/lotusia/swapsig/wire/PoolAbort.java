package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code swapsig:pool-abort}: the creator or a participant of the current round aborts the pool.
 * lotus-sdk's fields plus the sender's key and signature: a receiver honours it only when the key
 * is the creator's or a current participant's, the signature verifies and the transport sender is
 * that key's peer (lotus-sdk let any peer abort any pool).
 *
 * @param poolId the pool
 * @param reason why
 * @param publicKey the sender's key (the creator's key, or a participant's signer key)
 * @param timestamp sender's time
 * @param signature signature by {@code publicKey}, or null
 */
public record PoolAbort(
    String poolId, String reason, String publicKey, long timestamp, String signature)
    implements PoolMessage {

  @Override
  public String type() {
    return SwapSigMessageTypes.POOL_ABORT;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("poolId", poolId);
    o.put("reason", reason);
    o.put("timestamp", timestamp);
    o.put("publicKey", publicKey);
    if (signature != null) {
      o.put(Signing.FIELD, signature);
    }
    return o;
  }

  /**
   * @param n the payload
   * @return the abort
   * @throws MalformedSwapSigMessageException naming the bad field
   */
  public static PoolAbort decode(JsonNode n) {
    WireFields.object(n, "pool-abort");
    return new PoolAbort(
        WireFields.hex(n, "poolId", 32),
        WireFields.text(n, "reason", 512),
        WireFields.key33(n, "publicKey"),
        WireFields.integer(n, "timestamp", 0, WireFields.MAX_SAFE),
        WireFields.hex(n, Signing.FIELD, 64));
  }
}
