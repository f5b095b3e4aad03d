package org.lotusia.p2p.security;

/**
 * Why the {@link CoreSecurityManager} refused an inbound event. {@link #code()} is the reason
 * string used in warnings and events; where lotus-sdk has one, it is lotus-sdk's.
 */
public enum RejectReason {
  /** The peer is permanently banned. */
  PEER_BANNED("peer-banned", false),
  /** The peer is temporarily banned. */
  PEER_TEMP_BANNED("peer-temp-banned", false),
  /** A stream without bytes (lotus-sdk ignores these silently). */
  MESSAGE_EMPTY("empty-message", false),
  /** A message larger than the size limit. */
  MESSAGE_OVERSIZED("oversized-message", true),
  /** A direct message over the sender's message rate ({@code messageRatePerSecond}). */
  MESSAGE_RATE_LIMITED("message-rate-limit", true),
  /** Bytes that are not one JSON object with correctly typed fields. */
  MESSAGE_MALFORMED("malformed-message", true),
  /** A message failing lotus-sdk's validation (required fields, clock skew). */
  MESSAGE_INVALID("invalid-message-format", true),
  /** Authenticated mode: {@code from} is not the authenticated remote peer. */
  SENDER_MISMATCH("sender-mismatch", true),
  /** Authenticated mode: a required signature is missing. */
  SIGNATURE_MISSING("missing-signature", true),
  /** Authenticated mode: the signature does not verify. */
  SIGNATURE_INVALID("invalid-signature", true),
  /** The message was seen before (not a violation). */
  DUPLICATE("duplicate-message", false),
  /** A protocol validator rejected the message (or threw). */
  VALIDATOR_REJECTED_MESSAGE("invalid-protocol-message", true),
  /**
   * A resource was re-announced sooner than the minimum interval after its last accepted
   * announcement, or the peer is over its announcement rate across all resources.
   */
  ANNOUNCEMENT_RATE_LIMITED("dht-rate-limit-violation", true),
  /**
   * The peer already announced the maximum number of resources. Refused and counted, but not a
   * violation (lotus-sdk warns): an honest node that creates many resources within their lifetime
   * reaches the quota, and warning it would end in a ban that cuts it off entirely; spam is caught
   * by {@link #ANNOUNCEMENT_RATE_LIMITED}.
   */
  RESOURCE_LIMIT_EXCEEDED("dht-resource-limit-exceeded", false),
  /**
   * The peer already announced the maximum number of resources of this type. Not a violation, as
   * {@link #RESOURCE_LIMIT_EXCEEDED}.
   */
  RESOURCE_TYPE_LIMIT_EXCEEDED("dht-resource-limit-exceeded", false),
  /**
   * A protocol validator's {@code canAnnounceResource} said no (not a violation, as in lotus-sdk).
   */
  ANNOUNCEMENT_NOT_PERMITTED("dht-announcement-not-permitted", false),
  /** A protocol validator rejected the announcement's content (or threw). */
  ANNOUNCEMENT_INVALID("invalid-dht-announcement", true),
  /** A topic message larger than {@code maxTopicMessageSize}. */
  TOPIC_MESSAGE_OVERSIZED("oversized-topic-message", true),
  /** A topic message over its author's topic rate ({@code topicMessageRatePerSecond}). */
  TOPIC_RATE_LIMITED("topic-rate-limit", true);

  private final String code;
  private final boolean violation;

  RejectReason(String code, boolean violation) {
    this.code = code;
    this.violation = violation;
  }

  /**
   * The reason string of warnings and events.
   *
   * @return for example {@code oversized-message}
   */
  public String code() {
    return code;
  }

  /**
   * Whether this rejection is the peer's misbehaviour: it warns the peer and counts towards bans.
   *
   * @return true for violations
   */
  public boolean isViolation() {
    return violation;
  }
}
