package org.lotusia.p2p.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.lotusia.p2p.protocol.MessageStreamEncoder;
import org.lotusia.p2p.protocol.P2PMessage;

/** The per-peer direct-message rate ({@code messageRatePerSecond}, {@code messageBurst}). */
class MessageRateTest {

  final MutableClock clock = new MutableClock(Fixtures.T0);
  final Fixtures.Recorder events = new Fixtures.Recorder();
  int nextId;

  CoreSecurityManager manager(SecurityLimits limits) {
    CoreSecurityManager m = CoreSecurityManager.builder().limits(limits).clock(clock).build();
    m.addListener(events);
    return m;
  }

  /** A new, valid, never-seen message from {@code peer}, checked now. */
  SecurityDecision send(CoreSecurityManager m, String peer) {
    return m.checkMessage(
        peer, Fixtures.decoded(Fixtures.message(peer, "m" + nextId++, clock.millis(), null)));
  }

  static SecurityLimits patient() {
    return SecurityLimits.builder().warningsBeforeTempBan(10_000).warningsBeforeBan(10_000).build();
  }

  @Test
  void aFloodIsRefusedCountedAndEscalatesToATemporaryBan() {
    CoreSecurityManager m = manager(SecurityLimits.defaults());
    int accepted = 0;
    SecurityDecision firstRefusal = null;
    for (int i = 0; i < 1000; i++) {
      SecurityDecision d = send(m, "flooder");
      if (d.accepted()) {
        accepted++;
      } else if (firstRefusal == null) {
        firstRefusal = d;
      }
    }
    assertThat(accepted).isEqualTo(100);
    assertThat(firstRefusal.reason()).isEqualTo(RejectReason.MESSAGE_RATE_LIMITED);
    assertThat(firstRefusal.detail())
        .contains("50.0 per second, burst 100")
        .contains("accepted in 20 ms");
    CoreSecurityMetrics metrics = m.getMetrics();
    // 100 accepted, 5 rate limited (warnings 1..5, the 5th temp-bans), 895 refused while banned.
    assertThat(metrics.messages()).isEqualTo(new CoreSecurityMetrics.Messages(1000, 900, 0));
    assertThat(metrics.rejectionsByReason().get(RejectReason.MESSAGE_RATE_LIMITED)).isEqualTo(5);
    assertThat(metrics.rejectionsByReason().get(RejectReason.PEER_TEMP_BANNED)).isEqualTo(895);
    assertThat(events.of(SecurityEvent.PeerWarned.class))
        .extracting(SecurityEvent.PeerWarned::reason)
        .containsOnly("message-rate-limit")
        .hasSize(5);
    assertThat(events.of(SecurityEvent.PeerTempBanned.class)).hasSize(1);
    assertThat(m.checkConnection("flooder").reason()).isEqualTo(RejectReason.PEER_TEMP_BANNED);
    // Other senders are unaffected.
    assertThat(send(m, "honest").accepted()).isTrue();
    // After the ban the bucket has refilled: the peer is accepted again.
    clock.advance(Duration.ofHours(1));
    assertThat(send(m, "flooder").accepted()).isTrue();
  }

  @Test
  void anHonestPeerAtTheRateIsNeverRefused() {
    CoreSecurityManager m = manager(SecurityLimits.defaults());
    // A full burst at once, then 50 messages per second for 200 seconds.
    for (int i = 0; i < 100; i++) {
      assertThat(send(m, "honest").accepted()).isTrue();
    }
    for (int i = 0; i < 10_000; i++) {
      clock.advance(Duration.ofMillis(20));
      SecurityDecision d = send(m, "honest");
      assertThat(d.accepted()).as("message %d: %s", i, d).isTrue();
    }
    assertThat(m.warningCount("honest")).isZero();
    assertThat(m.getMetrics().messages().rejected()).isZero();
  }

  @Test
  void aPeerThatSlowsDownIsAcceptedAgainAndRefusalsTakeNoTokens() {
    CoreSecurityManager m = manager(patient());
    for (int i = 0; i < 100; i++) {
      assertThat(send(m, "p").accepted()).isTrue();
    }
    // Hammering while empty does not dig a hole: the refusals take nothing.
    for (int i = 0; i < 500; i++) {
      assertThat(send(m, "p").reason()).isEqualTo(RejectReason.MESSAGE_RATE_LIMITED);
    }
    clock.advance(Duration.ofMillis(19));
    assertThat(send(m, "p").reason()).isEqualTo(RejectReason.MESSAGE_RATE_LIMITED);
    clock.advance(Duration.ofMillis(1));
    assertThat(send(m, "p").accepted()).isTrue();
    assertThat(send(m, "p").reason()).isEqualTo(RejectReason.MESSAGE_RATE_LIMITED);
    // Two seconds of silence refill the whole burst.
    clock.advance(Duration.ofSeconds(2));
    for (int i = 0; i < 100; i++) {
      assertThat(send(m, "p").accepted()).isTrue();
    }
    // Rate refusals warn but are not invalid messages: 502 of them do not reach the permanent ban
    // of maxInvalidMessagesPerPeer (20).
    assertThat(m.warningCount("p")).isEqualTo(502);
    assertThat(m.getBannedPeers()).isEmpty();
  }

