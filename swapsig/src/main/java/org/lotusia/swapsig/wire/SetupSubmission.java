package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code swapsig:setup-tx-broadcast}: a participant hands its signed setup transaction to the
 * creator. lotus-sdk's fields plus the round, the signer key and the raw transaction; nobody
 * broadcasts a setup transaction before every participant has handed one in and all passed the
 * checks, so a participant that never funds is excluded before anyone's funds move.
 *
 * @param poolId the pool
 * @param round the roster round it belongs to
 * @param participantIndex the sender's index in the round
 * @param publicKey the sender's signer key
 * @param txId the transaction's txid
 * @param rawTx the signed transaction as hex
 * @param timestamp sender's time
 * @param signature signature by {@code publicKey}, or null
 */
public record SetupSubmission(
    String poolId,
    int round,
    int participantIndex,
    String publicKey,
    String txId,
    String rawTx,
    long timestamp,
    String signature)
    implements PoolMessage {

  /** Largest setup transaction accepted, in bytes. */
  public static final int MAX_TX_BYTES = 2000;

  @Override
  public String type() {
    return SwapSigMessageTypes.SETUP_TX_BROADCAST;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("poolId", poolId);
    o.put("participantIndex", participantIndex);
    o.put("txId", txId);
    o.put("timestamp", timestamp);
    o.put("round", round);
    o.put("publicKey", publicKey);
    o.put("rawTx", rawTx);
    if (signature != null) {
      o.put(Signing.FIELD, signature);
    }
    return o;
  }

  /**
   * @param n the payload
   * @return the submission
   * @throws MalformedSwapSigMessageException naming the bad field
   */
  public static SetupSubmission decode(JsonNode n) {
    WireFields.object(n, "setup transaction");
    return new SetupSubmission(
        WireFields.hex(n, "poolId", 32),
        (int) WireFields.integer(n, "round", 1, Roster.MAX_ROUNDS),
        (int) WireFields.integer(n, "participantIndex", 0, 10_000),
        WireFields.key33(n, "publicKey"),
        WireFields.hex(n, "txId", 32),
        WireFields.hexUpTo(n, "rawTx", MAX_TX_BYTES),
        WireFields.integer(n, "timestamp", 0, WireFields.MAX_SAFE),
        WireFields.hex(n, Signing.FIELD, 64));
  }
}
