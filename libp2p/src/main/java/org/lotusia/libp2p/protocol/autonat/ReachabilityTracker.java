package org.lotusia.libp2p.protocol.autonat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.lotusia.libp2p.AddressManager.Verdict;

/**
 * Reachability verdicts with confidence and hysteresis, one per subject (an address for AutoNAT
 * v2, the whole host for v1). I/O-free: callers feed it probe outcomes with their time.
 *
 * <p>From {@link Verdict#UNKNOWN}, a verdict is reached when the outcomes of one kind outnumber
 * the other kind by {@code confirmations} (the spec suggests 3 servers). A verdict then holds a
 * confidence, raised by each agreeing outcome up to {@code maxConfidence}, lowered by each
 * disagreeing one; only a disagreeing outcome at confidence 0 flips the verdict. So one failed
 * probe never flips an address that was reachable (the flapping of go-libp2p issues 2046 and
 * 2602). A verdict enters at confidence {@code confirmations - 1}, so flipping it takes as many
 * disagreeing outcomes in a row as establishing it took.
 *
 * <p>At most {@code maxSubjects} subjects are kept; the one probed longest ago goes first.
 *
 * <p>Not thread-safe: confine it to one thread (the {@link AutoNat} service's).
 */
public final class ReachabilityTracker<K> {

  /** A subject's state, as returned by {@link #state}. */
  public record State(
      Verdict verdict, int confidence, int reachable, int unreachable, Instant lastResult) {}

  private static final class Entry {
    Verdict verdict = Verdict.UNKNOWN;
    int confidence;
    int reachable;
    int unreachable;
    Instant lastResult;
    Instant lastAttempt;
  }

  private final int confirmations;
  private final int maxConfidence;
  private final int maxSubjects;
  private final Map<K, Entry> entries = new LinkedHashMap<>();

  /**
   * Creates a tracker.
   *
   * @throws IllegalArgumentException unless {@code 1 <= confirmations}, {@code confirmations - 1
   *     <= maxConfidence} and {@code maxSubjects >= 1}
   */
  public ReachabilityTracker(int confirmations, int maxConfidence, int maxSubjects) {
    if (confirmations < 1 || maxConfidence < confirmations - 1 || maxSubjects < 1) {
      throw new IllegalArgumentException(
          "need confirmations >= 1, maxConfidence >= confirmations - 1 and maxSubjects >= 1, got "
              + confirmations
              + ", "
              + maxConfidence
              + ", "
              + maxSubjects);
    }
    this.confirmations = confirmations;
    this.maxConfidence = maxConfidence;
    this.maxSubjects = maxSubjects;
  }

  /**
   * Records one firm outcome ({@link Verdict#REACHABLE} or {@link Verdict#UNREACHABLE}) for {@code
   * subject} and returns the verdict after it.
   *
   * @throws IllegalArgumentException for {@link Verdict#UNKNOWN}
   */
  public Verdict record(K subject, Verdict outcome, Instant now) {
    Objects.requireNonNull(subject, "subject");
    if (outcome == Verdict.UNKNOWN) {
      throw new IllegalArgumentException("an outcome is REACHABLE or UNREACHABLE, not UNKNOWN");
    }
    Entry e = entry(subject);
    e.lastResult = now;
    e.lastAttempt = now;
    if (outcome == Verdict.REACHABLE) {
      e.reachable++;
    } else {
      e.unreachable++;
    }
    if (e.verdict == Verdict.UNKNOWN) {
      int net = e.reachable - e.unreachable;
      if (net >= confirmations || -net >= confirmations) {
        e.verdict = net > 0 ? Verdict.REACHABLE : Verdict.UNREACHABLE;
        e.confidence = confirmations - 1;
      }
    } else if (outcome == e.verdict) {
      e.confidence = Math.min(maxConfidence, e.confidence + 1);
    } else if (e.confidence > 0) {
      e.confidence--;
    } else {
      e.verdict = outcome;
      e.confidence = confirmations - 1;
      e.reachable = outcome == Verdict.REACHABLE ? 1 : 0;
      e.unreachable = outcome == Verdict.UNREACHABLE ? 1 : 0;
    }
    return e.verdict;
  }

  /** Notes that a probe of {@code subject} was started (or gave no firm outcome) at {@code now}. */
  public void attempted(K subject, Instant now) {
    entry(subject).lastAttempt = now;
  }

  /** The verdict about {@code subject}; {@link Verdict#UNKNOWN} when never decided. */
  public Verdict verdict(K subject) {
    Entry e = entries.get(subject);
    return e == null ? Verdict.UNKNOWN : e.verdict;
  }

  /** The full state of {@code subject}, or {@code null} when it was never probed. */
  public State state(K subject) {
    Entry e = entries.get(subject);
    return e == null
        ? null
        : new State(e.verdict, e.confidence, e.reachable, e.unreachable, e.lastResult);
  }

  /**
   * Whether {@code subject} is due for a probe at {@code now}: after {@code retry} since the last
   * attempt while the verdict is unknown or below full confidence, after {@code refresh} once fully
   * confident.
   */
  public boolean due(K subject, Instant now, Duration retry, Duration refresh) {
    Entry e = entries.get(subject);
    if (e == null || e.lastAttempt == null) {
      return true;
    }
    boolean settled = e.verdict != Verdict.UNKNOWN && e.confidence >= maxConfidence;
    return !now.isBefore(e.lastAttempt.plus(settled ? refresh : retry));
  }

  /** Every subject with a verdict. */
  public Map<K, Verdict> verdicts() {
    Map<K, Verdict> out = new LinkedHashMap<>();
    entries.forEach((k, e) -> out.put(k, e.verdict));
    return out;
  }

  private Entry entry(K subject) {
    Entry e = entries.get(subject);
    if (e == null) {
      if (entries.size() >= maxSubjects) {
        K oldest = null;
        Instant when = null;
        for (Map.Entry<K, Entry> x : entries.entrySet()) {
          Instant t = x.getValue().lastAttempt;
          if (oldest == null || (t != null && when != null && t.isBefore(when)) || t == null) {
            oldest = x.getKey();
            when = t;
            if (t == null) {
              break;
            }
          }
        }
        entries.remove(oldest);
      }
      e = new Entry();
      entries.put(subject, e);
    }
    return e;
  }
}
