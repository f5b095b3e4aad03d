package org.lotusia.p2p.protocol;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Bounded de-duplication set of message hashes ({@link MessageHasher}) with a size bound and an
 * expiry.
 *
 * <p>An entry lives for {@code ttl} after it was first seen, or until {@code maxEntries} newer
 * entries push it out (oldest first). lotus-sdk keeps 10,000 hashes without expiry and drops the
 * 1,000 oldest at once; this cache drops one at a time and also expires entries. A ttl of at least
 * twice the validation clock-skew window (the default: 10 minutes against 5) means a replay of a
 * message is either still in the cache or already too old to pass validation, unless the size bound
 * evicted it.
 *
 * <p>Thread-safe (one lock; every operation is O(1) amortized). Time comes from the injected clock.
 */
public final class SeenMessageCache {

  /** Default size bound: 10,000 entries, as in lotus-sdk. */
  public static final int DEFAULT_MAX_ENTRIES = 10_000;

  /** Default expiry: 10 minutes. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

  private final int maxEntries;
  private final long ttlMillis;
  private final Clock clock;
  private final LinkedHashMap<String, Long> expiries = new LinkedHashMap<>();

  /**
   * Creates a cache.
   *
   * @param maxEntries largest number of remembered hashes, positive
   * @param ttl how long a hash is remembered, positive
   * @param clock time source
   * @throws IllegalArgumentException if a bound is not positive
   */
  public SeenMessageCache(int maxEntries, Duration ttl, Clock clock) {
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be a positive duration, got " + ttl);
    }
    this.maxEntries = maxEntries;
    this.ttlMillis = ttl.toMillis();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Creates a cache with the default bounds.
   *
   * @param clock time source
   */
  public SeenMessageCache(Clock clock) {
    this(DEFAULT_MAX_ENTRIES, DEFAULT_TTL, clock);
  }

  /**
   * Records a hash and tells whether it is new.
   *
   * @param hash the message hash
   * @return true if the hash was not in the cache (the message is new), false for a duplicate
   */
  public synchronized boolean markSeen(String hash) {
    long now = clock.millis();
    expire(now);
    Long expiry = expiries.get(hash);
    if (expiry != null) {
      return false;
    }
    expiries.put(hash, now + ttlMillis);
    if (expiries.size() > maxEntries) {
      Iterator<String> it = expiries.keySet().iterator();
      it.next();
      it.remove();
    }
    return true;
  }

  /**
   * Whether a hash is remembered (and not expired).
   *
   * @param hash the message hash
   * @return true if present
   */
  public synchronized boolean contains(String hash) {
    expire(clock.millis());
    return expiries.containsKey(hash);
  }

  /**
   * Number of remembered hashes, after removing expired ones.
   *
   * @return the size, at most {@code maxEntries}
   */
  public synchronized int size() {
    expire(clock.millis());
    return expiries.size();
  }

  /** Forgets every hash. */
  public synchronized void clear() {
    expiries.clear();
  }

  private void expire(long now) {
    // Entries are in insertion order and share one ttl, so the expired ones are at the head.
    Iterator<Map.Entry<String, Long>> it = expiries.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue() > now) {
        return;
      }
      it.remove();
    }
  }
}
