package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.lotusia.swapsig.PoolParameters;

/**
 * {@code swapsig:roster} (added): the creator closes registration, or starts a new round without
 * excluded participants, and sends every accepted registration, signed, to every participant. The
 * order of the list carries no meaning: each participant sorts the members itself ({@code
 * SHA256(poolId || signer key)}), so the creator decides who takes part, never who signs or pays
 * what.
 *
 * @param poolId the pool
 * @param round 1 for the first roster, one more for each new round
 * @param participants the accepted registrations, each with its participant's signature
 * @param excluded the participants excluded since the last round, with the reason
 * @param timestamp sender's time
 * @param signature the creator's signature, or null
 */
public record Roster(
    String poolId,
    int round,
    List<ParticipantRegistration> participants,
    List<Exclusion> excluded,
    long timestamp,
    String signature)
    implements PoolMessage {

  /** Most rounds of one pool. */
  public static final int MAX_ROUNDS = 16;

  /**
   * A participant left out of a round.
   *
   * @param publicKey its signer key
   * @param reason why
   */
  public record Exclusion(String publicKey, String reason) {}

  /** Copies the lists. */
  public Roster {
    participants = List.copyOf(participants);
    excluded = List.copyOf(excluded);
  }

  @Override
  public String type() {
    return SwapSigMessageTypes.ROSTER;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("poolId", poolId);
    o.put("round", round);
    ArrayNode p = o.putArray("participants");
    participants.forEach(r -> p.add(r.toJson()));
    ArrayNode x = o.putArray("excluded");
    for (Exclusion e : excluded) {
      x.addObject().put("publicKey", e.publicKey()).put("reason", e.reason());
    }
    o.put("timestamp", timestamp);
    if (signature != null) {
      o.put(Signing.FIELD, signature);
    }
    return o;
  }

  /**
   * @param n the payload
   * @return the roster
   * @throws MalformedSwapSigMessageException naming the bad field
   */
  public static Roster decode(JsonNode n) {
    WireFields.object(n, "roster");
    List<ParticipantRegistration> regs = new ArrayList<>();
    for (JsonNode r : WireFields.array(n, "participants", PoolParameters.MAX_PARTICIPANTS)) {
      regs.add(ParticipantRegistration.decode(r));
    }
    List<Exclusion> ex = new ArrayList<>();
    for (JsonNode e : WireFields.array(n, "excluded", PoolParameters.MAX_PARTICIPANTS)) {
      WireFields.object(e, "excluded entry");
      ex.add(new Exclusion(WireFields.key33(e, "publicKey"), WireFields.text(e, "reason", 512)));
    }
    return new Roster(
        WireFields.hex(n, "poolId", 32),
        (int) WireFields.integer(n, "round", 1, MAX_ROUNDS),
        regs,
        ex,
        WireFields.integer(n, "timestamp", 0, WireFields.MAX_SAFE),
        WireFields.hex(n, Signing.FIELD, 64));
  }
}
