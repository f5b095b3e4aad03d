package org.lotusia.musig2.p2p.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.lotusia.chain.crypto.Hashes;

/**
 * {@code musig2:partial-sig-share}: a signer's partial signature (MuSig2 round 2). Wire: {@code
 * {"sessionId","signerIndex","partialSig","timestamp","nonceDigest","sequenceNumber",
 * "signature"}}, the partial signature as 32 bytes big-endian. The added {@code nonceDigest}
 * ({@link #nonceDigest(List)} of the nonces the signer used) lets a receiver tell a partial
 * signature made over another set of nonces (some signer sent different nonces to different
 * participants) from an invalid one, so that an honest signer is not blamed for it.
 *
 * @param sessionId the session
 * @param signerIndex the sender's signer index
 * @param partialSignature 32 bytes
 * @param timestamp the sender's clock in ms
 * @param nonceDigest 32 bytes, or null (lotus-sdk form)
 * @param auth sequence number and signature, or null
 */
public record PartialSignatureShare(
    String sessionId,
    int signerIndex,
    byte[] partialSignature,
    long timestamp,
    byte[] nonceDigest,
    MessageAuth auth)
    implements SessionMessage {

  /** Copies the arrays and checks their length. */
  public PartialSignatureShare {
    if (partialSignature == null || partialSignature.length != 32) {
      throw new IllegalArgumentException("partial signature must be 32 bytes");
    }
    if (nonceDigest != null && nonceDigest.length != 32) {
      throw new IllegalArgumentException("nonce digest must be 32 bytes");
    }
    partialSignature = partialSignature.clone();
    nonceDigest = nonceDigest == null ? null : nonceDigest.clone();
  }

  /**
   * @param publicNonces every signer's 66-byte public nonce, in signer-index order
   * @return SHA-256 of their concatenation
   */
  public static byte[] nonceDigest(List<byte[]> publicNonces) {
    return Hashes.sha256(publicNonces.toArray(new byte[0][]));
  }

  /**
   * @return a copy of the {@code partialSignature} component (null when absent)
   */
  @Override
  public byte[] partialSignature() {
    return partialSignature.clone();
  }

  /**
   * @return a copy of the {@code nonceDigest} component (null when absent)
   */
  @Override
  public byte[] nonceDigest() {
    return nonceDigest == null ? null : nonceDigest.clone();
  }

  @Override
  public MessageType type() {
    return MessageType.PARTIAL_SIG_SHARE;
  }

  @Override
  public PartialSignatureShare withAuth(MessageAuth a) {
    return new PartialSignatureShare(
        sessionId, signerIndex, partialSignature, timestamp, nonceDigest, a);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = WireJson.object();
    o.put("sessionId", sessionId);
    o.put("signerIndex", signerIndex);
    o.put("partialSig", WireJson.hexOf(partialSignature));
    o.put("timestamp", timestamp);
    if (nonceDigest != null) {
      o.put("nonceDigest", WireJson.hexOf(nonceDigest));
    }
    SessionMessage.writeAuth(o, auth);
    return o;
  }

  @Override
  public void writeSignedFields(SignedEncoding e) {
    e.u32(signerIndex).bytes(partialSignature).optBytes(nonceDigest);
  }

  static PartialSignatureShare decode(JsonNode o) {
    return new PartialSignatureShare(
        SessionMessage.readSessionId(o),
        WireJson.index(o, "signerIndex"),
        WireJson.hex(o, "partialSig", 32),
        WireJson.timestamp(o, "timestamp"),
        o.hasNonNull("nonceDigest") ? WireJson.hex(o, "nonceDigest", 32) : null,
        SessionMessage.readAuth(o));
  }

  @Override
  public boolean equals(Object x) {
    return x instanceof PartialSignatureShare m && toJson().equals(m.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }
}
