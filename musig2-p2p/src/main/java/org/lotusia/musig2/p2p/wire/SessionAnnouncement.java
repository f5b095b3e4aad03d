package org.lotusia.musig2.p2p.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.musig2.p2p.election.ElectionMethod;
import org.lotusia.p2p.protocol.JsJsonWriter;

/**
 * A session announcement, published raw (no envelope) on the GossipSub topic {@value #TOPIC} and
 * stored as the DHT resource {@code resource:}{@value #RESOURCE_TYPE}{@code :<sessionId>}.
 *
 * <p>Wire: lotus-sdk's fields in its order (reference 3.5) {@code
 * {"sessionId","requiredSigners","coordinatorPeerId","signers","messageHash","createdAt",
 * "expiresAt","metadata"?}}, then the added {@code "message"} (the 32 bytes every signer signs;
 * lotus-sdk announces only its hash and joiners sign the hash, P3), {@code "creatorPublicKey"},
 * {@code "electionMethod"}, {@code "taprootMerkleRoot"?}, {@code "nonceCommitments"} and {@code
 * "signature"}: the creator's Lotus Schnorr signature over {@link #signedDigest()}, which binds the
 * announcement to the creator's signer key and to its peer ID (lotus-sdk announcements are
 * unsigned and unbound, P7).
 *
 * <p>The decoder reads lotus-sdk's unsigned form too (the added fields then are null, LEXICOGRAPHIC
 * and false); the session layer refuses to join such a session. Immutable; byte arrays are copied;
 * equality compares the encodings.
 *
 * @param sessionId the session ID (32 hex characters for sessions created here)
 * @param coordinatorPeerId the creator's peer ID
 * @param signers the signers' 33-byte keys in sorted order
 * @param messageHash SHA-256 of the message (lotus-sdk's field)
 * @param createdAt the creator's clock in ms when it announced
 * @param expiresAt when the announcement expires, in ms
 * @param metadata application metadata object, or null
 * @param message the 32-byte message to sign, or null in lotus-sdk's form
 * @param creatorPublicKey the creator's signer key (one of {@code signers}), or null
 * @param electionMethod the coordinator election method
 * @param taprootMerkleRoot the Lotus Taproot merkle root (32 zero bytes for key-path only) when
 *     the session signs a Taproot key-path spend under the tweaked key, else null
 * @param nonceCommitments whether signers commit to their nonces before revealing them
 * @param signature the creator's 64-byte signature, or null in lotus-sdk's form
 */
