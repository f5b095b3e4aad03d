package org.lotusia.p2p.security;

import java.util.HashMap;
import java.util.Map;

/**
 * Everything the manager knows about one peer. Guarded by the instance's own monitor: every access
 * happens inside {@code synchronized (state)}.
 *
 * <p>Memory per peer is bounded: three token buckets (created on first use; an absent bucket is a
 * full one) and one entry per announced resource, which the resource quotas bound. A resource's
 * entry holds the time of its last accepted announcement, so releasing a resource forgets its time.
 */
final class PeerState {

  static final long NEVER = Long.MIN_VALUE;

  final String peerId;
  long lastActivity;
  int warnings;
  int invalidEvents;
  boolean banned;
  long tempBanUntil = NEVER;

  /** Direct messages sent by this peer; {@code null} until first used. */
  private TokenBucket messageBucket;

  /** Topic messages authored by this peer (or relayed unsigned); {@code null} until first used. */
  private TokenBucket topicBucket;

  /** Resource announcements of this peer, across all resources; {@code null} until first used. */
  private TokenBucket announcementBucket;

  /** type -> id -> time of the last accepted announcement; the total is {@link #resourceCount}. */
  private final Map<String, Map<String, Long>> resources = new HashMap<>();

  int resourceCount;

  PeerState(String peerId, long now) {
    this.peerId = peerId;
    this.lastActivity = now;
  }

  boolean hasResource(String type, String id) {
    Map<String, Long> ids = resources.get(type);
    return ids != null && ids.containsKey(id);
  }

  /** Time of the resource's last accepted announcement, or {@link #NEVER} if it is not tracked. */
  long lastAnnounced(String type, String id) {
    Map<String, Long> ids = resources.get(type);
    Long at = ids == null ? null : ids.get(id);
    return at == null ? NEVER : at;
  }

  int resourceCount(String type) {
    Map<String, Long> ids = resources.get(type);
    return ids == null ? 0 : ids.size();
  }

  /** Tracks the resource (or refreshes its time if tracked). */
  void addResource(String type, String id, long now) {
    if (resources.computeIfAbsent(type, t -> new HashMap<>()).put(id, now) == null) {
      resourceCount++;
    }
  }

  boolean removeResource(String type, String id) {
    Map<String, Long> ids = resources.get(type);
    if (ids == null || ids.remove(id) == null) {
      return false;
    }
    resourceCount--;
    if (ids.isEmpty()) {
      resources.remove(type);
    }
    return true;
  }

  /** The direct-message bucket, created full at {@code rate} on first use. */
  TokenBucket messageBucket(TokenBucket.Rate rate, long now) {
    if (messageBucket == null) {
      messageBucket = new TokenBucket(rate, now);
    }
    return messageBucket;
  }

  /** The topic-message bucket, created full at {@code rate} on first use. */
  TokenBucket topicBucket(TokenBucket.Rate rate, long now) {
    if (topicBucket == null) {
      topicBucket = new TokenBucket(rate, now);
    }
    return topicBucket;
  }

  /** The announcement bucket, created full at {@code rate} on first use. */
  TokenBucket announcementBucket(TokenBucket.Rate rate, long now) {
    if (announcementBucket == null) {
      announcementBucket = new TokenBucket(rate, now);
    }
    return announcementBucket;
  }

  boolean tempBanned(long now) {
    if (tempBanUntil == NEVER) {
      return false;
    }
    if (now < tempBanUntil) {
      return true;
    }
    tempBanUntil = NEVER; // expired: forget it; the warning count stays, as in lotus-sdk
    return false;
  }

  /** Whether dropping this state would lose something that must be remembered. */
  boolean pinned(long now) {
    return banned || tempBanned(now) || resourceCount > 0;
  }

  /**
   * Whether this state holds nothing a fresh one would not: no ban, resource, warning or invalid
   * event, and every bucket full again. Dropping such a state changes no future decision.
   */
  boolean blank(long now) {
    return !pinned(now)
        && warnings == 0
        && invalidEvents == 0
        && full(messageBucket, now)
        && full(topicBucket, now)
        && full(announcementBucket, now);
  }

  private static boolean full(TokenBucket bucket, long now) {
    return bucket == null || bucket.isFull(now);
  }
}
