package org.lotusia.p2p.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Resource-announcement limits, each tested as an attack. */
class AnnouncementAttackTest {

  final MutableClock clock = new MutableClock(Fixtures.T0);
  final Fixtures.Recorder events = new Fixtures.Recorder();

  CoreSecurityManager manager(SecurityLimits limits) {
    CoreSecurityManager m = CoreSecurityManager.builder().limits(limits).clock(clock).build();
    m.addListener(events);
    return m;
  }

  @Test
  void announcementFloodIsRateLimitedCountedAndEscalates() {
    CoreSecurityManager m = manager(SecurityLimits.defaults());
    int accepted = 0;
    for (int i = 0; i < 1000; i++) {
      // Ten types, so the per-type quota (20) is not what stops the flood.
      if (m.checkResourceAnnouncement("flooder", "type" + i % 10, "s" + i, null).accepted()) {
        accepted++;
      }
    }
    // The announcement burst (20) is accepted at once, then the rate applies.
    assertThat(accepted).isEqualTo(20);
    CoreSecurityMetrics metrics = m.getMetrics();
    // 20 accepted, 5 rate limited (warnings 1..5, the 5th temp-bans), 975 refused while banned.
    assertThat(metrics.dhtAnnouncements())
        .isEqualTo(new CoreSecurityMetrics.DhtAnnouncements(1000, 975, 5));
    assertThat(metrics.rejectionsByReason().get(RejectReason.ANNOUNCEMENT_RATE_LIMITED))
        .isEqualTo(5);
    assertThat(metrics.rejectionsByReason().get(RejectReason.PEER_TEMP_BANNED)).isEqualTo(975);
    assertThat(m.warningCount("flooder")).isEqualTo(5);
    assertThat(events.of(SecurityEvent.PeerWarned.class))
        .extracting(SecurityEvent.PeerWarned::reason)
        .containsOnly("dht-rate-limit-violation");
    assertThat(events.of(SecurityEvent.PeerTempBanned.class)).hasSize(1);
    // Other peers are unaffected.
    assertThat(m.checkResourceAnnouncement("honest", "session", "x", null).accepted()).isTrue();
  }

  @Test
  void reAnnouncementsSpacedByTheIntervalPassAndTheIntervalIsConfigurable() {
    CoreSecurityManager m =
        manager(
            SecurityLimits.builder().minDhtAnnouncementInterval(Duration.ofSeconds(10)).build());
    assertThat(m.checkResourceAnnouncement("p", "t", "1", null).accepted()).isTrue();
    clock.advance(Duration.ofMillis(9_999));
    SecurityDecision tooSoon = m.checkResourceAnnouncement("p", "t", "1", null);
    assertThat(tooSoon.reason()).isEqualTo(RejectReason.ANNOUNCEMENT_RATE_LIMITED);
    assertThat(tooSoon.detail()).contains("t:1").contains("9999 ms").contains("10000 ms");
    // The interval is per resource: another resource of the same peer and type is not held back.
    assertThat(m.checkResourceAnnouncement("p", "t", "2", null).accepted()).isTrue();
    clock.advance(Duration.ofMillis(1));
    // The refused attempt did not move the window (lotus-sdk semantics).
    assertThat(m.checkResourceAnnouncement("p", "t", "1", null).accepted()).isTrue();
    // Nor does the same resource id under another type, or the same resource of another peer.
    assertThat(m.checkResourceAnnouncement("p", "u", "1", null).accepted()).isTrue();
    assertThat(m.checkResourceAnnouncement("q", "t", "1", null).accepted()).isTrue();
    assertThat(m.warningCount("p")).isEqualTo(1);
  }

  @Test
  void the101stResourceAndThe21stOfOneTypeAreRefused() {
    CoreSecurityManager m =
        manager(
            SecurityLimits.builder()
                .minDhtAnnouncementInterval(Duration.ZERO)
                .announcementBurst(1000)
                .warningsBeforeTempBan(1000)
                .warningsBeforeBan(1000)
                .build());
    for (int i = 0; i < 20; i++) {
      assertThat(m.checkResourceAnnouncement("p", "typeA", "a" + i, null).accepted()).isTrue();
    }
    SecurityDecision d21 = m.checkResourceAnnouncement("p", "typeA", "a20", null);
    assertThat(d21.reason()).isEqualTo(RejectReason.RESOURCE_TYPE_LIMIT_EXCEEDED);
    assertThat(d21.detail()).contains("typeA").contains("20");
    // Re-announcing a tracked resource stays within quota.
    assertThat(m.checkResourceAnnouncement("p", "typeA", "a5", null).accepted()).isTrue();
    for (int t = 1; t < 5; t++) {
      for (int i = 0; i < 20; i++) {
        assertThat(m.checkResourceAnnouncement("p", "type" + t, "r" + i, null).accepted()).isTrue();
      }
    }
    assertThat(m.resourceCount("p")).isEqualTo(100);
    SecurityDecision d101 = m.checkResourceAnnouncement("p", "typeZ", "z", null);
    assertThat(d101.reason()).isEqualTo(RejectReason.RESOURCE_LIMIT_EXCEEDED);
    assertThat(d101.detail()).contains("100");
    assertThat(m.resourceCount("p")).isEqualTo(100);
    assertThat(m.resourceCount("p", "typeZ")).isZero();
    // A quota is a limit, not misbehaviour: refused and counted, never warned (no road to a ban).
    assertThat(events.of(SecurityEvent.PeerWarned.class)).isEmpty();
    assertThat(m.warningCount("p")).isZero();
    // Releasing a slot lets the next one in.
    assertThat(m.releaseResource("p", "type1", "r0")).isTrue();
    assertThat(m.checkResourceAnnouncement("p", "typeZ", "z", null).accepted()).isTrue();
    assertThat(m.getMetrics().dhtAnnouncements())
        .isEqualTo(new CoreSecurityMetrics.DhtAnnouncements(104, 2, 0));
  }

