package org.lotusia.p2p.security;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GossipSub topic-message checks of the {@link CoreSecurityManager}: the bans of the relaying peer
 * and of the author, the topic message size and the per-author topic rate.
 *
 * <p>Whom a violation warns: the author when the message names one (a signed message), else the
 * peer it was received from. A relaying peer is not warned for an author's message it forwarded,
 * since GossipSub peers forward messages they did not write; the author is the one that flooded or
 * sent the oversized message, and its ban then stops its messages at every relay.
 *
 * <p>Thread-safe: each peer's state is read and changed under its own monitor, one peer at a time
 * (never two monitors at once), and events are published after the lock is released.
 */
final class TopicGuard {

  private static final Logger LOG = LoggerFactory.getLogger(TopicGuard.class);

  private final SecurityLimits limits;
  private final SecurityCounters counters;
  private final PeerTable peers;
  private final BanEscalation bans;
  private final EventPublisher publisher;
  private final TokenBucket.Rate rate;

  TopicGuard(
      SecurityLimits limits,
      SecurityCounters counters,
      PeerTable peers,
      BanEscalation bans,
      EventPublisher publisher) {
    this.limits = limits;
    this.counters = counters;
    this.peers = peers;
    this.bans = bans;
    this.publisher = publisher;
    this.rate =
        TokenBucket.Rate.perSecond(limits.topicMessageRatePerSecond(), limits.topicMessageBurst());
  }

  /** See {@link CoreSecurityManager#checkTopicMessage(String, String, String, int)}. */
  SecurityDecision check(String receivedFrom, String author, String topic, int size, long now) {
    counters.topicTotal.increment();
    SecurityDecision relayBan = bans.decision(peers.peek(receivedFrom), now);
    if (relayBan != null) {
      return reject(relayBan);
    }
    // The peer a violation is charged to, and whose topic bucket the message takes a token from.
    String accountable = author != null ? author : receivedFrom;
    boolean limiting = limits.rateLimitingEnabled();
    boolean oversized = size > limits.maxTopicMessageSize();
    PeerState st =
        limiting || oversized ? peers.getOrCreate(accountable, now) : peers.peek(accountable);
    if (st == null) {
      return SecurityDecision.accept();
    }
    RejectReason reason;
    String detail;
    List<SecurityEvent> events = new ArrayList<>(3);
    synchronized (st) {
      SecurityDecision ban = bans.decision(st, now);
      if (ban != null) {
        return reject(ban);
      }
      String whose =
          author != null ? "author " + author : "unsigned message from " + receivedFrom;
      if (oversized) {
        reason = RejectReason.TOPIC_MESSAGE_OVERSIZED;
        detail =
            "topic '"
                + topic
                + "': message of "
                + whose
                + " is "
                + size
                + " bytes, more than the limit of "
                + limits.maxTopicMessageSize();
      } else if (!limiting) {
        return SecurityDecision.accept();
      } else {
        st.lastActivity = now;
        TokenBucket bucket = st.topicBucket(rate, now);
        if (bucket.tryTake(now)) {
          return SecurityDecision.accept();
        }
        reason = RejectReason.TOPIC_RATE_LIMITED;
        detail =
            "topic '"
                + topic
                + "': "
                + whose
                + " is over its topic rate ("
                + rate.describe()
                + "); its next message is accepted in "
                + bucket.millisUntilToken(now)
                + " ms";
      }
      st.lastActivity = now;
      bans.warnLocked(st, reason.code(), now, events);
    }
    counters.topicRejected.increment();
    counters.count(reason);
    LOG.debug("topic message charged to {} rejected: {} ({})", accountable, reason.code(), detail);
    publisher.publish(events);
    return SecurityDecision.reject(reason, detail);
  }

  private SecurityDecision reject(SecurityDecision d) {
    counters.topicRejected.increment();
    counters.count(d.reason());
    return d;
  }
}
