package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code swapsig:settlement-tx-broadcast}: a settlement was broadcast. The finaliser of the last
 * settlement of the ring sends it to every participant, which then checks the chain and releases
 * its own settlements. lotus-sdk's fields plus the round and the sender's key; a hint only, since
 * receivers act on what Chronik shows.
 *
 * @param poolId the pool
 * @param round the roster round
 * @param outputIndex the shared output it spends
 * @param txId the settlement's txid
 * @param publicKey the sender's signer key
 * @param timestamp sender's time
 * @param signature signature by {@code publicKey}, or null
 */
public record SettlementBroadcast(
    String poolId,
    int round,
    int outputIndex,
    String txId,
    String publicKey,
    long timestamp,
    String signature)
    implements PoolMessage {

  @Override
  public String type() {
    return SwapSigMessageTypes.SETTLEMENT_TX_BROADCAST;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("poolId", poolId);
    o.put("outputIndex", outputIndex);
    o.put("txId", txId);
    o.put("timestamp", timestamp);
    o.put("round", round);
    o.put("publicKey", publicKey);
    if (signature != null) {
      o.put(Signing.FIELD, signature);
    }
    return o;
  }

  /**
   * @param n the payload
   * @return the message
   * @throws MalformedSwapSigMessageException naming the bad field
   */
  public static SettlementBroadcast decode(JsonNode n) {
    WireFields.object(n, "settlement-tx-broadcast");
    return new SettlementBroadcast(
        WireFields.hex(n, "poolId", 32),
        (int) WireFields.integer(n, "round", 1, Roster.MAX_ROUNDS),
        (int) WireFields.integer(n, "outputIndex", 0, 10_000),
        WireFields.hex(n, "txId", 32),
        WireFields.key33(n, "publicKey"),
        WireFields.integer(n, "timestamp", 0, WireFields.MAX_SAFE),
        WireFields.hex(n, Signing.FIELD, 64));
  }
}
