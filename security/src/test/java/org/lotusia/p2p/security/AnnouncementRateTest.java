package org.lotusia.p2p.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The minimum interval per resource and the per-peer announcement rate ({@code
 * announcementRatePerMinute}, {@code announcementBurst}).
 */
class AnnouncementRateTest {

  final MutableClock clock = new MutableClock(Fixtures.T0);
  final Fixtures.Recorder events = new Fixtures.Recorder();

  CoreSecurityManager manager(SecurityLimits limits) {
    CoreSecurityManager m = CoreSecurityManager.builder().limits(limits).clock(clock).build();
    m.addListener(events);
    return m;
  }

  static SecurityLimits.Builder patient() {
    return SecurityLimits.builder().warningsBeforeTempBan(10_000).warningsBeforeBan(10_000);
  }

  @Test
  void aNodeAnnouncingSeveralResourcesAtOnceIsAccepted() {
    CoreSecurityManager m = manager(SecurityLimits.defaults());
    // The case that made a per-peer interval unusable: three resources announced together.
    assertThat(m.checkResourceAnnouncement("node", "musig2-session", "s1", null).accepted())
        .isTrue();
    assertThat(m.checkResourceAnnouncement("node", "musig2-session", "s2", null).accepted())
        .isTrue();
    assertThat(m.checkResourceAnnouncement("node", "swapsig-pool", "p1", null).accepted())
        .isTrue();
    // Up to the burst (20) in one go.
    for (int i = 3; i < 20; i++) {
      assertThat(m.checkResourceAnnouncement("node", "type" + i % 4, "r" + i, null).accepted())
          .isTrue();
    }
    assertThat(m.resourceCount("node")).isEqualTo(20);
    assertThat(m.warningCount("node")).isZero();
  }

