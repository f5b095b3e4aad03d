package org.lotusia.p2p.security;

/**
 * One token bucket: it holds at most {@code burst} tokens, refills evenly at its {@link Rate} on
 * the manager's clock (millisecond resolution), and an event is allowed when it can take a whole
 * token. A refused event takes nothing, so a peer that slows down to the rate is allowed again as
 * soon as one token has refilled; there is no penalty window beyond that.
 *
 * <p>Not thread-safe: each bucket belongs to a {@link PeerState} and is used under its monitor. A
 * clock that steps backwards refills nothing (the bucket never gains tokens from going back in
 * time) and the bucket waits until the clock passes its last update again.
 */
final class TokenBucket {

  /**
   * A rate limit: {@code amount} tokens refill every {@code periodMillis} milliseconds, evenly
   * spread, up to {@code burst}.
   *
   * @param amount positive, finite tokens per period
   * @param periodMillis positive period length in milliseconds
   * @param burst positive bucket capacity
   */
  record Rate(double amount, long periodMillis, int burst) {

    /** A rate given per second. */
    static Rate perSecond(double perSecond, int burst) {
      return new Rate(perSecond, 1000L, burst);
    }

    /** A rate given per minute. */
    static Rate perMinute(int perMinute, int burst) {
      return new Rate(perMinute, 60_000L, burst);
    }

    /** Tokens refilled in {@code elapsedMillis}; exact for whole multiples (20 ms at 50/s is 1). */
    double refilled(long elapsedMillis) {
      return elapsedMillis * amount / periodMillis;
    }

    /** Whole milliseconds to refill {@code missing} tokens (at least 1). */
    long millisToRefill(double missing) {
      return Math.max(1L, (long) Math.ceil(missing * periodMillis / amount));
    }

    /** Human-readable form for rejection details, such as {@code 50.0 per second, burst 100}. */
    String describe() {
      String period =
          periodMillis == 1000L
              ? "second"
              : periodMillis == 60_000L ? "minute" : periodMillis + " ms";
      return amount + " per " + period + ", burst " + burst;
    }
  }

  private final Rate rate;
  private double tokens;
  private long updatedAt;

  /** A full bucket. */
  TokenBucket(Rate rate, long now) {
    this.rate = rate;
    this.tokens = rate.burst();
    this.updatedAt = now;
  }

  /** Takes one token if there is one; a refusal takes nothing. */
  boolean tryTake(long now) {
    refill(now);
    if (tokens >= 1.0) {
      tokens -= 1.0;
      return true;
    }
    return false;
  }

  /** Whether {@link #tryTake} would succeed now; takes nothing. */
  boolean hasToken(long now) {
    refill(now);
    return tokens >= 1.0;
  }

  /** Whether the bucket is full now, so forgetting it would change nothing. */
  boolean isFull(long now) {
    refill(now);
    return tokens >= rate.burst();
  }

  /** Milliseconds until one token is available (0 if one is available now). */
  long millisUntilToken(long now) {
    refill(now);
    return tokens >= 1.0 ? 0L : rate.millisToRefill(1.0 - tokens);
  }

  private void refill(long now) {
    if (now <= updatedAt) {
      return;
    }
    tokens = Math.min(rate.burst(), tokens + rate.refilled(now - updatedAt));
    updatedAt = now;
  }
}
