package org.lotusia.musig2.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.musig2.p2p.wire.WireJson;

/**
 * What a {@link SessionStore} keeps of a session: enough to know after a restart which sessions
 * were in progress, whether a nonce had been issued, and whom to tell that the session is aborted.
 * Never a secret nonce or a secret key. Immutable; arrays copied.
 *
 * @param sessionId the session
 * @param announcement the signed announcement (signers, message, creator, options)
 * @param localPublicKey the local signer's 33-byte key
 * @param phase the phase when the record was written
 * @param peerIds the peer ID of each signer index, null where not known
 * @param nonceIssued whether the local nonce had been generated (written before it is revealed)
 * @param partialSigned whether the local partial signature had been created
 * @param finalSignature the final signature once known, else null
 * @param abortReason the abort reason of an aborted session, else null
 * @param nextSequence the next unused local sequence number at the time of writing
 * @param updatedAt the local clock in ms when written
 */
public record SessionRecord(
    String sessionId,
    SessionAnnouncement announcement,
    byte[] localPublicKey,
    SessionPhase phase,
    List<String> peerIds,
    boolean nonceIssued,
    boolean partialSigned,
    byte[] finalSignature,
    String abortReason,
    long nextSequence,
    long updatedAt) {

  /** Copies the mutable parts. */
  public SessionRecord {
    localPublicKey = localPublicKey.clone();
    peerIds = Collections.unmodifiableList(new ArrayList<>(peerIds));
    finalSignature = finalSignature == null ? null : finalSignature.clone();
  }

  /**
   * @return a copy of the {@code localPublicKey} component (null when absent)
   */
  @Override
  public byte[] localPublicKey() {
    return localPublicKey.clone();
  }

  /**
   * @return a copy of the {@code finalSignature} component (null when absent)
   */
  @Override
  public byte[] finalSignature() {
    return finalSignature == null ? null : finalSignature.clone();
  }

  /**
   * @return the record as JSON (the form {@link FileSessionStore} writes)
   */
  public ObjectNode toJson() {
    ObjectNode o = WireJson.object();
    o.put("sessionId", sessionId);
    o.set("announcement", announcement.toJson());
    o.put("localPublicKey", WireJson.hexOf(localPublicKey));
    o.put("phase", phase.name());
    ArrayNode peers = o.putArray("peerIds");
    for (String p : peerIds) {
      if (p == null) {
        peers.addNull();
      } else {
        peers.add(p);
      }
    }
    o.put("nonceIssued", nonceIssued);
    o.put("partialSigned", partialSigned);
    if (finalSignature != null) {
      o.put("finalSignature", WireJson.hexOf(finalSignature));
    }
    if (abortReason != null) {
      o.put("abortReason", abortReason);
    }
    o.put("nextSequence", nextSequence);
    o.put("updatedAt", updatedAt);
    return o;
  }

  /**
   * Reads a record written by {@link #toJson()}.
   *
   * @param o the JSON
   * @return the record
   * @throws org.lotusia.musig2.p2p.wire.MalformedMessageException if a field does not decode
   */
  public static SessionRecord fromJson(JsonNode o) {
    SessionAnnouncement ann = SessionAnnouncement.decode(WireJson.object(o, "announcement"));
    String phaseName = WireJson.text(o, "phase", 32);
    SessionPhase phase;
    try {
      phase = SessionPhase.valueOf(phaseName);
    } catch (IllegalArgumentException e) {
      throw new org.lotusia.musig2.p2p.wire.MalformedMessageException(
          "phase", "unknown phase " + phaseName);
    }
    JsonNode arr = WireJson.array(o, "peerIds", SessionAnnouncement.MAX_SIGNERS);
    List<String> peers = new ArrayList<>();
    for (JsonNode p : arr) {
      peers.add(p.isNull() ? null : p.asText());
    }
    return new SessionRecord(
        WireJson.text(o, "sessionId", 128),
        ann,
        WireJson.publicKey(o, "localPublicKey"),
        phase,
        peers,
        WireJson.bool(o, "nonceIssued"),
        WireJson.bool(o, "partialSigned"),
        o.hasNonNull("finalSignature") ? WireJson.hex(o, "finalSignature", 64) : null,
        WireJson.optionalText(o, "abortReason", 4096),
        WireJson.integer(o, "nextSequence", Long.MAX_VALUE),
        WireJson.timestamp(o, "updatedAt"));
  }
}
