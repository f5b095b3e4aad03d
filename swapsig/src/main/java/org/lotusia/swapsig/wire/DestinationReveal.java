package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * {@code swapsig:destination-reveal}: a participant's destination, encrypted to one co-signer of the
 * output that pays it (one message per co-signer). Replaces lotus-sdk's {@code finalAddress} in
 * clear and its XOR "encryption" keyed by the public pool ID: the plaintext is {@code salt(32) ||
 * destination script}, sealed with {@code DestinationCipher} to the recipient's registered X25519
 * key, bound by {@link #associatedData()} to the pool, round and both keys; the recipient checks it
 * against the sender's registered commitment.
 *
 * @param poolId the pool
 * @param round the roster round
 * @param participantIndex the sender's index
 * @param publicKey the sender's signer key
 * @param recipientKey the recipient's signer key
 * @param ephemeralKey the X25519 ephemeral key (32 bytes hex)
 * @param ciphertext the ciphertext and tag (hex)
 * @param timestamp sender's time
 * @param signature signature by {@code publicKey}, or null
 */
public record DestinationReveal(
    String poolId,
    int round,
    int participantIndex,
    String publicKey,
    String recipientKey,
    String ephemeralKey,
    String ciphertext,
    long timestamp,
    String signature)
    implements PoolMessage {

  /** Largest ciphertext accepted (salt, a script of up to 64 bytes, tag). */
  public static final int MAX_CIPHERTEXT_BYTES = 32 + 64 + 16;

  @Override
  public String type() {
    return SwapSigMessageTypes.DESTINATION_REVEAL;
  }

  /** What the ciphertext is bound to: {@code lp(poolId) || u32 round || sender key || recipient key}. */
  public byte[] associatedData() {
    return associatedData(poolId, round, publicKey, recipientKey);
  }

  /**
   * @param poolId the pool
   * @param round the round
   * @param senderKey the sender's signer key (hex)
   * @param recipientKey the recipient's signer key (hex)
   * @return the associated data of a reveal between them
   */
  public static byte[] associatedData(String poolId, int round, String senderKey, String recipientKey) {
    byte[] p = poolId.getBytes(StandardCharsets.US_ASCII);
    HexFormat hex = HexFormat.of();
    return ByteBuffer.allocate(4 + p.length + 4 + 66)
        .putInt(p.length)
        .put(p)
        .putInt(round)
        .put(hex.parseHex(senderKey))
        .put(hex.parseHex(recipientKey))
        .array();
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("poolId", poolId);
    o.put("participantIndex", participantIndex);
    o.put("timestamp", timestamp);
    o.put("round", round);
    o.put("publicKey", publicKey);
    o.put("recipientKey", recipientKey);
    o.put("ephemeralKey", ephemeralKey);
    o.put("ciphertext", ciphertext);
    if (signature != null) {
      o.put(Signing.FIELD, signature);
    }
    return o;
  }

  /**
   * @param n the payload
   * @return the reveal
   * @throws MalformedSwapSigMessageException naming the bad field
   */
  public static DestinationReveal decode(JsonNode n) {
    WireFields.object(n, "destination-reveal");
    return new DestinationReveal(
        WireFields.hex(n, "poolId", 32),
        (int) WireFields.integer(n, "round", 1, Roster.MAX_ROUNDS),
        (int) WireFields.integer(n, "participantIndex", 0, 10_000),
        WireFields.key33(n, "publicKey"),
        WireFields.key33(n, "recipientKey"),
        WireFields.hex(n, "ephemeralKey", 32),
        WireFields.hexUpTo(n, "ciphertext", MAX_CIPHERTEXT_BYTES),
        WireFields.integer(n, "timestamp", 0, WireFields.MAX_SAFE),
        WireFields.hex(n, Signing.FIELD, 64));
  }
}
