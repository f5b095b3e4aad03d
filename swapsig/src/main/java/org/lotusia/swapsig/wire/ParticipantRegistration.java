package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import org.lotusia.chain.tx.OutPoint;

/**
 * {@code swapsig:participant-registered}: a participant's registration, sent to the creator and
 * included whole in every roster so that every participant checks every other registration itself.
 * lotus-sdk's fields ({@code participantIndex} is -1: the index follows from the deterministic
 * order only when the roster is closed) plus the input's key and amount, the X25519 key
 * destinations are encrypted to, and the signature by {@code publicKey}. The ownership proof is
 * signed by the input's key (reference 1.17.2).
 *
 * @param poolId the pool
 * @param peerId the participant's libp2p peer ID
 * @param publicKey the participant's signer key (33 bytes hex), fresh for the pool
 * @param inputTxId the registered input's txid (display hex)
 * @param inputIndex the registered input's output index
 * @param inputPublicKey the key of the P2PKH input (33 bytes hex); it owns the refund path
 * @param inputAmount the input's value in satoshis
 * @param ownershipProof Lotus Schnorr signature by the input key over {@code PoolDigests.ownership}
 * @param finalOutputCommitment commitment to the destination (32 bytes hex)
 * @param encryptionKey X25519 key (32 bytes hex) co-signers encrypt destinations to
 * @param timestamp sender's time
 * @param signature signature by {@code publicKey}, or null
 */
public record ParticipantRegistration(
    String poolId,
    String peerId,
    String publicKey,
    String inputTxId,
    long inputIndex,
    String inputPublicKey,
    long inputAmount,
    String ownershipProof,
    String finalOutputCommitment,
    String encryptionKey,
    long timestamp,
    String signature)
    implements PoolMessage {

  @Override
  public String type() {
    return SwapSigMessageTypes.PARTICIPANT_REGISTERED;
  }

  /** The registered input. */
  public OutPoint input() {
    return OutPoint.fromDisplayHex(inputTxId, inputIndex);
  }

  /** The signer key's bytes. */
  public byte[] signerKey() {
    return HexFormat.of().parseHex(publicKey);
  }

  /** @param sig the signature @return a copy carrying it */
  public ParticipantRegistration withSignature(String sig) {
    return new ParticipantRegistration(
        poolId, peerId, publicKey, inputTxId, inputIndex, inputPublicKey, inputAmount,
        ownershipProof, finalOutputCommitment, encryptionKey, timestamp, sig);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("poolId", poolId);
    o.put("participantIndex", -1);
    o.put("peerId", peerId);
    o.put("publicKey", publicKey);
    o.put("inputTxId", inputTxId);
    o.put("inputIndex", inputIndex);
    o.put("ownershipProof", ownershipProof);
    o.put("finalOutputCommitment", finalOutputCommitment);
    o.put("timestamp", timestamp);
    o.put("inputPublicKey", inputPublicKey);
    o.put("inputAmount", inputAmount);
    o.put("encryptionKey", encryptionKey);
    if (signature != null) {
      o.put(Signing.FIELD, signature);
    }
    return o;
  }

  /**
   * @param n the payload
   * @return the registration
   * @throws MalformedSwapSigMessageException naming the bad field
   */
  public static ParticipantRegistration decode(JsonNode n) {
    WireFields.object(n, "registration");
    return new ParticipantRegistration(
        WireFields.hex(n, "poolId", 32),
        WireFields.text(n, "peerId", 128),
        WireFields.key33(n, "publicKey"),
        WireFields.hex(n, "inputTxId", 32),
        WireFields.integer(n, "inputIndex", 0, 0xffffffffL),
        WireFields.key33(n, "inputPublicKey"),
        WireFields.integer(n, "inputAmount", 1, WireFields.MAX_SAFE),
        WireFields.hex(n, "ownershipProof", 64),
        WireFields.hex(n, "finalOutputCommitment", 32),
        WireFields.hex(n, "encryptionKey", 32),
        WireFields.integer(n, "timestamp", 0, WireFields.MAX_SAFE),
        WireFields.hex(n, Signing.FIELD, 64));
  }
}