  @Test
  void theRateIsConfigurableIncludingFractionalRates() {
    CoreSecurityManager m =
        manager(SecurityLimits.builder().messageRatePerSecond(0.5).messageBurst(3).build());
    for (int i = 0; i < 3; i++) {
      assertThat(send(m, "p").accepted()).isTrue();
    }
    assertThat(send(m, "p").detail()).contains("accepted in 2000 ms");
    clock.advance(Duration.ofMillis(1999));
    assertThat(send(m, "p").reason()).isEqualTo(RejectReason.MESSAGE_RATE_LIMITED);
    clock.advance(Duration.ofMillis(1));
    assertThat(send(m, "p").accepted()).isTrue();
  }

  @Test
  void aClockSteppingBackRefillsNothing() {
    CoreSecurityManager m = manager(patient());
    for (int i = 0; i < 100; i++) {
      assertThat(send(m, "p").accepted()).isTrue();
    }
    clock.set(Fixtures.T0 - 60_000);
    assertThat(send(m, "p").reason()).isEqualTo(RejectReason.MESSAGE_RATE_LIMITED);
    // Time spent catching up to the last update refills nothing either.
    clock.set(Fixtures.T0);
    assertThat(send(m, "p").reason()).isEqualTo(RejectReason.MESSAGE_RATE_LIMITED);
    clock.set(Fixtures.T0 + 20);
    assertThat(send(m, "p").accepted()).isTrue();
  }

  @Test
  void rawBytesOverTheRateAreRefusedBeforeParsing() {
    CoreSecurityManager m = manager(patient());
    MessageStreamEncoder encoder = new MessageStreamEncoder(m.protocol());
    for (int i = 0; i < 100; i++) {
      byte[] bytes = encoder.encode(Fixtures.message("p", "raw" + i, clock.millis(), null));
      assertThat(m.checkMessage("p", bytes).accepted()).isTrue();
    }
    // Garbage over the rate is refused for the rate, not parsed (no malformed warning).
    MessageCheck c = m.checkMessage("p", "{not json".getBytes(StandardCharsets.UTF_8));
    assertThat(c.decision().reason()).isEqualTo(RejectReason.MESSAGE_RATE_LIMITED);
    assertThat(c.message()).isNull();
    assertThat(m.getMetrics().rejectionsByReason().get(RejectReason.MESSAGE_MALFORMED)).isZero();
    // Empty streams take no token and are not counted.
    clock.advance(Duration.ofMillis(20));
    assertThat(m.checkMessage("p", new byte[0]).decision().reason())
        .isEqualTo(RejectReason.MESSAGE_EMPTY);
    assertThat(
            m.checkMessage("p", encoder.encode(Fixtures.message("p", "x", clock.millis(), null)))
                .accepted())
        .isTrue();
    assertThat(m.getMetrics().messages()).isEqualTo(new CoreSecurityMetrics.Messages(102, 1, 0));
  }

  @Test
  void disabledRateLimitingSkipsTheRateAndKeepsNoStateForSenders() {
    CoreSecurityManager m = manager(SecurityLimits.builder().rateLimitingEnabled(false).build());
    for (int i = 0; i < 1000; i++) {
      assertThat(send(m, "p").accepted()).isTrue();
    }
    assertThat(m.trackedPeers()).isZero();
  }

  @Test
  void manyHonestSendersStayWithinTheBoundAndBlankStatesGoFirst() {
    CoreSecurityManager m =
        manager(
            SecurityLimits.builder()
                .maxTrackedPeers(1000)
                .warningsBeforeTempBan(10_000)
                .warningsBeforeBan(10_000)
                .build());
    // A flooder empties its bucket and earns a warning.
    for (int i = 0; i <= 100; i++) {
      send(m, "flooder");
    }
    assertThat(m.warningCount("flooder")).isEqualTo(1);
    for (int i = 0; i < 20_000; i++) {
      clock.advance(Duration.ofMillis(1));
      assertThat(send(m, "sender-" + i).accepted()).isTrue();
      assertThat(m.trackedPeers()).isLessThanOrEqualTo(1000);
    }
    // Eviction dropped the states that held nothing (refilled buckets) before a warned peer.
    assertThat(m.warningCount("flooder")).isEqualTo(1);
    // Once every bucket is full again, cleanup keeps only what matters.
    clock.advance(Duration.ofSeconds(2));
    m.cleanup();
    assertThat(m.trackedPeers()).isEqualTo(1);
  }

  @Test
  void concurrentMessagesOfOnePeerTakeExactlyTheBurst() throws Exception {
    CoreSecurityManager m = manager(patient());
    int threads = 4;
    int perThread = 500;
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
                    P2PMessage msg = Fixtures.message("p", id + "-" + i, Fixtures.T0, null);
                    if (m.checkMessage("p", Fixtures.decoded(msg)).accepted()) {
                      accepted.incrementAndGet();
                    }
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
    assertThat(accepted.get()).isEqualTo(100);
    assertThat(m.getMetrics().rejectionsByReason().get(RejectReason.MESSAGE_RATE_LIMITED))
        .isEqualTo(threads * perThread - 100);
  }
}
