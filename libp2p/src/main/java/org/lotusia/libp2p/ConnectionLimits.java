package org.lotusia.libp2p;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits a relay applies to a relayed connection (circuit relay v2 {@code Limit}): how long it
 * may stay open and how many bytes may cross it in each direction. A connection that has limits is
 * <em>limited</em>: the host runs only protocols marked for limited connections on it (see {@link
 * HandlerOptions}).
 *
 * @param duration the longest the connection may stay open; {@link Duration#ZERO} means no time
 *     limit
 * @param bytes the most bytes that may be sent in each direction; 0 means no data limit
 */
public record ConnectionLimits(Duration duration, long bytes) {

  /**
   * Validates the limits.
   *
   * @throws IllegalArgumentException when the duration or the byte count is negative
   */
  public ConnectionLimits {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("limit duration must be >= 0, got " + duration);
    }
    if (bytes < 0) {
      throw new IllegalArgumentException("limit bytes must be >= 0, got " + bytes);
    }
  }

  /** Whether the connection may stay open only for a bounded time. */
  public boolean hasDuration() {
    return !duration.isZero();
  }

  /** Whether the bytes per direction are bounded. */
  public boolean hasData() {
    return bytes > 0;
  }
}
