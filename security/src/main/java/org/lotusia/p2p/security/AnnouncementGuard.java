package org.lotusia.p2p.security;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resource-announcement checks of the {@link CoreSecurityManager}: bans, the minimum interval per
 * resource, the per-peer announcement rate, quotas and the protocol validators, in an order that
 * consumes nothing (interval slot, rate token, quota slot) unless the announcement is accepted.
 *
 * <p>Thread-safe: per-peer state is read and changed under the peer's monitor; validators run
 * outside it, so every limit is checked again under the monitor before anything is consumed.
 */
final class AnnouncementGuard {

  private static final Logger LOG = LoggerFactory.getLogger(AnnouncementGuard.class);

  private final SecurityLimits limits;
  private final SecurityCounters counters;
  private final PeerTable peers;
  private final BanEscalation bans;
  private final ValidatorRegistry validators;
  private final EventPublisher publisher;
  private final TokenBucket.Rate rate;

  AnnouncementGuard(
      SecurityLimits limits,
      SecurityCounters counters,
      PeerTable peers,
      BanEscalation bans,
      ValidatorRegistry validators,
      EventPublisher publisher) {
    this.limits = limits;
    this.counters = counters;
    this.peers = peers;
    this.bans = bans;
    this.validators = validators;
    this.publisher = publisher;
    this.rate =
        TokenBucket.Rate.perMinute(limits.announcementRatePerMinute(), limits.announcementBurst());
  }

  /**
   * See {@link CoreSecurityManager#checkResourceAnnouncement(String, String, String, JsonNode)}.
   */
  SecurityDecision check(
      String peerId, String resourceType, String resourceId, JsonNode data, long now) {
    counters.dhtTotal.increment();
    PeerState st = peers.getOrCreate(peerId, now);
    SecurityDecision refusal;
    synchronized (st) {
      st.lastActivity = now;
      refusal = bans.decision(st, now);
      if (refusal == null) {
        refusal = quotaDecision(st, resourceType, resourceId, now);
      }
    }
    if (refusal != null) {
      return rejectAnnouncement(peerId, refusal, now);
    }
    ProtocolValidator validator = validators.lookup(resourceType);
    if (validator != null) {
      if (!ValidatorRegistry.call(() -> validator.canAnnounceResource(resourceType, peerId))) {
        return rejectAnnouncement(
            peerId,
            SecurityDecision.reject(
                RejectReason.ANNOUNCEMENT_NOT_PERMITTED,
                "peer may not announce resources of type '" + resourceType + "'"),
            now);
      }
      if (!ValidatorRegistry.call(
          () -> validator.validateResourceAnnouncement(resourceType, resourceId, data, peerId))) {
        return rejectAnnouncement(
            peerId,
            SecurityDecision.reject(
                RejectReason.ANNOUNCEMENT_INVALID,
                "validator rejected announcement " + resourceType + ":" + resourceId),
            now);
      }
    }
    synchronized (st) {
      // Re-check: a concurrent announcement of the same peer may have taken the token or the slot
      // meanwhile, or a violation may have banned the peer.
      refusal = bans.decision(st, now);
      if (refusal == null) {
        refusal = quotaDecision(st, resourceType, resourceId, now);
      }
      if (refusal == null && limits.rateLimitingEnabled()) {
        st.lastActivity = now;
        // quotaDecision saw a token under this same lock, so taking it cannot fail.
        st.announcementBucket(rate, now).tryTake(now);
        st.addResource(resourceType, resourceId, now);
      }
    }
    return refusal == null ? SecurityDecision.accept() : rejectAnnouncement(peerId, refusal, now);
  }

  /** Frees a quota slot; true if the resource was tracked. */
  boolean release(String peerId, String resourceType, String resourceId) {
    PeerState st = peers.peek(peerId);
    if (st == null) {
      return false;
    }
    synchronized (st) {
      return st.removeResource(resourceType, resourceId);
    }
  }

  /**
   * Interval per resource, the peer's announcement rate and the quotas, consuming nothing; caller
   * holds the state's lock.
   */
  private SecurityDecision quotaDecision(PeerState st, String type, String id, long now) {
    if (!limits.rateLimitingEnabled()) {
      return null;
    }
    long interval = limits.minDhtAnnouncementInterval().toMillis();
    long last = st.lastAnnounced(type, id);
    if (last != PeerState.NEVER && now - last < interval) {
      return SecurityDecision.reject(
          RejectReason.ANNOUNCEMENT_RATE_LIMITED,
          "resource "
              + type
              + ":"
              + id
              + " re-announced "
              + (now - last)
              + " ms after its previous announcement, the minimum is "
              + interval
              + " ms");
    }
    TokenBucket bucket = st.announcementBucket(rate, now);
    if (!bucket.hasToken(now)) {
      return SecurityDecision.reject(
          RejectReason.ANNOUNCEMENT_RATE_LIMITED,
          "peer is over its announcement rate ("
              + rate.describe()
              + "); the next announcement is accepted in "
              + bucket.millisUntilToken(now)
              + " ms");
    }
    if (st.hasResource(type, id)) {
      return null;
    }
    if (st.resourceCount >= limits.maxDhtResourcesPerPeer()) {
      return SecurityDecision.reject(
          RejectReason.RESOURCE_LIMIT_EXCEEDED,
          "peer already announced "
              + st.resourceCount
              + " resources, the limit is "
              + limits.maxDhtResourcesPerPeer());
    }
    if (st.resourceCount(type) >= limits.maxDhtResourcesPerTypePerPeer()) {
      return SecurityDecision.reject(
          RejectReason.RESOURCE_TYPE_LIMIT_EXCEEDED,
          "peer already announced "
              + st.resourceCount(type)
              + " resources of type '"
              + type
              + "', the limit is "
              + limits.maxDhtResourcesPerTypePerPeer());
    }
    return null;
  }

  private SecurityDecision rejectAnnouncement(String peerId, SecurityDecision d, long now) {
    RejectReason reason = d.reason();
    if (reason == RejectReason.ANNOUNCEMENT_RATE_LIMITED) {
      counters.dhtRateLimited.increment();
    } else {
      counters.dhtRejected.increment();
    }
    counters.count(reason);
    LOG.debug("announcement from {} rejected: {} ({})", peerId, reason.code(), d.detail());
    if (reason.isViolation()) {
      List<SecurityEvent> events = new ArrayList<>(3);
      PeerState st = peers.getOrCreate(peerId, now);
      synchronized (st) {
        bans.warnLocked(st, reason.code(), now, events);
      }
      publisher.publish(events);
    }
    return d;
  }
}
