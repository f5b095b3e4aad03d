package org.lotusia.libp2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.libp2p.AddressManager.Verdict.REACHABLE;
import static org.lotusia.libp2p.AddressManager.Verdict.UNKNOWN;
import static org.lotusia.libp2p.AddressManager.Verdict.UNREACHABLE;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Verdicts, confidence and hysteresis of the I/O-free tracker, on a stepped time line. */
class ReachabilityTrackerTest {

  private Instant now = Instant.parse("2026-01-01T00:00:00Z");

  private Instant step() {
    now = now.plusSeconds(30);
    return now;
  }

  @Test
  void verdictNeedsConfirmationsNetOfDisagreement() {
    ReachabilityTracker<String> t = new ReachabilityTracker<>(3, 3, 16);
    assertThat(t.record("a", REACHABLE, step())).isEqualTo(UNKNOWN);
    assertThat(t.record("a", REACHABLE, step())).isEqualTo(UNKNOWN);
    assertThat(t.record("a", UNREACHABLE, step())).isEqualTo(UNKNOWN);
    assertThat(t.record("a", REACHABLE, step())).isEqualTo(UNKNOWN);
    assertThat(t.record("a", REACHABLE, step())).isEqualTo(REACHABLE);
    assertThat(t.state("a").confidence()).isEqualTo(2);
  }

  @Test
  void oneFailedProbeNeverFlipsAReachableAddress() {
    ReachabilityTracker<String> t = new ReachabilityTracker<>(3, 3, 16);
    for (int i = 0; i < 5; i++) {
      t.record("a", REACHABLE, step());
    }
    assertThat(t.state("a").confidence()).isEqualTo(3);
    // alternating failures (a flaky server) never flip it
    for (int i = 0; i < 20; i++) {
      assertThat(t.record("a", UNREACHABLE, step())).isEqualTo(REACHABLE);
      assertThat(t.record("a", REACHABLE, step())).isEqualTo(REACHABLE);
    }
    // a real change: confidence drains, then the verdict flips
    assertThat(t.record("a", UNREACHABLE, step())).isEqualTo(REACHABLE);
    assertThat(t.record("a", UNREACHABLE, step())).isEqualTo(REACHABLE);
    assertThat(t.record("a", UNREACHABLE, step())).isEqualTo(REACHABLE);
    assertThat(t.record("a", UNREACHABLE, step())).isEqualTo(UNREACHABLE);
    assertThat(t.state("a").confidence()).isEqualTo(2);
  }

  @Test
  void dueFollowsRetryWhileUnsureAndRefreshOnceSure() {
    ReachabilityTracker<String> t = new ReachabilityTracker<>(1, 1, 16);
    Duration retry = Duration.ofSeconds(30);
    Duration refresh = Duration.ofMinutes(15);
    assertThat(t.due("a", now, retry, refresh)).isTrue();
    t.attempted("a", now);
    assertThat(t.due("a", now.plusSeconds(29), retry, refresh)).isFalse();
    assertThat(t.due("a", now.plusSeconds(30), retry, refresh)).isTrue();
    t.record("a", UNREACHABLE, now); // confirmations 1: decided, confidence 0 of 1
    assertThat(t.due("a", now.plusSeconds(30), retry, refresh)).isTrue();
    t.record("a", UNREACHABLE, now); // fully confident
    assertThat(t.due("a", now.plusSeconds(30), retry, refresh)).isFalse();
    assertThat(t.due("a", now.plus(refresh), retry, refresh)).isTrue();
  }

  @Test
  void subjectsAreBoundedOldestAttemptFirst() {
    ReachabilityTracker<String> t = new ReachabilityTracker<>(1, 1, 2);
    t.record("a", REACHABLE, step());
    t.record("b", REACHABLE, step());
    t.record("c", REACHABLE, step());
    assertThat(t.verdicts()).containsOnlyKeys("b", "c");
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> new ReachabilityTracker<String>(0, 3, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("confirmations >= 1");
    assertThatThrownBy(() -> new ReachabilityTracker<String>(1, 1, 1).record("a", UNKNOWN, now))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
