package org.lotusia.musig2.p2p;

import java.nio.charset.StandardCharsets;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.p2p.protocol.JsJsonWriter;

/**
 * The checks an announcement must pass before anyone joins it or reports it: it is signed (not
 * lotus-sdk's unsigned form), the signature verifies under the creator key, that key is a signer,
 * the session ID has the usual form, the signer count and metadata are within limits, and the
 * times are plausible (created not in the future beyond the skew, not expired, lifetime within the
 * limit). Stateless apart from its settings; thread-safe.
 */
final class AnnouncementCheck {

  private final SessionServices svc;

  AnnouncementCheck(SessionServices svc) {
    this.svc = svc;
  }

  /**
   * @return null if the announcement is acceptable, else what is wrong with it
   */
  String problem(SessionAnnouncement a) {
    SessionConfig c = svc.config;
    if (a.signature() == null || a.message() == null || a.creatorPublicKey() == null) {
      return "unsigned (lotus-sdk form): it carries no message, creator key or signature, so"
          + " neither the message nor the creator can be verified";
    }
    if (!SessionIds.isWellFormed(a.sessionId())) {
      return "session ID " + a.sessionId() + " is not 32 lower-case hex characters";
    }
    int n = a.requiredSigners();
    if (n < 2 || n > c.maxSigners()) {
      return n + " signers, outside the accepted [2, " + c.maxSigners() + "]";
    }
    if (a.indexOf(a.creatorPublicKey()) < 0) {
      return "the creator key is not one of the signers";
    }
    if (a.metadata() != null) {
      int size = JsJsonWriter.write(a.metadata()).getBytes(StandardCharsets.UTF_8).length;
      if (size > c.maxMetadataBytes()) {
        return "metadata of " + size + " bytes exceeds the limit of " + c.maxMetadataBytes();
      }
    }
    long now = svc.now();
    long skew = c.maxClockSkew().toMillis();
    if (a.createdAt() > now + skew) {
      return "created " + (a.createdAt() - now) + " ms in the future";
    }
    if (a.expiresAt() <= now) {
      return "expired " + (now - a.expiresAt()) + " ms ago";
    }
    if (a.expiresAt() <= a.createdAt()
        || a.expiresAt() - a.createdAt() > c.maxAnnouncementTtl().toMillis()) {
      return "lifetime of " + (a.expiresAt() - a.createdAt()) + " ms is outside (0, "
          + c.maxAnnouncementTtl().toMillis() + "]";
    }
    boolean ok;
    try {
      ok = svc.network.verify(a.creatorPublicKey(), a.signedDigest(), a.signature());
    } catch (RuntimeException e) {
      ok = false;
    }
    return ok ? null : "the signature does not verify under the creator key";
  }
}
