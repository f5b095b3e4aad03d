package org.lotusia.p2p.coordinator.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The default {@link DiscoveryCache}: in memory, at most {@code maxEntries} entries. When full, the
 * entry that expires soonest makes room (it is the least useful one). Thread-safe (one lock).
 */
public final class InMemoryDiscoveryCache implements DiscoveryCache {

  /** The default bound. */
  public static final int DEFAULT_MAX_ENTRIES = 10_000;

  private static final Comparator<DiscoveryCacheEntry> BY_EXPIRY =
      Comparator.<DiscoveryCacheEntry>comparingLong(e -> e.advertisement().expiresAt())
          .thenComparing(e -> e.key().peerId())
          .thenComparing(e -> e.key().id());

  private final int maxEntries;
  private final Map<AdvertisementKey, DiscoveryCacheEntry> entries = new HashMap<>();
  private final TreeSet<DiscoveryCacheEntry> byExpiry = new TreeSet<>(BY_EXPIRY);
  private long evictions;

  /** A cache of {@value #DEFAULT_MAX_ENTRIES} entries at most. */
  public InMemoryDiscoveryCache() {
    this(DEFAULT_MAX_ENTRIES);
  }

  /**
   * A cache of at most {@code maxEntries} entries.
   *
   * @param maxEntries the bound, at least 1
   * @throws IllegalArgumentException when {@code maxEntries} is below 1
   */
  public InMemoryDiscoveryCache(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  @Override
  public synchronized Optional<DiscoveryCacheEntry> get(AdvertisementKey key) {
    return Optional.ofNullable(entries.get(key));
  }

  @Override
  public synchronized void put(DiscoveryCacheEntry entry) {
    DiscoveryCacheEntry old = entries.remove(entry.key());
    if (old != null) {
      byExpiry.remove(old);
    } else if (entries.size() >= maxEntries) {
      DiscoveryCacheEntry first = byExpiry.pollFirst();
      entries.remove(first.key());
      evictions++;
    }
    entries.put(entry.key(), entry);
    byExpiry.add(entry);
  }

  @Override
  public synchronized Optional<DiscoveryCacheEntry> remove(AdvertisementKey key) {
    DiscoveryCacheEntry old = entries.remove(key);
    if (old != null) {
      byExpiry.remove(old);
    }
    return Optional.ofNullable(old);
  }

  @Override
  public synchronized List<DiscoveryCacheEntry> entries() {
    return new ArrayList<>(entries.values());
  }

  @Override
  public synchronized int clear(String protocol) {
    List<DiscoveryCacheEntry> gone = new ArrayList<>();
    for (DiscoveryCacheEntry e : entries.values()) {
      if (e.advertisement().protocol().equals(protocol)) {
        gone.add(e);
      }
    }
    for (DiscoveryCacheEntry e : gone) {
      entries.remove(e.key());
      byExpiry.remove(e);
    }
    return gone.size();
  }

  @Override
  public synchronized void clear() {
    entries.clear();
    byExpiry.clear();
  }

  @Override
  public synchronized int size() {
    return entries.size();
  }

  /**
   * Entries evicted to make room, since creation.
   *
   * @return the count
   */
  public synchronized long evictions() {
    return evictions;
  }
}
