package org.lotusia.p2p.security;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Lock-free counters behind {@link CoreSecurityMetrics}. Thread-safe. */
final class SecurityCounters {

  final LongAdder dhtTotal = new LongAdder();
  final LongAdder dhtRejected = new LongAdder();
  final LongAdder dhtRateLimited = new LongAdder();
  final LongAdder messagesTotal = new LongAdder();
  final LongAdder messagesRejected = new LongAdder();
  final LongAdder messagesOversized = new LongAdder();
  final LongAdder topicTotal = new LongAdder();
  final LongAdder topicRejected = new LongAdder();
  final LongAdder connectionsTotal = new LongAdder();
  final LongAdder connectionsRejected = new LongAdder();
  final LongAdder warningsIssued = new LongAdder();
  private final LongAdder[] byReason = new LongAdder[RejectReason.values().length];

  SecurityCounters() {
    for (int i = 0; i < byReason.length; i++) {
      byReason[i] = new LongAdder();
    }
  }

  void count(RejectReason reason) {
    byReason[reason.ordinal()].increment();
  }

  CoreSecurityMetrics snapshot(CoreSecurityMetrics.Peers peers) {
    Map<RejectReason, Long> reasons = new EnumMap<>(RejectReason.class);
    for (RejectReason r : RejectReason.values()) {
      reasons.put(r, byReason[r.ordinal()].sum());
    }
    return new CoreSecurityMetrics(
        new CoreSecurityMetrics.DhtAnnouncements(
            dhtTotal.sum(), dhtRejected.sum(), dhtRateLimited.sum()),
        new CoreSecurityMetrics.Messages(
            messagesTotal.sum(), messagesRejected.sum(), messagesOversized.sum()),
        new CoreSecurityMetrics.TopicMessages(topicTotal.sum(), topicRejected.sum()),
        peers,
        new CoreSecurityMetrics.Connections(connectionsTotal.sum(), connectionsRejected.sum()),
        warningsIssued.sum(),
        reasons);
  }

  void reset() {
    for (LongAdder a :
        new LongAdder[] {
          dhtTotal,
          dhtRejected,
          dhtRateLimited,
          messagesTotal,
          messagesRejected,
          messagesOversized,
          topicTotal,
          topicRejected,
          connectionsTotal,
          connectionsRejected,
          warningsIssued
        }) {
      a.reset();
    }
    for (LongAdder a : byReason) {
      a.reset();
    }
  }
}
