package org.lotusia.musig2.p2p.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.lotusia.chain.crypto.TaggedHash;

/**
 * {@code musig2:nonce-commitment} (added; the optional commitment round that lotus-sdk's docs list
 * as missing): before any nonce is revealed, each signer sends a hash of its public nonce, so that
 * the last signer to reveal cannot choose its nonce after seeing the others'. Wire: {@code
 * {"sessionId","signerIndex","commitment","timestamp","sequenceNumber","signature"}}.
 *
 * @param sessionId the session
 * @param signerIndex the sender's signer index
 * @param commitment 32 bytes, {@link #commit(String, int, byte[], byte[])}
 * @param timestamp the sender's clock in ms
 * @param auth sequence number and signature, or null
 */
public record NonceCommitment(
    String sessionId, int signerIndex, byte[] commitment, long timestamp, MessageAuth auth)
    implements SessionMessage {

  /** The tag of the commitment hash. */
  public static final String TAG = "lotus-musig2-p2p/nonce-commitment";

  /** Copies the commitment and checks its length. */
  public NonceCommitment {
    if (commitment == null || commitment.length != 32) {
      throw new IllegalArgumentException("commitment must be 32 bytes");
    }
    commitment = commitment.clone();
  }

  /**
   * The commitment to a public nonce: {@code H_tag(TAG, len(sessionId) || sessionId || u32(index)
   * || R1 || R2)}.
   *
   * @param sessionId the session
   * @param signerIndex the committing signer
   * @param r1 33-byte first nonce point
   * @param r2 33-byte second nonce point
   * @return 32 bytes
   */
  public static byte[] commit(String sessionId, int signerIndex, byte[] r1, byte[] r2) {
    byte[] id = sessionId.getBytes(StandardCharsets.UTF_8);
    SignedEncoding e = new SignedEncoding("nonce");
    e.bytes(id).u32(signerIndex).bytes(r1).bytes(r2);
    return TaggedHash.hash(TAG, e.toByteArray());
  }

  /**
   * @return a copy of the {@code commitment} component (null when absent)
   */
  @Override
  public byte[] commitment() {
    return commitment.clone();
  }

  @Override
  public MessageType type() {
    return MessageType.NONCE_COMMITMENT;
  }

  @Override
  public NonceCommitment withAuth(MessageAuth a) {
    return new NonceCommitment(sessionId, signerIndex, commitment, timestamp, a);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = WireJson.object();
    o.put("sessionId", sessionId);
    o.put("signerIndex", signerIndex);
    o.put("commitment", WireJson.hexOf(commitment));
    o.put("timestamp", timestamp);
    SessionMessage.writeAuth(o, auth);
    return o;
  }

  @Override
  public void writeSignedFields(SignedEncoding e) {
    e.u32(signerIndex).bytes(commitment);
  }

  static NonceCommitment decode(JsonNode o) {
    return new NonceCommitment(
        SessionMessage.readSessionId(o),
        WireJson.index(o, "signerIndex"),
        WireJson.hex(o, "commitment", 32),
        WireJson.timestamp(o, "timestamp"),
        SessionMessage.readAuth(o));
  }

  @Override
  public boolean equals(Object x) {
    return x instanceof NonceCommitment m && toJson().equals(m.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }
}