public record SessionAnnouncement(
    String sessionId,
    String coordinatorPeerId,
    List<byte[]> signers,
    byte[] messageHash,
    long createdAt,
    long expiresAt,
    ObjectNode metadata,
    byte[] message,
    byte[] creatorPublicKey,
    ElectionMethod electionMethod,
    byte[] taprootMerkleRoot,
    boolean nonceCommitments,
    byte[] signature) {

  /** lotus-sdk's announcement topic. */
  public static final String TOPIC = "lotus/musig2/sessions";

  /** DHT resource type of announcements (lotus-sdk up to v0.1.39 used the same type). */
  public static final String RESOURCE_TYPE = "musig2-session";

  /** Largest signer list the decoder accepts; the session layer's own limit is lower. */
  public static final int MAX_SIGNERS = 1000;

  /** Copies the arrays and checks the lengths. */
  public SessionAnnouncement {
    List<byte[]> copy = new ArrayList<>(signers.size());
    for (byte[] k : signers) {
      if (k.length != 33) {
        throw new IllegalArgumentException("signer keys must be 33 bytes");
      }
      copy.add(k.clone());
    }
    signers = List.copyOf(copy);
    messageHash = check(messageHash, 32, "messageHash", false);
    message = check(message, 32, "message", true);
    creatorPublicKey = check(creatorPublicKey, 33, "creatorPublicKey", true);
    taprootMerkleRoot = check(taprootMerkleRoot, 32, "taprootMerkleRoot", true);
    signature = check(signature, 64, "signature", true);
    if (electionMethod == null) {
      electionMethod = ElectionMethod.LEXICOGRAPHIC;
    }
    if (metadata != null) {
      metadata = metadata.deepCopy();
    }
  }

  private static byte[] check(byte[] b, int len, String name, boolean nullable) {
    if (b == null) {
      if (nullable) {
        return null;
      }
      throw new IllegalArgumentException(name + " is required");
    }
    if (b.length != len) {
      throw new IllegalArgumentException(name + " must be " + len + " bytes, got " + b.length);
    }
    return b.clone();
  }

  /**
   * @return a copy of the {@code signers} component (null when absent)
   */
  @Override
  public List<byte[]> signers() {
    List<byte[]> out = new ArrayList<>(signers.size());
    for (byte[] k : signers) {
      out.add(k.clone());
    }
    return out;
  }

  /**
   * @return a copy of the {@code messageHash} component (null when absent)
   */
  @Override
  public byte[] messageHash() {
    return messageHash.clone();
  }

  /**
   * @return a copy of the {@code message} component (null when absent)
   */
  @Override
  public byte[] message() {
    return message == null ? null : message.clone();
  }

  /**
   * @return a copy of the {@code creatorPublicKey} component (null when absent)
   */
  @Override
  public byte[] creatorPublicKey() {
    return creatorPublicKey == null ? null : creatorPublicKey.clone();
  }

  /**
   * @return a copy of the {@code taprootMerkleRoot} component (null when absent)
   */
  @Override
  public byte[] taprootMerkleRoot() {
    return taprootMerkleRoot == null ? null : taprootMerkleRoot.clone();
  }

  /**
   * @return a copy of the {@code signature} component (null when absent)
   */
  @Override
  public byte[] signature() {
    return signature == null ? null : signature.clone();
  }

  /**
   * @return a copy of the {@code metadata} component (null when absent)
   */
  @Override
  public ObjectNode metadata() {
    return metadata == null ? null : metadata.deepCopy();
  }

  /**
   * @return the number of signers (lotus-sdk's {@code requiredSigners})
   */
  public int requiredSigners() {
    return signers.size();
  }

  /**
   * @param index a sorted signer index
   * @return a copy of that signer's key
   */
  public byte[] signer(int index) {
    return signers.get(index).clone();
  }

  /**
   * @param publicKey a 33-byte key
   * @return its sorted signer index, or -1 if it is not a signer
   */
  public int indexOf(byte[] publicKey) {
    for (int i = 0; i < signers.size(); i++) {
      if (Arrays.equals(signers.get(i), publicKey)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * @param sig the creator's signature
   * @return this announcement with it
   */
  public SessionAnnouncement withSignature(byte[] sig) {
    return new SessionAnnouncement(
        sessionId,
        coordinatorPeerId,
        signers,
        messageHash,
        createdAt,
        expiresAt,
        metadata,
        message,
        creatorPublicKey,
        electionMethod,
        taprootMerkleRoot,
        nonceCommitments,
        sig);
  }

  /**
   * The digest the creator signs: every field but the signature, in the canonical length-prefixed
   * encoding of {@link SignedEncoding} under {@link SignedEncoding#ANNOUNCEMENT_DOMAIN}; metadata
   * as its JSON text.
   *
   * @return 32 bytes
   * @throws IllegalStateException in lotus-sdk's form (no message or creator key)
   */
  public byte[] signedDigest() {
    if (message == null || creatorPublicKey == null) {
      throw new IllegalStateException("a lotus-sdk announcement without message or key is unsigned");
    }
    SignedEncoding e = new SignedEncoding(SignedEncoding.ANNOUNCEMENT_DOMAIN);
    e.str(sessionId).str(coordinatorPeerId).u32(signers.size());
    for (byte[] k : signers) {
      e.bytes(k);
    }
    e.bytes(messageHash)
        .u64(createdAt)
        .u64(expiresAt)
        .optStr(metadata == null ? null : JsJsonWriter.write(metadata))
        .bytes(message)
        .bytes(creatorPublicKey)
        .str(electionMethod.wire())
        .optBytes(taprootMerkleRoot)
        .bool(nonceCommitments);
    return e.digest();
  }

  /**
   * @return the announcement as a JSON object in wire key order; a new tree owned by the caller
   */
  public ObjectNode toJson() {
    ObjectNode o = WireJson.object();
    o.put("sessionId", sessionId);
    o.put("requiredSigners", signers.size());
    o.put("coordinatorPeerId", coordinatorPeerId);
    ArrayNode arr = o.putArray("signers");
    for (byte[] k : signers) {
      arr.add(WireJson.hexOf(k));
    }
    o.put("messageHash", WireJson.hexOf(messageHash));
    o.put("createdAt", createdAt);
    o.put("expiresAt", expiresAt);
    if (metadata != null) {
      o.set("metadata", metadata.deepCopy());
    }
    if (message != null) {
      o.put("message", WireJson.hexOf(message));
    }
    if (creatorPublicKey != null) {
      o.put("creatorPublicKey", WireJson.hexOf(creatorPublicKey));
    }
    o.put("electionMethod", electionMethod.wire());
    if (taprootMerkleRoot != null) {
      o.put("taprootMerkleRoot", WireJson.hexOf(taprootMerkleRoot));
    }
    o.put("nonceCommitments", nonceCommitments);
    if (signature != null) {
      o.put("signature", WireJson.hexOf(signature));
    }
    return o;
  }

  /**
   * Decodes an announcement strictly: {@code requiredSigners} must equal the number of signers,
   * signers must be distinct compressed keys in ascending byte order, and {@code messageHash} must
   * be SHA-256 of {@code message} when both are present.
   *
   * @param o the JSON object
   * @return the announcement (its signature not yet verified)
   * @throws MalformedMessageException naming the field that does not decode
   */
  public static SessionAnnouncement decode(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new MalformedMessageException(
          "announcement", "expected a JSON object, got " + WireJson.typeName(o));
    }
    String sessionId = SessionMessage.readSessionId(o);
    long required = WireJson.integer(o, "requiredSigners", MAX_SIGNERS);
    String creatorPeer =
        WireJson.text(o, "coordinatorPeerId", SessionMessage.MAX_PEER_ID_LENGTH);
    JsonNode arr = WireJson.array(o, "signers", MAX_SIGNERS);
    List<byte[]> signers = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      byte[] k = WireJson.publicKeyValue(arr.get(i), "signers[" + i + "]");
      if (i > 0 && Arrays.compareUnsigned(signers.get(i - 1), k) >= 0) {
        throw new MalformedMessageException(
            "signers[" + i + "]", "signers must be distinct and sorted in ascending byte order");
      }
      signers.add(k);
    }
    if (required != signers.size()) {
      throw new MalformedMessageException(
          "requiredSigners", required + " differs from the " + signers.size() + " signers listed");
    }
    if (signers.isEmpty()) {
      throw new MalformedMessageException("signers", "must list at least one signer");
    }
    byte[] messageHash = WireJson.hex(o, "messageHash", 32);
    long createdAt = WireJson.timestamp(o, "createdAt");
    long expiresAt = WireJson.timestamp(o, "expiresAt");
    ObjectNode metadata = null;
    JsonNode md = o.get("metadata");
    if (md != null && !md.isNull()) {
      if (!md.isObject()) {
        throw new MalformedMessageException("metadata", "expected an object, got " + WireJson.typeName(md));
      }
      metadata = (ObjectNode) md;
    }
    byte[] message = o.hasNonNull("message") ? WireJson.hex(o, "message", 32) : null;
    if (message != null && !Arrays.equals(Hashes.sha256(message), messageHash)) {
      throw new MalformedMessageException("messageHash", "is not SHA-256 of 'message'");
    }
    byte[] creatorKey =
        o.hasNonNull("creatorPublicKey") ? WireJson.publicKey(o, "creatorPublicKey") : null;
    String method = WireJson.optionalText(o, "electionMethod", 32);
    ElectionMethod election = ElectionMethod.LEXICOGRAPHIC;
    if (method != null) {
      election =
          ElectionMethod.fromWire(method)
              .orElseThrow(
                  () ->
                      new MalformedMessageException(
                          "electionMethod",
                          "unknown method '"
                              + method
                              + "'; accepted: lexicographic, hash-based, first-signer,"
                              + " last-signer"));
    }
    byte[] root =
        o.hasNonNull("taprootMerkleRoot") ? WireJson.hex(o, "taprootMerkleRoot", 32) : null;
    boolean commitments = o.hasNonNull("nonceCommitments") && WireJson.bool(o, "nonceCommitments");
    byte[] sig = o.hasNonNull("signature") ? WireJson.hex(o, "signature", 64) : null;
    return new SessionAnnouncement(
        sessionId,
        creatorPeer,
        signers,
        messageHash,
        createdAt,
        expiresAt,
        metadata,
        message,
        creatorKey,
        election,
        root,
        commitments,
        sig);
  }

  @Override
  public boolean equals(Object x) {
    return x instanceof SessionAnnouncement a && toJson().equals(a.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return "SessionAnnouncement[" + sessionId + ", " + signers.size() + " signers, creator "
        + coordinatorPeerId + "]";
  }
}
