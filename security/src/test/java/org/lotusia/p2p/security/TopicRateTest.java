package org.lotusia.p2p.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** GossipSub topic messages: bans of relay and author, the topic size and the per-author rate. */
class TopicRateTest {

  static final String TOPIC = "lotus/musig2";

  final MutableClock clock = new MutableClock(Fixtures.T0);
  final Fixtures.Recorder events = new Fixtures.Recorder();

  CoreSecurityManager manager(SecurityLimits limits) {
    CoreSecurityManager m = CoreSecurityManager.builder().limits(limits).clock(clock).build();
    m.addListener(events);
    return m;
  }

  static SecurityLimits patient() {
    return SecurityLimits.builder().warningsBeforeTempBan(10_000).warningsBeforeBan(10_000).build();
  }

  @Test
  void anAuthorFloodingThroughManyRelaysIsBannedWhileTheRelaysAreNotPunished() {
    CoreSecurityManager m = manager(SecurityLimits.defaults());
    int accepted = 0;
    for (int i = 0; i < 1000; i++) {
      if (m.checkTopicMessage("relay-" + i % 10, "mallory", TOPIC, 200).accepted()) {
        accepted++;
      }
    }
    assertThat(accepted).isEqualTo(100);
    CoreSecurityMetrics metrics = m.getMetrics();
    // 100 accepted, 5 rate limited (warnings 1..5 to the author, the 5th temp-bans it), 895
    // refused for the author's ban.
    assertThat(metrics.topicMessages()).isEqualTo(new CoreSecurityMetrics.TopicMessages(1000, 900));
    assertThat(metrics.rejectionsByReason().get(RejectReason.TOPIC_RATE_LIMITED)).isEqualTo(5);
    assertThat(metrics.rejectionsByReason().get(RejectReason.PEER_TEMP_BANNED)).isEqualTo(895);
    assertThat(events.of(SecurityEvent.PeerWarned.class))
        .extracting(SecurityEvent.PeerWarned::peerId, SecurityEvent.PeerWarned::reason)
        .containsOnly(org.assertj.core.groups.Tuple.tuple("mallory", "topic-rate-limit"));
    assertThat(events.of(SecurityEvent.PeerTempBanned.class))
        .extracting(SecurityEvent.PeerTempBanned::peerId)
        .containsExactly("mallory");
    for (int r = 0; r < 10; r++) {
      assertThat(m.warningCount("relay-" + r)).isZero();
      assertThat(m.isAllowed("relay-" + r)).isTrue();
    }
    // The relays still carry other authors' messages.
    assertThat(m.checkTopicMessage("relay-0", "alice", TOPIC, 200).accepted()).isTrue();
  }

  @Test
  void unsignedMessagesAreChargedToThePeerTheyCameFrom() {
    CoreSecurityManager m = manager(SecurityLimits.defaults());
    for (int i = 0; i < 100; i++) {
      assertThat(m.checkTopicMessage("relay", null, TOPIC, 200).accepted()).isTrue();
    }
    SecurityDecision d = m.checkTopicMessage("relay", null, TOPIC, 200);
    assertThat(d.reason()).isEqualTo(RejectReason.TOPIC_RATE_LIMITED);
    assertThat(d.detail()).contains("unsigned message from relay").contains(TOPIC);
    assertThat(m.warningCount("relay")).isEqualTo(1);
    for (int i = 0; i < 4; i++) {
      m.checkTopicMessage("relay", null, TOPIC, 200);
    }
    // The fifth warning temp-bans the relay; its messages, signed or not, are then refused.
    assertThat(m.checkTopicMessage("relay", "alice", TOPIC, 200).reason())
        .isEqualTo(RejectReason.PEER_TEMP_BANNED);
    assertThat(m.warningCount("relay")).isEqualTo(5);
    assertThat(m.warningCount("alice")).isZero();
  }

  @Test
  void oversizedMessagesWarnTheAuthorAndTakeNoToken() {
    CoreSecurityManager m =
        manager(SecurityLimits.builder().maxTopicMessageSize(1000).topicMessageBurst(1).build());
    SecurityDecision d = m.checkTopicMessage("relay", "author", TOPIC, 1001);
    assertThat(d.reason()).isEqualTo(RejectReason.TOPIC_MESSAGE_OVERSIZED);
    assertThat(d.detail()).contains("1001 bytes").contains("1000").contains("author author");
    assertThat(m.warningCount("author")).isEqualTo(1);
    assertThat(m.warningCount("relay")).isZero();
    assertThat(events.of(SecurityEvent.PeerWarned.class))
        .containsExactly(new SecurityEvent.PeerWarned("author", 1, "oversized-topic-message"));
    // Exactly at the limit is fine, and the oversized message left the only token in the bucket.
    assertThat(m.checkTopicMessage("relay", "author", TOPIC, 1000).accepted()).isTrue();
    // Unsigned oversized messages warn the relay.
    assertThat(m.checkTopicMessage("relay", null, TOPIC, 5000).reason())
        .isEqualTo(RejectReason.TOPIC_MESSAGE_OVERSIZED);
    assertThat(m.warningCount("relay")).isEqualTo(1);
    // The default limit is the GossipSub RPC limit, 1 MiB.
    CoreSecurityManager defaults = manager(SecurityLimits.defaults());
    assertThat(defaults.checkTopicMessage("r", "a", TOPIC, 1 << 20).accepted()).isTrue();
    assertThat(defaults.checkTopicMessage("r", "a", TOPIC, (1 << 20) + 1).reason())
        .isEqualTo(RejectReason.TOPIC_MESSAGE_OVERSIZED);
  }

