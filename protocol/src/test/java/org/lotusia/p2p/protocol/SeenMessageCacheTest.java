package org.lotusia.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bounds of the de-duplication cache. */
class SeenMessageCacheTest {

  final MutableClock clock = new MutableClock(0);

  @Test
  void secondSightingIsADuplicate() {
    SeenMessageCache c = new SeenMessageCache(clock);
    assertThat(c.markSeen("h1")).isTrue();
    assertThat(c.markSeen("h1")).isFalse();
    assertThat(c.contains("h1")).isTrue();
    assertThat(c.markSeen("h2")).isTrue();
    assertThat(c.size()).isEqualTo(2);
  }

  @Test
  void entriesExpire() {
    SeenMessageCache c = new SeenMessageCache(100, Duration.ofMinutes(10), clock);
    c.markSeen("h1");
    clock.advance(Duration.ofMinutes(5));
    c.markSeen("h2");
    clock.advance(Duration.ofMinutes(5));
    assertThat(c.contains("h1")).isFalse();
    assertThat(c.contains("h2")).isTrue();
    assertThat(c.markSeen("h1")).isTrue();
    assertThat(c.size()).isEqualTo(2);
  }

  @Test
  void floodOfDistinctHashesStaysWithinTheSizeBound() {
    SeenMessageCache c = new SeenMessageCache(1000, Duration.ofHours(1), clock);
    for (int i = 0; i < 100_000; i++) {
      assertThat(c.markSeen("h" + i)).isTrue();
    }
    assertThat(c.size()).isEqualTo(1000);
    assertThat(c.contains("h98999")).isFalse();
    assertThat(c.contains("h99000")).isTrue();
    c.clear();
    assertThat(c.size()).isZero();
  }

  @Test
  void rejectsNonsenseBounds() {
    assertThatThrownBy(() -> new SeenMessageCache(0, Duration.ofMinutes(1), clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEntries");
    assertThatThrownBy(() -> new SeenMessageCache(1, Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl");
  }
}
