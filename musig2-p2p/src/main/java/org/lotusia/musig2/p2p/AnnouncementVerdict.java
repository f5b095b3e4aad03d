package org.lotusia.musig2.p2p;

import java.util.Objects;

/**
 * What a node does with a session announcement it is about to forward on the topic {@value
 * org.lotusia.musig2.p2p.wire.SessionAnnouncement#TOPIC} (see {@link
 * SessionManager#judgeAnnouncement}): a GossipSub topic validator maps it one to one onto its own
 * verdicts. Immutable.
 *
 * @param kind accept, ignore or reject
 * @param reason why it is not accepted; empty for an accepted announcement
 */
public record AnnouncementVerdict(Kind kind, String reason) {

  /** The three outcomes of GossipSub validation. */
  public enum Kind {
    /** Valid: deliver and forward. */
    ACCEPT,
    /**
     * Not acceptable here but not proof of bad faith (lotus-sdk's unsigned form, a local limit,
     * expired or from a clock too far ahead): drop without a penalty.
     */
    IGNORE,
    /**
     * Forged or malformed (does not decode, published by another peer than the creator it names,
     * a signature that does not verify, a creator key that is not a signer, a malformed session
     * ID): drop and penalise the peer that forwarded it.
     */
    REJECT
  }

  /** Checks for nulls. */
  public AnnouncementVerdict {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
  }

  static AnnouncementVerdict accept() {
    return new AnnouncementVerdict(Kind.ACCEPT, "");
  }

  static AnnouncementVerdict ignore(String reason) {
    return new AnnouncementVerdict(Kind.IGNORE, reason);
  }

  static AnnouncementVerdict reject(String reason) {
    return new AnnouncementVerdict(Kind.REJECT, reason);
  }
}