  @Test
  void anHonestPeerRepublishingAtTheRateIsNeverRefused() {
    CoreSecurityManager m = manager(SecurityLimits.defaults());
    // 60 resources (3 types x 20, the per-type quota), one announcement per second: each resource
    // is re-announced every 60 s, for 10 minutes. That is the full rate, 60 per minute.
    for (int i = 0; i < 600; i++) {
      int r = i % 60;
      SecurityDecision d = m.checkResourceAnnouncement("p", "type" + r / 20, "r" + r, null);
      assertThat(d.accepted()).as("announcement %d: %s", i, d).isTrue();
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(m.resourceCount("p")).isEqualTo(60);
    assertThat(m.warningCount("p")).isZero();
  }

  @Test
  void aPeerThatSlowsDownIsAcceptedAgainAndRefusalsTakeNoTokens() {
    CoreSecurityManager m = manager(patient().build());
    for (int i = 0; i < 20; i++) {
      assertThat(m.checkResourceAnnouncement("p", "t" + i % 2, "a" + i, null).accepted()).isTrue();
    }
    for (int i = 0; i < 100; i++) {
      SecurityDecision d = m.checkResourceAnnouncement("p", "u", "b" + i, null);
      assertThat(d.reason()).isEqualTo(RejectReason.ANNOUNCEMENT_RATE_LIMITED);
      assertThat(d.detail())
          .contains("announcement rate (60.0 per minute, burst 20)")
          .contains("accepted in 1000 ms");
    }
    clock.advance(Duration.ofMillis(999));
    assertThat(m.checkResourceAnnouncement("p", "u", "x", null).reason())
        .isEqualTo(RejectReason.ANNOUNCEMENT_RATE_LIMITED);
    clock.advance(Duration.ofMillis(1));
    assertThat(m.checkResourceAnnouncement("p", "u", "x", null).accepted()).isTrue();
    assertThat(m.checkResourceAnnouncement("p", "u", "y", null).reason())
        .isEqualTo(RejectReason.ANNOUNCEMENT_RATE_LIMITED);
    // Twenty quiet seconds refill the whole burst.
    clock.advance(Duration.ofSeconds(20));
    for (int i = 0; i < 20; i++) {
      assertThat(m.checkResourceAnnouncement("p", "v" + i % 2, "c" + i, null).accepted()).isTrue();
    }
    assertThat(m.getMetrics().dhtAnnouncements().rateLimited()).isEqualTo(102);
  }

  @Test
  void refusedAnnouncementsConsumeNeitherTokensNorSlotsNorTimes() {
    CoreSecurityManager m =
        manager(
            patient()
                .announcementBurst(2)
                .maxDhtResourcesPerTypePerPeer(1)
                .minDhtAnnouncementInterval(Duration.ofSeconds(30))
                .build());
    m.registerProtocolValidator(
        "checked",
        new ProtocolValidator() {
          @Override
          public boolean validateResourceAnnouncement(
              String type, String id, JsonNode data, String peerId) {
            return !id.startsWith("bad");
          }
        });
    for (int i = 0; i < 10; i++) {
      assertThat(m.checkResourceAnnouncement("p", "checked", "bad" + i, null).reason())
          .isEqualTo(RejectReason.ANNOUNCEMENT_INVALID);
    }
    assertThat(m.checkResourceAnnouncement("p", "a", "1", null).accepted()).isTrue();
    // Quota and interval refusals take no token either.
    assertThat(m.checkResourceAnnouncement("p", "a", "2", null).reason())
        .isEqualTo(RejectReason.RESOURCE_TYPE_LIMIT_EXCEEDED);
    assertThat(m.checkResourceAnnouncement("p", "a", "1", null).reason())
        .isEqualTo(RejectReason.ANNOUNCEMENT_RATE_LIMITED);
    assertThat(m.checkResourceAnnouncement("p", "checked", "good", null).accepted()).isTrue();
    assertThat(m.resourceCount("p")).isEqualTo(2);
    // Now the bucket is empty.
    assertThat(m.checkResourceAnnouncement("p", "b", "1", null).detail())
        .contains("announcement rate");
  }

  @Test
  void aReleasedResourceForgetsItsTime() {
    CoreSecurityManager m = manager(SecurityLimits.defaults());
    assertThat(m.checkResourceAnnouncement("p", "t", "r", null).accepted()).isTrue();
    assertThat(m.checkResourceAnnouncement("p", "t", "r", null).reason())
        .isEqualTo(RejectReason.ANNOUNCEMENT_RATE_LIMITED);
    assertThat(m.releaseResource("p", "t", "r")).isTrue();
    assertThat(m.resourceCount("p")).isZero();
    // The interval went with the quota entry: the peer may announce it again at once.
    assertThat(m.checkResourceAnnouncement("p", "t", "r", null).accepted()).isTrue();
  }

  @Test
  void theAnnouncementRateIsConfigurable() {
    CoreSecurityManager m =
        manager(patient().announcementRatePerMinute(6).announcementBurst(1).build());
    assertThat(m.checkResourceAnnouncement("p", "t", "1", null).accepted()).isTrue();
    clock.advance(Duration.ofMillis(9_999));
    assertThat(m.checkResourceAnnouncement("p", "t", "2", null).reason())
        .isEqualTo(RejectReason.ANNOUNCEMENT_RATE_LIMITED);
    clock.advance(Duration.ofMillis(1));
    assertThat(m.checkResourceAnnouncement("p", "t", "2", null).accepted()).isTrue();
  }

  @Test
  void aFloodOfDistinctResourcesEscalatesToAPermanentBan() {
    CoreSecurityManager m =
        manager(SecurityLimits.builder().tempBanDuration(Duration.ofSeconds(1)).build());
    int accepted = 0;
    // One attempt every 100 ms for ten minutes: ten times the rate.
    for (int i = 0; i < 6000; i++) {
      if (m.checkResourceAnnouncement("flooder", "t" + i % 50, "r" + i, null).accepted()) {
        accepted++;
      }
      clock.advance(Duration.ofMillis(100));
    }
    // Each short temporary ban ends, the flood resumes and warns again, until the tenth warning.
    assertThat(m.getBannedPeers()).containsExactly("flooder");
    assertThat(events.of(SecurityEvent.PeerBanned.class))
        .containsExactly(new SecurityEvent.PeerBanned("flooder", "excessive-warnings"));
    // The burst and about one per second until the ban: far below the 6000 attempted.
    assertThat(accepted).isBetween(20, 40);
  }

  @Test
  void manyAnnouncingPeersStayWithinTheBound() {
    CoreSecurityManager m = manager(SecurityLimits.builder().maxTrackedPeers(100).build());
    for (int i = 0; i < 5000; i++) {
      clock.advance(Duration.ofMillis(1));
      assertThat(m.checkResourceAnnouncement("peer-" + i, "t", "r", null).accepted()).isTrue();
      assertThat(m.trackedPeers()).isLessThanOrEqualTo(100);
    }
    // One peer's per-resource times are bounded by its quotas.
    CoreSecurityManager q = manager(patient().announcementBurst(1000).build());
    for (int i = 0; i < 1000; i++) {
      q.checkResourceAnnouncement("p", "t" + i % 10, "r" + i, null);
    }
    assertThat(q.resourceCount("p")).isEqualTo(100);
  }

  @Test
  void announcementsRacingThroughASlowValidatorTakeOnlyWhatIsLeft() throws Exception {
    // Four announcements pass the first checks together and wait for each other inside the
    // validator; only as many as there are tokens and quota slots may then be accepted.
    assertThat(race(patient().announcementBurst(1).build())).isEqualTo(1);
    assertThat(race(patient().maxDhtResourcesPerTypePerPeer(2).build())).isEqualTo(2);
  }

  private int race(SecurityLimits limits) throws Exception {
    int threads = 4;
    CoreSecurityManager m = manager(limits);
    CyclicBarrier allInside = new CyclicBarrier(threads);
    m.registerProtocolValidator(
        "slow",
        new ProtocolValidator() {
          @Override
          public boolean validateResourceAnnouncement(
              String type, String id, JsonNode data, String peerId) {
            try {
              allInside.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            return true;
          }
        });
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<SecurityDecision>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String id = "r" + t;
        results.add(pool.submit(() -> m.checkResourceAnnouncement("p", "slow", id, null)));
      }
      int accepted = 0;
      for (Future<SecurityDecision> f : results) {
        if (f.get(60, TimeUnit.SECONDS).accepted()) {
          accepted++;
        }
      }
      assertThat(m.resourceCount("p")).isEqualTo(accepted);
      return accepted;
    } finally {
      pool.shutdownNow();
    }
  }
}