  @Test
  void bansComeFirstAndAddNoWarnings() {
    CoreSecurityManager m = manager(SecurityLimits.defaults());
    m.banPeer("bad-relay", "manual");
    m.tempBanPeer("bad-author", Duration.ofMinutes(10), "manual");
    // A banned relay is refused even for an oversized message of an innocent author.
    assertThat(m.checkTopicMessage("bad-relay", "alice", TOPIC, 10 << 20).reason())
        .isEqualTo(RejectReason.PEER_BANNED);
    // A banned author is refused through an honest relay, even when oversized.
    assertThat(m.checkTopicMessage("relay", "bad-author", TOPIC, 10 << 20).reason())
        .isEqualTo(RejectReason.PEER_TEMP_BANNED);
    assertThat(m.warningCount("alice")).isZero();
    assertThat(m.warningCount("relay")).isZero();
    assertThat(m.warningCount("bad-author")).isZero();
    assertThat(m.getMetrics().topicMessages())
        .isEqualTo(new CoreSecurityMetrics.TopicMessages(2, 2));
    clock.advance(Duration.ofMinutes(10));
    assertThat(m.checkTopicMessage("relay", "bad-author", TOPIC, 100).accepted()).isTrue();
  }

  @Test
  void anHonestAuthorAtTheRateIsNeverRefusedAndASlowedDownOneIsAcceptedAgain() {
    CoreSecurityManager m = manager(patient());
    for (int i = 0; i < 100; i++) {
      assertThat(m.checkTopicMessage("relay", "honest", TOPIC, 300).accepted()).isTrue();
    }
    for (int i = 0; i < 10_000; i++) {
      clock.advance(Duration.ofMillis(20));
      assertThat(m.checkTopicMessage("relay-" + i % 3, "honest", TOPIC, 300).accepted()).isTrue();
    }
    assertThat(m.warningCount("honest")).isZero();
    // Over the rate, then quiet: accepted again after one token's time.
    assertThat(m.checkTopicMessage("relay", "honest", TOPIC, 300).reason())
        .isEqualTo(RejectReason.TOPIC_RATE_LIMITED);
    clock.advance(Duration.ofMillis(20));
    assertThat(m.checkTopicMessage("relay", "honest", TOPIC, 300).accepted()).isTrue();
    // The topic bucket is separate from the direct-message bucket of the same peer.
    assertThat(
            m.checkMessage(
                    "honest",
                    Fixtures.decoded(Fixtures.message("honest", "d1", clock.millis(), null)))
                .accepted())
        .isTrue();
  }

  @Test
  void theRateIsConfigurable() {
    CoreSecurityManager m =
        manager(
            SecurityLimits.builder().topicMessageRatePerSecond(4).topicMessageBurst(2).build());
    assertThat(m.checkTopicMessage("r", "a", TOPIC, 1).accepted()).isTrue();
    assertThat(m.checkTopicMessage("r", "a", TOPIC, 1).accepted()).isTrue();
    assertThat(m.checkTopicMessage("r", "a", TOPIC, 1).detail()).contains("accepted in 250 ms");
    clock.advance(Duration.ofMillis(249));
    assertThat(m.checkTopicMessage("r", "a", TOPIC, 1).reason())
        .isEqualTo(RejectReason.TOPIC_RATE_LIMITED);
    clock.advance(Duration.ofMillis(1));
    assertThat(m.checkTopicMessage("r", "a", TOPIC, 1).accepted()).isTrue();
  }

  @Test
  void disabledRateLimitingSkipsTheRateButNotTheSize() {
    CoreSecurityManager m = manager(SecurityLimits.builder().rateLimitingEnabled(false).build());
    for (int i = 0; i < 1000; i++) {
      assertThat(m.checkTopicMessage("r", "a", TOPIC, 100).accepted()).isTrue();
    }
    assertThat(m.trackedPeers()).isZero();
    assertThat(m.checkTopicMessage("r", "a", TOPIC, 2 << 20).reason())
        .isEqualTo(RejectReason.TOPIC_MESSAGE_OVERSIZED);
  }

  @Test
  void manyAuthorsStayWithinTheBound() {
    CoreSecurityManager m = manager(SecurityLimits.builder().maxTrackedPeers(500).build());
    for (int i = 0; i < 20_000; i++) {
      clock.advance(Duration.ofMillis(1));
      assertThat(m.checkTopicMessage("relay", "author-" + i, TOPIC, 100).accepted()).isTrue();
      assertThat(m.trackedPeers()).isLessThanOrEqualTo(500);
    }
    clock.advance(Duration.ofSeconds(2));
    assertThat(m.cleanup()).isPositive();
    assertThat(m.trackedPeers()).isZero();
  }
}
