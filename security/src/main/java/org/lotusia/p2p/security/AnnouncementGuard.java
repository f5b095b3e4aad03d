package org.lotusia.p2p.security;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resource-announcement checks of the {@link CoreSecurityManager}: bans, the per-peer rate limit,
 * quotas and the protocol validators, in an order that consumes nothing unless the announcement is
 * accepted. Thread-safe: per-peer state is read and changed under the peer's monitor; validators
 * run outside it.
 */
final class AnnouncementGuard {

  private static final Logger LOG = LoggerFactory.getLogger(AnnouncementGuard.class);

  private final SecurityLimits limits;
  private final SecurityCounters counters;
  private final PeerTable peers;
  private final BanEscalation bans;
  private final ValidatorRegistry validators;
  private final EventPublisher publisher;

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
      // Re-check: a concurrent announcement of the same peer may have taken the slot meanwhile.
      refusal = quotaDecision(st, resourceType, resourceId, now);
      if (refusal == null) {
        st.lastAnnouncement = now;
        st.acceptedAnnouncements++;
        if (limits.rateLimitingEnabled()) {
          st.addResource(resourceType, resourceId);
        }
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

  /** Rate limit and quotas; caller holds the state's lock. */
  private SecurityDecision quotaDecision(PeerState st, String type, String id, long now) {
    if (!limits.rateLimitingEnabled()) {
      return null;
    }
    long interval = limits.minDhtAnnouncementInterval().toMillis();
    if (st.lastAnnouncement != PeerState.NEVER && now - st.lastAnnouncement < interval) {
      return SecurityDecision.reject(
          RejectReason.ANNOUNCEMENT_RATE_LIMITED,
          "announcement "
              + (now - st.lastAnnouncement)
              + " ms after the previous one, the minimum is "
              + interval
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
