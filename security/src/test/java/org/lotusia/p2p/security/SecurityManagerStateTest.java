package org.lotusia.p2p.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Exact metrics, memory bounds, concurrency and configuration checks of the manager. */
class SecurityManagerStateTest {

  final MutableClock clock = new MutableClock(Fixtures.T0);

  @Test
  void metricsMatchAScriptedSessionExactly() {
    CoreSecurityManager m = CoreSecurityManager.builder().clock(clock).build();
    m.checkConnection("a"); // conn 1
    m.checkMessage("a", Fixtures.decoded(Fixtures.message("a", "1", Fixtures.T0, null))); // ok
    m.checkMessage(
        "a", Fixtures.decoded(Fixtures.message("a", "1", Fixtures.T0, null))); // duplicate
    m.checkMessage("b", "nope".getBytes(StandardCharsets.UTF_8)); // malformed, warn b
    m.checkMessage("b", new byte[0]); // empty: not counted as message
    m.checkMessage("c", new byte[100_001]); // oversized, warn c
    m.checkResourceAnnouncement("a", "t", "1", null); // ok
    m.checkResourceAnnouncement("a", "t", "1", null); // same resource too soon, warn a
    m.checkResourceAnnouncement("a", "t", "2", null); // ok: another resource
    m.checkTopicMessage("relay", "author", "chat", 100); // ok
    m.checkTopicMessage("relay", "author", "chat", 2 << 20); // oversized, warn author
    m.banPeer("d", "manual");
    m.checkConnection("d"); // conn 2, rejected
    m.checkMessage("d", Fixtures.decoded(Fixtures.message("d", "2", Fixtures.T0, null))); // banned
    m.checkResourceAnnouncement("d", "t", "1", null); // banned
    m.checkTopicMessage("d", "author", "chat", 100); // relay banned
    CoreSecurityMetrics metrics = m.getMetrics();
    Map<RejectReason, Long> reasons = new EnumMap<>(RejectReason.class);
    for (RejectReason r : RejectReason.values()) {
      reasons.put(r, 0L);
    }
    reasons.put(RejectReason.DUPLICATE, 1L);
    reasons.put(RejectReason.MESSAGE_MALFORMED, 1L);
    reasons.put(RejectReason.MESSAGE_EMPTY, 1L);
    reasons.put(RejectReason.MESSAGE_OVERSIZED, 1L);
    reasons.put(RejectReason.ANNOUNCEMENT_RATE_LIMITED, 1L);
    reasons.put(RejectReason.TOPIC_MESSAGE_OVERSIZED, 1L);
    reasons.put(RejectReason.PEER_BANNED, 4L);
    assertThat(metrics)
        .isEqualTo(
            new CoreSecurityMetrics(
                new CoreSecurityMetrics.DhtAnnouncements(4, 1, 1),
                new CoreSecurityMetrics.Messages(5, 3, 1),
                new CoreSecurityMetrics.TopicMessages(3, 2),
                new CoreSecurityMetrics.Peers(1, 0, 4),
                new CoreSecurityMetrics.Connections(2, 1),
                4,
                reasons));
    m.resetMetrics();
    CoreSecurityMetrics zero = m.getMetrics();
    assertThat(zero.messages()).isEqualTo(new CoreSecurityMetrics.Messages(0, 0, 0));
    assertThat(zero.rejectionsByReason().values()).containsOnly(0L);
    assertThat(zero.topicMessages()).isEqualTo(new CoreSecurityMetrics.TopicMessages(0, 0));
    assertThat(zero.peers()).isEqualTo(new CoreSecurityMetrics.Peers(1, 0, 4));
  }

  @Test
  void idlePeerStateIsEvictedButBansAndResourcesStay() {
    CoreSecurityManager m =
        CoreSecurityManager.builder()
            .clock(clock)
            .limits(SecurityLimits.builder().peerIdleTimeout(Duration.ofHours(1)).build())
            .build();
    m.warnPeer("warned", "x");
    m.banPeer("banned", "x");
    m.checkResourceAnnouncement("owner", "t", "1", null);
    assertThat(m.trackedPeers()).isEqualTo(3);
    clock.advance(Duration.ofMinutes(59));
    assertThat(m.cleanup()).isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThat(m.cleanup()).isEqualTo(1);
    assertThat(m.warningCount("warned")).isZero();
    assertThat(m.isAllowed("banned")).isFalse();
    assertThat(m.resourceCount("owner")).isEqualTo(1);
  }

  @Test
  void aSybilFloodOfPeerIdsStaysWithinTheBoundAndKeepsBans() {
    CoreSecurityManager m =
        CoreSecurityManager.builder()
            .clock(clock)
            .limits(SecurityLimits.builder().maxTrackedPeers(1000).build())
            .build();
    m.banPeer("villain", "manual");
    for (int i = 0; i < 20_000; i++) {
      clock.advance(Duration.ofMillis(1));
      m.checkMessage("sybil-" + i, "x".getBytes(StandardCharsets.UTF_8));
      assertThat(m.trackedPeers()).isLessThanOrEqualTo(1000);
    }
    assertThat(m.isAllowed("villain")).isFalse();
    assertThat(m.warningCount("sybil-19999")).isEqualTo(1);
    // An honest sender has state while its message bucket refills, within the bound ...
    assertThat(
            m.checkMessage(
                    "newcomer",
                    Fixtures.decoded(Fixtures.message("newcomer", "n", clock.millis(), null)))
                .accepted())
        .isTrue();
    assertThat(m.trackedPeers()).isLessThanOrEqualTo(1000);
    // ... and once the bucket is full again its state holds nothing and cleanup drops it, while
    // the sybils' warnings stay until they are idle.
    int before = m.trackedPeers();
    clock.advance(Duration.ofMillis(20));
    assertThat(m.cleanup()).isEqualTo(1);
    assertThat(m.trackedPeers()).isEqualTo(before - 1);
  }

