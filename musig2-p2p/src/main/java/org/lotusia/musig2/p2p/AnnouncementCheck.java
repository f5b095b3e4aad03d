package org.lotusia.musig2.p2p;

import java.nio.charset.StandardCharsets;
import org.lotusia.musig2.p2p.wire.MalformedMessageException;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.musig2.p2p.wire.WireJson;
import org.lotusia.p2p.protocol.JsJsonWriter;

/**
 * The checks an announcement must pass before anyone joins it or reports it: it is signed (not
 * lotus-sdk's unsigned form), the signature verifies under the creator key, that key is a signer,
 * the session ID has the usual form, the signer count and metadata are within limits, and the
 * times are plausible (created not in the future beyond the skew, not expired, lifetime within the
 * limit). Also judges raw topic messages for the network's topic validator ({@link #judge}).
 * Stateless apart from its settings; thread-safe.
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
    Problem p = find(a);
    return p == null ? null : p.reason();
  }

  /**
   * Judges a topic message before GossipSub forwards it: REJECT for what is provably forged or
   * malformed (so that the forwarder's score drops), IGNORE for what may be honest but is not
   * acceptable here (lotus-sdk's unsigned form, local limits, clocks), ACCEPT otherwise.
   */
  AnnouncementVerdict judge(String publisher, byte[] data) {
    SessionAnnouncement a;
    try {
      a = SessionAnnouncement.decode(
          WireJson.parseObject(data, svc.config.maxTopicMessageBytes(), "announcement"));
    } catch (MalformedMessageException e) {
      return AnnouncementVerdict.reject("announcement does not decode: " + e.getMessage());
    }
    if (!a.coordinatorPeerId().equals(publisher)) {
      return AnnouncementVerdict.reject("announcement published by " + publisher
          + " names another creator, " + a.coordinatorPeerId());
    }
    Problem p = find(a);
    if (p == null) {
      return AnnouncementVerdict.accept();
    }
    return p.forged()
        ? AnnouncementVerdict.reject("announcement refused: " + p.reason())
        : AnnouncementVerdict.ignore("announcement refused: " + p.reason());
  }

  /** What is wrong, and whether it proves forgery or malformation (not a limit or a clock). */
  record Problem(String reason, boolean forged) {}

  /** @return null if acceptable, else the problem */
  Problem find(SessionAnnouncement a) {
    SessionConfig c = svc.config;
    if (a.signature() == null || a.message() == null || a.creatorPublicKey() == null) {
      return new Problem("unsigned (lotus-sdk form): it carries no message, creator key or"
          + " signature, so neither the message nor the creator can be verified", false);
    }
    if (!SessionIds.isWellFormed(a.sessionId())) {
      return new Problem(
          "session ID " + a.sessionId() + " is not 32 lower-case hex characters", true);
    }
    int n = a.requiredSigners();
    if (n < 2 || n > c.maxSigners()) {
      return new Problem(n + " signers, outside the accepted [2, " + c.maxSigners() + "]", false);
    }
    if (a.indexOf(a.creatorPublicKey()) < 0) {
      return new Problem("the creator key is not one of the signers", true);
    }
    if (a.metadata() != null) {
      int size = JsJsonWriter.write(a.metadata()).getBytes(StandardCharsets.UTF_8).length;
      if (size > c.maxMetadataBytes()) {
        return new Problem(
            "metadata of " + size + " bytes exceeds the limit of " + c.maxMetadataBytes(), false);
      }
    }
    long now = svc.now();
    long skew = c.maxClockSkew().toMillis();
    if (a.createdAt() > now + skew) {
      return new Problem("created " + (a.createdAt() - now) + " ms in the future", false);
    }
    if (a.expiresAt() <= now) {
      return new Problem("expired " + (now - a.expiresAt()) + " ms ago", false);
    }
    if (a.expiresAt() <= a.createdAt()
        || a.expiresAt() - a.createdAt() > c.maxAnnouncementTtl().toMillis()) {
      return new Problem("lifetime of " + (a.expiresAt() - a.createdAt()) + " ms is outside (0, "
          + c.maxAnnouncementTtl().toMillis() + "]", false);
    }
    boolean ok;
    try {
      ok = svc.network.verify(a.creatorPublicKey(), a.signedDigest(), a.signature());
    } catch (RuntimeException e) {
      ok = false;
    }
    return ok ? null : new Problem("the signature does not verify under the creator key", true);
  }
}
