package org.lotusia.p2p.security;

import java.util.Map;

/**
 * A snapshot of the manager's counters: lotus-sdk's {@code CoreSecurityMetrics} fields plus
 * connection counts, the total number of warnings and a counter per {@link RejectReason}.
 *
 * <p>Exact meaning: {@code messages.total} counts every inbound message event except empty streams;
 * {@code messages.rejected} those refused for any reason except duplicates; {@code
 * messages.oversized} those over the size limit. {@code topicMessages.total} counts every
 * GossipSub topic message checked, {@code topicMessages.rejected} those refused (bans, size, rate).
 * {@code dhtAnnouncements.total} counts every
 * announcement event, {@code rateLimited} those refused by the rate limit (not included in {@code
 * rejected}, as in lotus-sdk), {@code rejected} all other refusals. {@code peers.banned} is the
 * number of permanently banned peers, {@code peers.tempBanned} of peers under a running temporary
 * ban, {@code peers.warnings} the number of peers with at least one warning (lotus-sdk's meaning)
 * and {@code warningsIssued} the number of warnings.
 *
 * @param dhtAnnouncements announcement counters
 * @param messages message counters
 * @param topicMessages topic-message counters
 * @param peers peer counts
 * @param connections connection-attempt counters
 * @param warningsIssued total warnings since the last reset
 * @param rejectionsByReason refusals per reason (every reason present, zero if none)
 */
public record CoreSecurityMetrics(
    DhtAnnouncements dhtAnnouncements,
    Messages messages,
    TopicMessages topicMessages,
    Peers peers,
    Connections connections,
    long warningsIssued,
    Map<RejectReason, Long> rejectionsByReason) {

  /**
   * Creates a snapshot; the map is copied.
   *
   * @param dhtAnnouncements see the record description
   * @param messages see the record description
   * @param topicMessages see the record description
   * @param peers see the record description
   * @param connections see the record description
   * @param warningsIssued see the record description
   * @param rejectionsByReason see the record description
   */
  public CoreSecurityMetrics {
    rejectionsByReason = Map.copyOf(rejectionsByReason);
  }

  /**
   * Announcement counters.
   *
   * @param total all announcement events
   * @param rejected refused other than by the rate limit
   * @param rateLimited refused by the rate limit
   */
  public record DhtAnnouncements(long total, long rejected, long rateLimited) {}

  /**
   * Message counters.
   *
   * @param total message events except empty streams
   * @param rejected refused except duplicates
   * @param oversized over the size limit
   */
  public record Messages(long total, long rejected, long oversized) {}

  /**
   * GossipSub topic-message counters ({@link CoreSecurityManager#checkTopicMessage}).
   *
   * @param total topic messages checked
   * @param rejected refused for any reason
   */
  public record TopicMessages(long total, long rejected) {}

  /**
   * Peer counts.
   *
   * @param banned permanently banned peers
   * @param tempBanned peers under a running temporary ban
   * @param warnings peers with at least one warning
   */
  public record Peers(int banned, int tempBanned, int warnings) {}

  /**
   * Connection-attempt counters.
   *
   * @param total attempts checked
   * @param rejected attempts refused (banned peers)
   */
  public record Connections(long total, long rejected) {}
}
