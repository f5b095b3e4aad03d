package org.lotusia.p2p.coordinator.discovery;

import java.util.ArrayDeque;

/**
 * A sliding window: at most {@code max} acquisitions in any {@code windowMillis}. Not thread-safe:
 * the advertiser guards it.
 */
final class RateWindow {

  private final int max;
  private final long windowMillis;
  private final ArrayDeque<Long> times = new ArrayDeque<>();

  RateWindow(int max, long windowMillis) {
    this.max = max;
    this.windowMillis = windowMillis;
  }

  /** Takes a slot at {@code now}; false (nothing taken) when the window is full. */
  boolean tryAcquire(long now) {
    expire(now);
    if (times.size() >= max) {
      return false;
    }
    times.addLast(now);
    return true;
  }

  /** Milliseconds until a slot frees; 0 when one is free now. */
  long waitMillis(long now) {
    expire(now);
    return times.size() < max ? 0 : Math.max(1, times.peekFirst() + windowMillis - now);
  }

  private void expire(long now) {
    while (!times.isEmpty() && now - times.peekFirst() >= windowMillis) {
      times.pollFirst();
    }
  }
}
