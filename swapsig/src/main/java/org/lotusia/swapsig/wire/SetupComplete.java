package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.lotusia.swapsig.PoolParameters;

/**
 * {@code swapsig:setup-complete}: the creator has a valid signed setup transaction from every
 * participant of the round and sends them all, in participant order; every participant checks them
 * and broadcasts every one. lotus-sdk's fields plus the round and the transactions; signed by the
 * creator.
 *
 * @param poolId the pool
 * @param round the roster round
 * @param setupTxs the raw setup transactions as hex, by participant index
 * @param timestamp sender's time
 * @param signature the creator's signature, or null
 */
public record SetupComplete(
    String poolId, int round, List<String> setupTxs, long timestamp, String signature)
    implements PoolMessage {

  /** Copies the list. */
  public SetupComplete {
    setupTxs = List.copyOf(setupTxs);
  }

  @Override
  public String type() {
    return SwapSigMessageTypes.SETUP_COMPLETE;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("poolId", poolId);
    o.put("timestamp", timestamp);
    o.put("round", round);
    ArrayNode a = o.putArray("setupTxs");
    setupTxs.forEach(a::add);
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
  public static SetupComplete decode(JsonNode n) {
    WireFields.object(n, "setup-complete");
    List<String> txs = new ArrayList<>();
    JsonNode a = WireFields.array(n, "setupTxs", PoolParameters.MAX_PARTICIPANTS);
    for (int i = 0; i < a.size(); i++) {
      ObjectNode holder = JsonNodeFactory.instance.objectNode();
      holder.set("setupTxs[" + i + "]", a.get(i));
      txs.add(WireFields.hexUpTo(holder, "setupTxs[" + i + "]", SetupSubmission.MAX_TX_BYTES));
    }
    return new SetupComplete(
        WireFields.hex(n, "poolId", 32),
        (int) WireFields.integer(n, "round", 1, Roster.MAX_ROUNDS),
        txs,
        WireFields.integer(n, "timestamp", 0, WireFields.MAX_SAFE),
        WireFields.hex(n, Signing.FIELD, 64));
  }
}
