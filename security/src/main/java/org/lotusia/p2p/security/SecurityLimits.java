package org.lotusia.p2p.security;

import java.time.Duration;

/**
 * Every limit of the {@link CoreSecurityManager}. Defaults are lotus-sdk's {@code
 * CORE_P2P_SECURITY_LIMITS} and the values lotus-sdk hard-codes; the ones lotus-sdk lacks (message,
 * topic and announcement rates, topic message size, dedup expiry, peer-state bounds) are new.
 *
 * <p>Rates are token buckets per peer: a bucket holds at most its burst, refills evenly at its rate
 * on the manager's clock, and each accepted event takes one token; a refused event takes none, so a
 * peer that slows down to the rate is accepted again as soon as a token has refilled.
 *
 * @param maxMessageSize largest inbound message in bytes (default 100,000)
 * @param messageRatePerSecond direct messages ({@code /lotus/message/1.0.0}) one peer may send per
 *     second in the long run (50)
 * @param messageBurst direct messages one peer may send at once before the rate applies (100)
 * @param maxTopicMessageSize largest GossipSub topic message payload in bytes (1 MiB, the
 *     GossipSub RPC limit)
 * @param topicMessageRatePerSecond topic messages one author (the receiving peer for unsigned
 *     messages) may publish per second in the long run (50)
 * @param topicMessageBurst topic messages one author may publish at once before the rate applies
 *     (100)
 * @param minDhtAnnouncementInterval least time between two accepted announcements of the same
 *     resource (peer, resource type, resource id) (30 s); announcements of different resources are
 *     not held apart, the announcement rate bounds their total
 * @param announcementRatePerMinute resource announcements one peer may make per minute across all
 *     its resources in the long run (60)
 * @param announcementBurst resource announcements one peer may make at once before the rate
 *     applies (20)
 * @param maxDhtResourcesPerPeer most resources one peer may have announced (100)
 * @param maxDhtResourcesPerTypePerPeer most resources of one type one peer may have announced (20)
 * @param dhtCleanupInterval how often the owner should call {@link CoreSecurityManager#cleanup()}
 *     (5 min)
 * @param maxInvalidMessagesPerPeer invalid inbound events after which a peer is banned permanently,
 *     independently of warnings (20)
 * @param warningsBeforeTempBan warnings at which a peer is banned temporarily (5)
 * @param warningsBeforeBan warnings at which a peer is banned permanently (10)
 * @param tempBanDuration length of a temporary ban (1 h)
 * @param maxClockSkew accepted |receiver clock - message timestamp| (5 min)
 * @param seenCacheSize de-duplication cache size (10,000)
 * @param seenCacheTtl de-duplication cache expiry (10 min)
 * @param peerIdleTimeout per-peer state without activity for this long is dropped unless the peer
 *     is banned or has announced resources (24 h, lotus-sdk's rate-limiter record age)
 * @param maxTrackedPeers most peers with state; beyond it the least recently active are dropped
 *     (50,000)
 * @param rateLimitingEnabled whether the rate limits (message, topic and announcement rates and
 *     the announcement interval) and the announcement quotas apply (lotus-sdk's {@code
 *     !disableRateLimiting}); size limits, bans and validators apply regardless
 */
