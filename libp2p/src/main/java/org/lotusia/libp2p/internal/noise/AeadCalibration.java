package org.lotusia.libp2p.internal.noise;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Measures which ChaCha20-Poly1305 implementation is fastest on the running machine. I/O-free:
 * the work ({@link Trial}) and the clock are handed in, so a test can drive it with fake trials
 * and a stepped clock.
 *
 * <p>Built for a machine that others load: every trial is warmed up first (so the JIT has compiled
 * it), then measured in interleaved rounds, each round running every trial once in a rotated
 * order, so that load that comes and goes falls on all of them alike. Each trial's estimate is its
 * fastest run: load only ever adds time, so the minimum is the run least disturbed. Measuring
 * stops when no estimate has improved by more than {@link Settings#settle()} over the last half of
 * the rounds (after at least {@link Settings#minRounds()} rounds and {@link Settings#minTime()}),
 * or at {@link Settings#maxTime()}.
 *
 * <p>Stateless; {@link #run} runs on the caller's thread.
 */
final class AeadCalibration {

  private AeadCalibration() {}

  /** One candidate's unit of work. */
  interface Trial {
    /** The candidate's name in the result. */
    String name();

    /** Runs enough work for the JIT to compile the candidate's paths; called once. */
    void warmUp();

    /** Runs one measured unit of work. */
    void run();

    /** Payload bytes processed by one {@link #run()}. */
    long bytesPerRun();
  }

  /**
   * Measurement settings.
   *
   * @param minRounds rounds measured at least
   * @param minTime time measured at least
   * @param maxTime time after which measuring stops whatever the estimates do
   * @param settle relative improvement of an estimate below which it counts as settled
   */
  record Settings(int minRounds, Duration minTime, Duration maxTime, double settle) {
    /** The defaults: 20 rounds, 50 ms to 5 s, settled below 3 %. */
    static final Settings DEFAULT =
        new Settings(20, Duration.ofMillis(50), Duration.ofSeconds(5), 0.03);

    Settings {
      if (minRounds < 1 || minTime.isNegative() || maxTime.compareTo(minTime) < 0) {
        throw new IllegalArgumentException(
            "calibration needs minRounds >= 1 and 0 <= minTime <= maxTime, got "
                + minRounds + ", " + minTime + ", " + maxTime);
      }
      if (!(settle > 0 && settle < 1)) {
        throw new IllegalArgumentException("settle must be in (0, 1), got " + settle);
      }
    }
  }

  /**
   * The outcome.
   *
   * @param winner the name of the fastest trial
   * @param bytesPerSecond each trial's best rate, in the order given
   * @param rounds rounds measured
   * @param settled false when {@link Settings#maxTime()} ended the measurement
   */
  record Result(String winner, Map<String, Double> bytesPerSecond, int rounds, boolean settled) {}

  /**
   * Warms up and measures {@code trials}.
   *
   * @throws IllegalArgumentException if {@code trials} is empty
   */
  static Result run(List<? extends Trial> trials, LongSupplier nanoTime, Settings settings) {
    int k = trials.size();
    if (k == 0) {
      throw new IllegalArgumentException("nothing to calibrate");
    }
    for (Trial t : trials) {
      t.warmUp();
    }
    long[] best = new long[k];
    int[] improvedAt = new int[k];
    java.util.Arrays.fill(best, Long.MAX_VALUE);
    long start = nanoTime.getAsLong();
    int round = 0;
    boolean settled = false;
    while (true) {
      for (int j = 0; j < k; j++) {
        int i = (round + j) % k;
        long t0 = nanoTime.getAsLong();
        trials.get(i).run();
        long dt = Math.max(1, nanoTime.getAsLong() - t0);
        if (dt < best[i] * (1 - settings.settle())) {
          improvedAt[i] = round;
        }
        best[i] = Math.min(best[i], dt);
      }
      round++;
      long elapsed = nanoTime.getAsLong() - start;
      if (round >= settings.minRounds() && elapsed >= settings.minTime().toNanos()) {
        boolean quiet = true;
        for (int i = 0; i < k; i++) {
          quiet &= round - 1 - improvedAt[i] >= round / 2;
        }
        if (quiet) {
          settled = true;
          break;
        }
      }
      if (elapsed >= settings.maxTime().toNanos()) {
        break;
      }
    }
    Map<String, Double> rates = new LinkedHashMap<>();
    String winner = null;
    double top = -1;
    for (int i = 0; i < k; i++) {
      Trial t = trials.get(i);
      double rate = t.bytesPerRun() * 1e9 / best[i];
      rates.put(t.name(), rate);
      if (rate > top) {
        top = rate;
        winner = t.name();
      }
    }
    return new Result(winner, rates, round, settled);
  }
}
