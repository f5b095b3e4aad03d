package org.lotusia.p2p.coordinator.discovery;

import java.util.Objects;
import java.util.Optional;
import org.lotusia.chain.crypto.EcPoint;

/**
 * The outcome of validating an advertisement: accepted with the key that verified it, or refused
 * with the reason and a detail for logs. Replaces lotus-sdk's score arithmetic, in which a bad
 * signature could still leave an advertisement "valid".
 *
 * @param rejection why it was refused; empty when accepted
 * @param detail what exactly failed, or {@code accepted}
 * @param signerKey the key that verified the signature, when accepted
 * @param newVersion when accepted: true for a version not accepted before, false for a repeat of
 *     the version already accepted (from another path, or the same message again)
 */
public record ValidationVerdict(
    Optional<Rejection> rejection, String detail, Optional<EcPoint> signerKey, boolean newVersion) {

  /** Why an advertisement was refused. */
  public enum Rejection {
    /** A field is invalid (for example {@code peerInfo.peerId} is not a peer ID). */
    MALFORMED(true),
    /** Not published by the peer it names (GossipSub author or DHT record creator). */
    WRONG_AUTHOR(true),
    /** The publisher's reputation kept by this node is below the policy's minimum. */
    LOW_REPUTATION(false),
    /** {@code createdAt} lies further in the future than the allowed clock skew. */
    FROM_THE_FUTURE(false),
    /** {@code expiresAt} has passed. */
    EXPIRED(false),
    /** Older than the policy's maximum advertisement age. */
    TOO_OLD(false),
    /** Older than (or conflicting with) a version of the same advertisement already accepted. */
    REPLAYED(false),
    /** The publisher exceeded its advertisements per window. */
    RATE_LIMITED(true),
    /** The advertisement names no key its signature could be checked with. */
    NO_KEY(true),
    /** The signature does not verify. */
    BAD_SIGNATURE(true),
    /** A custom validator of the policy refused it. */
    CUSTOM_VALIDATOR(true);

    private final boolean penalized;

    Rejection(boolean penalized) {
      this.penalized = penalized;
    }

    /**
     * Whether this refusal lowers the publisher's reputation. Expiry, age, clock skew, replays and
     * low reputation can happen to honest peers (delays, stale DHT copies, a wrong clock) and do
     * not.
     *
     * @return true when the publisher is at fault
     */
    public boolean penalized() {
      return penalized;
    }
  }

  /** Checks for nulls. */
  public ValidationVerdict {
    Objects.requireNonNull(rejection, "rejection");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(signerKey, "signerKey");
  }

  static ValidationVerdict accept(EcPoint key, boolean newVersion) {
    return new ValidationVerdict(Optional.empty(), "accepted", Optional.of(key), newVersion);
  }

  static ValidationVerdict reject(Rejection r, String detail) {
    return new ValidationVerdict(Optional.of(r), detail, Optional.empty(), false);
  }

  /**
   * Whether the advertisement was accepted.
   *
   * @return true when accepted
   */
  public boolean accepted() {
    return rejection.isEmpty();
  }
}