public record SecurityLimits(
    int maxMessageSize,
    double messageRatePerSecond,
    int messageBurst,
    int maxTopicMessageSize,
    double topicMessageRatePerSecond,
    int topicMessageBurst,
    Duration minDhtAnnouncementInterval,
    int announcementRatePerMinute,
    int announcementBurst,
    int maxDhtResourcesPerPeer,
    int maxDhtResourcesPerTypePerPeer,
    Duration dhtCleanupInterval,
    int maxInvalidMessagesPerPeer,
    int warningsBeforeTempBan,
    int warningsBeforeBan,
    Duration tempBanDuration,
    Duration maxClockSkew,
    int seenCacheSize,
    Duration seenCacheTtl,
    Duration peerIdleTimeout,
    int maxTrackedPeers,
    boolean rateLimitingEnabled) {

  /**
   * Creates the limits and checks every one of them.
   *
   * @param maxMessageSize see the record description
   * @param messageRatePerSecond see the record description
   * @param messageBurst see the record description
   * @param maxTopicMessageSize see the record description
   * @param topicMessageRatePerSecond see the record description
   * @param topicMessageBurst see the record description
   * @param minDhtAnnouncementInterval see the record description
   * @param announcementRatePerMinute see the record description
   * @param announcementBurst see the record description
   * @param maxDhtResourcesPerPeer see the record description
   * @param maxDhtResourcesPerTypePerPeer see the record description
   * @param dhtCleanupInterval see the record description
   * @param maxInvalidMessagesPerPeer see the record description
   * @param warningsBeforeTempBan see the record description
   * @param warningsBeforeBan see the record description
   * @param tempBanDuration see the record description
   * @param maxClockSkew see the record description
   * @param seenCacheSize see the record description
   * @param seenCacheTtl see the record description
   * @param peerIdleTimeout see the record description
   * @param maxTrackedPeers see the record description
   * @param rateLimitingEnabled see the record description
   * @throws IllegalArgumentException if a value is out of range
   */
  public SecurityLimits {
    positive(maxMessageSize, "maxMessageSize");
    positiveRate(messageRatePerSecond, "messageRatePerSecond");
    positive(messageBurst, "messageBurst");
    positive(maxTopicMessageSize, "maxTopicMessageSize");
    positiveRate(topicMessageRatePerSecond, "topicMessageRatePerSecond");
    positive(topicMessageBurst, "topicMessageBurst");
    nonNegative(minDhtAnnouncementInterval, "minDhtAnnouncementInterval");
    positive(announcementRatePerMinute, "announcementRatePerMinute");
    positive(announcementBurst, "announcementBurst");
    positive(maxDhtResourcesPerPeer, "maxDhtResourcesPerPeer");
    positive(maxDhtResourcesPerTypePerPeer, "maxDhtResourcesPerTypePerPeer");
    positive(dhtCleanupInterval, "dhtCleanupInterval");
    positive(maxInvalidMessagesPerPeer, "maxInvalidMessagesPerPeer");
    positive(warningsBeforeTempBan, "warningsBeforeTempBan");
    positive(warningsBeforeBan, "warningsBeforeBan");
    positive(tempBanDuration, "tempBanDuration");
    nonNegative(maxClockSkew, "maxClockSkew");
    positive(seenCacheSize, "seenCacheSize");
    positive(seenCacheTtl, "seenCacheTtl");
    positive(peerIdleTimeout, "peerIdleTimeout");
    positive(maxTrackedPeers, "maxTrackedPeers");
  }

  /**
   * The defaults.
   *
   * @return lotus-sdk's limits
   */
  public static SecurityLimits defaults() {
    return builder().build();
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these limits.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxMessageSize = maxMessageSize;
    b.messageRatePerSecond = messageRatePerSecond;
    b.messageBurst = messageBurst;
    b.maxTopicMessageSize = maxTopicMessageSize;
    b.topicMessageRatePerSecond = topicMessageRatePerSecond;
    b.topicMessageBurst = topicMessageBurst;
    b.minDhtAnnouncementInterval = minDhtAnnouncementInterval;
    b.announcementRatePerMinute = announcementRatePerMinute;
    b.announcementBurst = announcementBurst;
    b.maxDhtResourcesPerPeer = maxDhtResourcesPerPeer;
    b.maxDhtResourcesPerTypePerPeer = maxDhtResourcesPerTypePerPeer;
    b.dhtCleanupInterval = dhtCleanupInterval;
    b.maxInvalidMessagesPerPeer = maxInvalidMessagesPerPeer;
    b.warningsBeforeTempBan = warningsBeforeTempBan;
    b.warningsBeforeBan = warningsBeforeBan;
    b.tempBanDuration = tempBanDuration;
    b.maxClockSkew = maxClockSkew;
    b.seenCacheSize = seenCacheSize;
    b.seenCacheTtl = seenCacheTtl;
    b.peerIdleTimeout = peerIdleTimeout;
    b.maxTrackedPeers = maxTrackedPeers;
    b.rateLimitingEnabled = rateLimitingEnabled;
    return b;
  }

  private static void positive(int v, String name) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
  }

  private static void positiveRate(double v, String name) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(
          name + " must be a positive, finite number of events, got " + v);
    }
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
    }
  }

  private static void nonNegative(Duration d, String name) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a non-negative duration, got " + d);
    }
  }

  /** Builder of {@link SecurityLimits}; starts from the documented defaults. Not thread-safe. */
  public static final class Builder {
    private int maxMessageSize = 100_000;
    private double messageRatePerSecond = 50;
    private int messageBurst = 100;
    private int maxTopicMessageSize = 1 << 20;
    private double topicMessageRatePerSecond = 50;
    private int topicMessageBurst = 100;
    private Duration minDhtAnnouncementInterval = Duration.ofSeconds(30);
    private int announcementRatePerMinute = 60;
    private int announcementBurst = 20;
    private int maxDhtResourcesPerPeer = 100;
    private int maxDhtResourcesPerTypePerPeer = 20;
    private Duration dhtCleanupInterval = Duration.ofMinutes(5);
    private int maxInvalidMessagesPerPeer = 20;
    private int warningsBeforeTempBan = 5;
    private int warningsBeforeBan = 10;
    private Duration tempBanDuration = Duration.ofHours(1);
    private Duration maxClockSkew = Duration.ofMinutes(5);
    private int seenCacheSize = 10_000;
    private Duration seenCacheTtl = Duration.ofMinutes(10);
    private Duration peerIdleTimeout = Duration.ofHours(24);
    private int maxTrackedPeers = 50_000;
    private boolean rateLimitingEnabled = true;

    private Builder() {}

    /**
     * Sets {@link SecurityLimits#maxMessageSize()}.
     *
     * @param v bytes, positive
     * @return this builder
     */
    public Builder maxMessageSize(int v) {
      maxMessageSize = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#messageRatePerSecond()}.
     *
     * @param v positive, finite messages per second
     * @return this builder
     */
    public Builder messageRatePerSecond(double v) {
      messageRatePerSecond = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#messageBurst()}.
     *
     * @param v positive message count
     * @return this builder
     */
    public Builder messageBurst(int v) {
      messageBurst = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#maxTopicMessageSize()}.
     *
     * @param v bytes, positive
     * @return this builder
     */
    public Builder maxTopicMessageSize(int v) {
      maxTopicMessageSize = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#topicMessageRatePerSecond()}.
     *
     * @param v positive, finite messages per second
     * @return this builder
     */
    public Builder topicMessageRatePerSecond(double v) {
      topicMessageRatePerSecond = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#topicMessageBurst()}.
     *
     * @param v positive message count
     * @return this builder
     */
    public Builder topicMessageBurst(int v) {
      topicMessageBurst = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#minDhtAnnouncementInterval()}.
     *
     * @param v non-negative interval
     * @return this builder
     */
    public Builder minDhtAnnouncementInterval(Duration v) {
      minDhtAnnouncementInterval = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#announcementRatePerMinute()}.
     *
     * @param v positive announcements per minute
     * @return this builder
     */
    public Builder announcementRatePerMinute(int v) {
      announcementRatePerMinute = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#announcementBurst()}.
     *
     * @param v positive announcement count
     * @return this builder
     */
    public Builder announcementBurst(int v) {
      announcementBurst = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#maxDhtResourcesPerPeer()}.
     *
     * @param v positive count
     * @return this builder
     */
    public Builder maxDhtResourcesPerPeer(int v) {
      maxDhtResourcesPerPeer = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#maxDhtResourcesPerTypePerPeer()}.
     *
     * @param v positive count
     * @return this builder
     */
    public Builder maxDhtResourcesPerTypePerPeer(int v) {
      maxDhtResourcesPerTypePerPeer = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#dhtCleanupInterval()}.
     *
     * @param v positive interval
     * @return this builder
     */
    public Builder dhtCleanupInterval(Duration v) {
      dhtCleanupInterval = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#maxInvalidMessagesPerPeer()}.
     *
     * @param v positive count
     * @return this builder
     */
    public Builder maxInvalidMessagesPerPeer(int v) {
      maxInvalidMessagesPerPeer = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#warningsBeforeTempBan()}.
     *
     * @param v positive count
     * @return this builder
     */
    public Builder warningsBeforeTempBan(int v) {
      warningsBeforeTempBan = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#warningsBeforeBan()}.
     *
     * @param v positive count
     * @return this builder
     */
    public Builder warningsBeforeBan(int v) {
      warningsBeforeBan = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#tempBanDuration()}.
     *
     * @param v positive duration
     * @return this builder
     */
    public Builder tempBanDuration(Duration v) {
      tempBanDuration = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#maxClockSkew()}.
     *
     * @param v non-negative window
     * @return this builder
     */
    public Builder maxClockSkew(Duration v) {
      maxClockSkew = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#seenCacheSize()}.
     *
     * @param v positive entry count
     * @return this builder
     */
    public Builder seenCacheSize(int v) {
      seenCacheSize = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#seenCacheTtl()}.
     *
     * @param v positive expiry
     * @return this builder
     */
    public Builder seenCacheTtl(Duration v) {
      seenCacheTtl = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#peerIdleTimeout()}.
     *
     * @param v positive timeout
     * @return this builder
     */
    public Builder peerIdleTimeout(Duration v) {
      peerIdleTimeout = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#maxTrackedPeers()}.
     *
     * @param v positive peer count
     * @return this builder
     */
    public Builder maxTrackedPeers(int v) {
      maxTrackedPeers = v;
      return this;
    }

    /**
     * Sets {@link SecurityLimits#rateLimitingEnabled()}.
     *
     * @param v false to skip the rate limits and the announcement quotas
     * @return this builder
     */
    public Builder rateLimitingEnabled(boolean v) {
      rateLimitingEnabled = v;
      return this;
    }

    /**
     * Builds and checks the limits.
     *
     * @return the limits
     * @throws IllegalArgumentException naming the first limit out of range
     */
    public SecurityLimits build() {
      return new SecurityLimits(
          maxMessageSize,
          messageRatePerSecond,
          messageBurst,
          maxTopicMessageSize,
          topicMessageRatePerSecond,
          topicMessageBurst,
          minDhtAnnouncementInterval,
          announcementRatePerMinute,
          announcementBurst,
          maxDhtResourcesPerPeer,
          maxDhtResourcesPerTypePerPeer,
          dhtCleanupInterval,
          maxInvalidMessagesPerPeer,
          warningsBeforeTempBan,
          warningsBeforeBan,
          tempBanDuration,
          maxClockSkew,
          seenCacheSize,
          seenCacheTtl,
          peerIdleTimeout,
          maxTrackedPeers,
          rateLimitingEnabled);
    }
  }
}