  @Test
  void quotasAreConfigurable() {
    CoreSecurityManager m =
        manager(
            SecurityLimits.builder()
                .minDhtAnnouncementInterval(Duration.ZERO)
                .maxDhtResourcesPerPeer(3)
                .maxDhtResourcesPerTypePerPeer(2)
                .build());
    assertThat(m.checkResourceAnnouncement("p", "a", "1", null).accepted()).isTrue();
    assertThat(m.checkResourceAnnouncement("p", "a", "2", null).accepted()).isTrue();
    assertThat(m.checkResourceAnnouncement("p", "a", "3", null).reason())
        .isEqualTo(RejectReason.RESOURCE_TYPE_LIMIT_EXCEEDED);
    assertThat(m.checkResourceAnnouncement("p", "b", "1", null).accepted()).isTrue();
    assertThat(m.checkResourceAnnouncement("p", "c", "1", null).reason())
        .isEqualTo(RejectReason.RESOURCE_LIMIT_EXCEEDED);
  }

  @Test
  void disabledRateLimitingSkipsRateAndQuotasButNotBans() {
    CoreSecurityManager m = manager(SecurityLimits.builder().rateLimitingEnabled(false).build());
    for (int i = 0; i < 200; i++) {
      assertThat(m.checkResourceAnnouncement("p", "t", "r" + i, null).accepted()).isTrue();
    }
    m.banPeer("p", "manual");
    assertThat(m.checkResourceAnnouncement("p", "t", "x", null).reason())
        .isEqualTo(RejectReason.PEER_BANNED);
  }

  @Test
  void validatorsAreFoundByPrefixAndTheirRejectionsCountedWithReason() {
    CoreSecurityManager m =
        manager(SecurityLimits.builder().minDhtAnnouncementInterval(Duration.ZERO).build());
    m.registerProtocolValidator(
        "swapsig",
        new ProtocolValidator() {
          @Override
          public boolean canAnnounceResource(String resourceType, String peerId) {
            return !peerId.equals("outsider");
          }

          @Override
          public boolean validateResourceAnnouncement(
              String type, String id, com.fasterxml.jackson.databind.JsonNode data, String peerId) {
            return data != null && data.path("amount").asLong() > 0;
          }
        });
    var good = JsonNodeFactory.instance.objectNode().put("amount", 5);
    var bad = JsonNodeFactory.instance.objectNode().put("amount", -5);
    assertThat(m.checkResourceAnnouncement("p", "swapsig-pool", "1", good).accepted()).isTrue();
    SecurityDecision invalid = m.checkResourceAnnouncement("p", "swapsig-pool", "2", bad);
    assertThat(invalid.reason()).isEqualTo(RejectReason.ANNOUNCEMENT_INVALID);
    SecurityDecision denied = m.checkResourceAnnouncement("outsider", "swapsig-pool", "3", good);
    assertThat(denied.reason()).isEqualTo(RejectReason.ANNOUNCEMENT_NOT_PERMITTED);
    // No validator for other types.
    assertThat(m.checkResourceAnnouncement("p", "other", "4", bad).accepted()).isTrue();
    // Refused announcements take no quota slot.
    assertThat(m.resourceCount("p")).isEqualTo(2);
    assertThat(m.resourceCount("outsider")).isZero();
    CoreSecurityMetrics metrics = m.getMetrics();
    assertThat(metrics.rejectionsByReason().get(RejectReason.ANNOUNCEMENT_INVALID)).isEqualTo(1);
    assertThat(metrics.rejectionsByReason().get(RejectReason.ANNOUNCEMENT_NOT_PERMITTED))
        .isEqualTo(1);
    assertThat(metrics.dhtAnnouncements())
        .isEqualTo(new CoreSecurityMetrics.DhtAnnouncements(4, 2, 0));
    // canAnnounceResource refusals do not warn (lotus-sdk), invalid content does.
    assertThat(m.warningCount("outsider")).isZero();
    assertThat(m.warningCount("p")).isEqualTo(1);
    assertThat(m.unregisterProtocolValidator("swapsig")).isTrue();
    assertThat(m.checkResourceAnnouncement("p", "swapsig-pool", "5", bad).accepted()).isTrue();
  }

  @Test
  void aThrowingValidatorRejects() {
    CoreSecurityManager m = manager(SecurityLimits.defaults());
    m.registerProtocolValidator(
        "t",
        new ProtocolValidator() {
          @Override
          public boolean validateResourceAnnouncement(
              String a, String b, com.fasterxml.jackson.databind.JsonNode c, String d) {
            throw new IllegalStateException("boom");
          }
        });
    assertThat(m.checkResourceAnnouncement("p", "t", "1", null).reason())
        .isEqualTo(RejectReason.ANNOUNCEMENT_INVALID);
  }
}
