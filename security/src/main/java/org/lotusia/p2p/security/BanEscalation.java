package org.lotusia.p2p.security;

import java.time.Duration;
import java.util.List;

/**
 * Ban checks and the warning → temporary ban → permanent ban escalation (lotus-sdk's ban manager).
 * Methods named {@code *Locked} must be called while holding the peer state's monitor; they append
 * the resulting events to a list the caller publishes after releasing the lock.
 */
final class BanEscalation {

  private final SecurityLimits limits;
  private final SecurityCounters counters;

  BanEscalation(SecurityLimits limits, SecurityCounters counters) {
    this.limits = limits;
    this.counters = counters;
  }

  /**
   * A rejection if the peer is banned or temporarily banned, else {@code null}. Takes the state's
   * lock.
   */
  SecurityDecision decision(PeerState st, long now) {
    if (st == null) {
      return null;
    }
    synchronized (st) {
      if (st.banned) {
        return SecurityDecision.reject(
            RejectReason.PEER_BANNED, "peer " + st.peerId + " is banned");
      }
      if (st.tempBanned(now)) {
        return SecurityDecision.reject(
            RejectReason.PEER_TEMP_BANNED,
            "peer " + st.peerId + " is banned for another " + (st.tempBanUntil - now) + " ms");
      }
    }
    return null;
  }

  /** One warning; bans at the configured thresholds. */
  void warnLocked(PeerState st, String reason, long now, List<SecurityEvent> events) {
    st.warnings++;
    counters.warningsIssued.increment();
    events.add(new SecurityEvent.PeerWarned(st.peerId, st.warnings, reason));
    if (st.warnings >= limits.warningsBeforeBan()) {
      banLocked(st, "excessive-warnings", events);
    } else if (st.warnings >= limits.warningsBeforeTempBan()) {
      tempBanLocked(st, limits.tempBanDuration(), "repeated-warnings", now, events);
    }
  }

  /** Permanent ban; the event is published only on the transition. */
  static void banLocked(PeerState st, String reason, List<SecurityEvent> events) {
    st.tempBanUntil = PeerState.NEVER;
    if (!st.banned) {
      st.banned = true;
      events.add(new SecurityEvent.PeerBanned(st.peerId, reason));
    }
  }

  /**
   * Temporary ban from now on (replacing a running one); no effect on a permanently banned peer.
   */
  void tempBanLocked(
      PeerState st, Duration d, String reason, long now, List<SecurityEvent> events) {
    if (st.banned) {
      return;
    }
    st.tempBanUntil = now + d.toMillis();
    events.add(new SecurityEvent.PeerTempBanned(st.peerId, d, st.tempBanUntil, reason));
  }
}
