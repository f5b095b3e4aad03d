package org.lotusia.musig2.p2p.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;

/**
 * {@code musig2:nonce-share}: a signer's public nonce (MuSig2 round 1). Wire, lotus-sdk's order:
 * {@code {"sessionId","signerIndex","publicNonces":{"r1","r2"},"timestamp"}}, then {@code
 * sequenceNumber} and {@code signature}. Exactly the two points {@code r1} and {@code r2} are
 * accepted, each a 33-byte compressed point (lotus-sdk accepts more, {@code r3...}, and ignores
 * them).
 *
 * @param sessionId the session
 * @param signerIndex the sender's signer index
 * @param r1 33-byte compressed first nonce point
 * @param r2 33-byte compressed second nonce point
 * @param timestamp the sender's clock in ms
 * @param auth sequence number and signature, or null
 */
public record NonceShare(
    String sessionId, int signerIndex, byte[] r1, byte[] r2, long timestamp, MessageAuth auth)
    implements SessionMessage {

  /** Copies the points and checks their length. */
  public NonceShare {
    if (r1 == null || r1.length != 33 || r2 == null || r2.length != 33) {
      throw new IllegalArgumentException("nonce points must be 33 bytes each");
    }
    r1 = r1.clone();
    r2 = r2.clone();
  }

  /**
   * @param sessionId the session
   * @param signerIndex the sender
   * @param publicNonce 66 bytes {@code R1 || R2}
   * @param timestamp the sender's clock in ms
   * @return the unsigned message
   */
  public static NonceShare of(
      String sessionId, int signerIndex, byte[] publicNonce, long timestamp) {
    if (publicNonce.length != 66) {
      throw new IllegalArgumentException("public nonce must be 66 bytes");
    }
    return new NonceShare(
        sessionId,
        signerIndex,
        java.util.Arrays.copyOfRange(publicNonce, 0, 33),
        java.util.Arrays.copyOfRange(publicNonce, 33, 66),
        timestamp,
        null);
  }

  /**
   * @return a copy of the {@code r1} component (null when absent)
   */
  @Override
  public byte[] r1() {
    return r1.clone();
  }

  /**
   * @return a copy of the {@code r2} component (null when absent)
   */
  @Override
  public byte[] r2() {
    return r2.clone();
  }

  /**
   * @return the 66-byte public nonce {@code R1 || R2}
   */
  public byte[] publicNonce() {
    byte[] out = new byte[66];
    System.arraycopy(r1, 0, out, 0, 33);
    System.arraycopy(r2, 0, out, 33, 33);
    return out;
  }

  @Override
  public MessageType type() {
    return MessageType.NONCE_SHARE;
  }

  @Override
  public NonceShare withAuth(MessageAuth a) {
    return new NonceShare(sessionId, signerIndex, r1, r2, timestamp, a);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = WireJson.object();
    o.put("sessionId", sessionId);
    o.put("signerIndex", signerIndex);
    ObjectNode n = o.putObject("publicNonces");
    n.put("r1", WireJson.hexOf(r1));
    n.put("r2", WireJson.hexOf(r2));
    o.put("timestamp", timestamp);
    SessionMessage.writeAuth(o, auth);
    return o;
  }

  @Override
  public void writeSignedFields(SignedEncoding e) {
    e.u32(signerIndex).bytes(r1).bytes(r2);
  }

  static NonceShare decode(JsonNode o) {
    JsonNode nonces = WireJson.object(o, "publicNonces");
    for (Iterator<String> it = nonces.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals("r1") && !k.equals("r2")) {
        throw new MalformedMessageException(
            "publicNonces." + k, "only the two points r1 and r2 are accepted");
      }
    }
    byte[] r1;
    byte[] r2;
    try {
      r1 = WireJson.publicKey(nonces, "r1");
      r2 = WireJson.publicKey(nonces, "r2");
    } catch (MalformedMessageException e) {
      throw new MalformedMessageException(
          "publicNonces." + e.field(), e.getMessage().replace("public key", "point"));
    }
    return new NonceShare(
        SessionMessage.readSessionId(o),
        WireJson.index(o, "signerIndex"),
        r1,
        r2,
        WireJson.timestamp(o, "timestamp"),
        SessionMessage.readAuth(o));
  }

  @Override
  public boolean equals(Object x) {
    return x instanceof NonceShare m && toJson().equals(m.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }
}