  @Test
  void concurrentAnnouncementsOfOnePeerTakeExactlyTheBurst() throws Exception {
    CoreSecurityManager m =
        CoreSecurityManager.builder()
            .clock(clock)
            .limits(
                SecurityLimits.builder()
                    .warningsBeforeTempBan(10_000)
                    .warningsBeforeBan(10_000)
                    .announcementBurst(7)
                    .messageBurst(10_000)
                    .build())
            .build();
    int threads = 4;
    int perThread = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger accepted = new AtomicInteger();
    try {
      Future<?>[] futures = new Future<?>[threads];
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures[t] =
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    if (m.checkResourceAnnouncement("p", "t", id + "-" + i, null).accepted()) {
                      accepted.incrementAndGet();
                    }
                    m.checkMessage(
                        "q" + id,
                        Fixtures.decoded(
                            Fixtures.message("q" + id, id + "-" + i, Fixtures.T0, null)));
                  }
                  return null;
                });
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    // The clock stands still: exactly the burst of the announcement bucket is accepted.
    assertThat(accepted.get()).isEqualTo(7);
    assertThat(m.resourceCount("p")).isEqualTo(7);
    CoreSecurityMetrics metrics = m.getMetrics();
    assertThat(metrics.dhtAnnouncements())
        .isEqualTo(
            new CoreSecurityMetrics.DhtAnnouncements(
                threads * perThread, 0, threads * perThread - 7));
    assertThat(metrics.messages())
        .isEqualTo(new CoreSecurityMetrics.Messages(threads * perThread, 0, 0));
    assertThat(m.warningCount("p")).isEqualTo(threads * perThread - 7);
  }

  @Test
  void limitsRejectNonsenseWithTheLimitsName() {
    assertThatThrownBy(() -> SecurityLimits.builder().maxDhtResourcesPerPeer(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxDhtResourcesPerPeer");
    assertThatThrownBy(() -> SecurityLimits.builder().tempBanDuration(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tempBanDuration");
    SecurityLimits d = SecurityLimits.defaults();
    assertThat(d.maxMessageSize()).isEqualTo(100_000);
    assertThat(d.minDhtAnnouncementInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.maxDhtResourcesPerPeer()).isEqualTo(100);
    assertThat(d.maxDhtResourcesPerTypePerPeer()).isEqualTo(20);
    assertThat(d.dhtCleanupInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.maxInvalidMessagesPerPeer()).isEqualTo(20);
    assertThat(d.messageRatePerSecond()).isEqualTo(50.0);
    assertThat(d.messageBurst()).isEqualTo(100);
    assertThat(d.maxTopicMessageSize()).isEqualTo(1 << 20);
    assertThat(d.topicMessageRatePerSecond()).isEqualTo(50.0);
    assertThat(d.topicMessageBurst()).isEqualTo(100);
    assertThat(d.announcementRatePerMinute()).isEqualTo(60);
    assertThat(d.announcementBurst()).isEqualTo(20);
    assertThat(d.toBuilder().build()).isEqualTo(d);
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> SecurityLimits.builder().messageRatePerSecond(bad).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("messageRatePerSecond")
          .hasMessageContaining("positive, finite");
      assertThatThrownBy(() -> SecurityLimits.builder().topicMessageRatePerSecond(bad).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("topicMessageRatePerSecond");
    }
    assertThatThrownBy(() -> SecurityLimits.builder().messageBurst(0).build())
        .hasMessageContaining("messageBurst");
    assertThatThrownBy(() -> SecurityLimits.builder().topicMessageBurst(0).build())
        .hasMessageContaining("topicMessageBurst");
    assertThatThrownBy(() -> SecurityLimits.builder().maxTopicMessageSize(0).build())
        .hasMessageContaining("maxTopicMessageSize");
    assertThatThrownBy(() -> SecurityLimits.builder().announcementRatePerMinute(0).build())
        .hasMessageContaining("announcementRatePerMinute");
    assertThatThrownBy(() -> SecurityLimits.builder().announcementBurst(-1).build())
        .hasMessageContaining("announcementBurst");
    CoreSecurityManager m = CoreSecurityManager.builder().clock(clock).build();
    assertThatThrownBy(() -> m.checkTopicMessage("p", null, "t", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void eventsRunOnTheConfiguredExecutor() {
    AtomicInteger executed = new AtomicInteger();
    Fixtures.Recorder rec = new Fixtures.Recorder();
    CoreSecurityManager m =
        CoreSecurityManager.builder()
            .clock(clock)
            .eventExecutor(
                r -> {
                  executed.incrementAndGet();
                  r.run();
                })
            .build();
    m.addListener(rec);
    m.tempBanPeer("p", Duration.ofMinutes(1), "manual");
    assertThat(executed.get()).isEqualTo(1);
    assertThat(rec.events).singleElement().isInstanceOf(SecurityEvent.PeerTempBanned.class);
    assertThat(m.removeListener(rec)).isTrue();
    assertThatThrownBy(() -> m.tempBanPeer("p", Duration.ZERO, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
