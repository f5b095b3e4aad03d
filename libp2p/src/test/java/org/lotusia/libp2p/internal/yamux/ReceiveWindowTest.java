package org.lotusia.libp2p.internal.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReceiveWindowTest {

  private static final int K256 = 256 * 1024;
  private static final long MS = 1_000_000L;

  @Test
  void returnsCreditAtHalfTheWindow() {
    ReceiveWindow w = new ReceiveWindow(K256, 16 << 20, true, 0);
    w.onReceived(K256 / 2 - 1);
    assertThat(w.onConsumed(K256 / 2 - 1, 0, -1)).isZero();
    w.onReceived(1);
    assertThat(w.available()).isEqualTo(K256 / 2);
    assertThat(w.onConsumed(1, 0, -1)).isEqualTo(K256 / 2); // no RTT known: no growth
    assertThat(w.available()).isEqualTo(K256);
    assertThat(w.limit()).isEqualTo(K256);
  }

  @Test
  void doublesWhenHalfTheWindowDrainsWithinTwoRoundTrips() {
    ReceiveWindow w = new ReceiveWindow(K256, 1 << 20, true, 0);
    w.onReceived(K256 / 2);
    long delta = w.onConsumed(K256 / 2, 15 * MS, 10 * MS); // 15 ms <= 2 x 10 ms
    assertThat(w.limit()).isEqualTo(2 * K256);
    assertThat(delta).isEqualTo(K256 / 2 + K256);
    assertThat(w.available()).isEqualTo(2 * K256);
    // next epoch: slow reader (100 ms > 20 ms): no growth
    w.onReceived(K256);
    assertThat(w.onConsumed(K256, 115 * MS, 10 * MS)).isEqualTo(K256);
    assertThat(w.limit()).isEqualTo(2 * K256);
    // growth stops at the maximum
    for (int i = 0; i < 5; i++) {
      int half = w.limit() / 2;
      w.onReceived(half);
      w.onConsumed(half, 115 * MS, 10 * MS);
    }
    assertThat(w.limit()).isEqualTo(1 << 20);
    assertThat(w.available()).isEqualTo(1 << 20);
  }

  @Test
  void neverGrowsWithoutAutoTuning() {
    ReceiveWindow w = new ReceiveWindow(K256, 16 << 20, false, 0);
    for (int i = 0; i < 10; i++) {
      w.onReceived(K256 / 2);
      assertThat(w.onConsumed(K256 / 2, 0, 10 * MS)).isEqualTo(K256 / 2);
    }
    assertThat(w.limit()).isEqualTo(K256);
  }
}
