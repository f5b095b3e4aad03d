package org.lotusia.libp2p.internal.host;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * A warning that is logged at most once per interval, with the number of occurrences suppressed
 * since the last one, so that a flood of refusals cannot flood the log.
 *
 * <p>Thread-safe and lock-free. Time comes from the host's {@link Clock}.
 */
final class RateLimitedLog {

  /** The interval the host uses: one warning per kind per 10 seconds. */
  static final Duration INTERVAL = Duration.ofSeconds(10);

  private final Logger log;
  private final Clock clock;
  private final long intervalMillis;
  private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
  private final LongAdder suppressed = new LongAdder();

  RateLimitedLog(Logger log, Clock clock, Duration interval) {
    this.log = log;
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
  }

  /** Logs {@code format} at WARN unless one was logged within the interval; counts it otherwise. */
  void warn(String format, Object... args) {
    long now = clock.millis();
    long next = nextAllowed.get();
    if (now < next || !nextAllowed.compareAndSet(next, now + intervalMillis)) {
      suppressed.increment();
      return;
    }
    long skipped = suppressed.sumThenReset();
    if (skipped > 0) {
      log.warn(format + " ({} similar since the last report)", append(args, skipped));
    } else {
      log.warn(format, args);
    }
  }

  private static Object[] append(Object[] args, Object extra) {
    Object[] out = java.util.Arrays.copyOf(args, args.length + 1);
    out[args.length] = extra;
    return out;
  }
}
