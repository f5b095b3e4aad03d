package org.lotusia.p2p.coordinator.resource;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lotusia.p2p.coordinator.AnnounceOptions;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;

/**
 * The local resource cache: this node's own announcements (kept until withdrawn or expired, and
 * re-published from here) and announcements of others found by discover calls (kept until they
 * expire, the least recently stored dropped first beyond the capacity). A discovered copy replaces
 * a cached one only when it is better by {@link ResourceRecordPolicy}'s rule, so the cache never
 * goes back to a stale version.
 *
 * <p>Thread-safe: every method is synchronized; the cache is small and operations are O(1) except
 * the scans of {@link #matching}.
 */
public final class LocalResources {

  /** One cached announcement. */
  public record Entry(ResourceAnnouncement announcement, boolean own, AnnounceOptions options) {}

  private final int capacity;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /**
   * Creates the cache.
   *
   * @param capacity most entries (own ones included)
   */
  public LocalResources(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Stores this node's own announcement, replacing any entry of its key.
   *
   * @param a the signed announcement
   * @param options how it lives
   * @throws IllegalStateException when the cache holds {@code capacity} own announcements
   */
  public synchronized void putOwn(ResourceAnnouncement a, AnnounceOptions options) {
    entries.remove(a.key());
    makeRoom(true);
    entries.put(a.key(), new Entry(a, true, options));
  }

  /**
   * Stores a discovered announcement unless the cache has a better one of its key or the key is
   * this node's own.
   *
   * @param a a validated announcement
   * @return true when it was stored (new, or better than the cached one)
   */
  public synchronized boolean putDiscovered(ResourceAnnouncement a) {
    Entry old = entries.get(a.key());
    if (old != null && (old.own() || !ResourceRecordPolicy.isBetter(a, old.announcement()))) {
      return false;
    }
    entries.remove(a.key());
    if (!makeRoom(false)) {
      return false;
    }
    entries.put(a.key(), new Entry(a, false, AnnounceOptions.NONE));
    return true;
  }

  /** Frees one slot; own entries are evicted only when {@code forOwn} and none else is left. */
  private boolean makeRoom(boolean forOwn) {
    if (entries.size() < capacity) {
      return true;
    }
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      if (!it.next().own()) {
        it.remove();
        return true;
      }
    }
    if (forOwn) {
      throw new IllegalStateException(
          "this node already announces " + entries.size() + " resources, the limit (maxLocalResources)");
    }
    return false;
  }

  /**
   * An unexpired entry.
   *
   * @param key the resource key
   * @param now current time in ms
   * @return the entry
   */
  public synchronized Optional<Entry> get(String key, long now) {
    Entry e = entries.get(key);
    return e == null || e.announcement().isExpired(now) ? Optional.empty() : Optional.of(e);
  }

  /**
   * Removes an own announcement.
   *
   * @param key the resource key
   * @return the removed entry
   */
  public synchronized Optional<Entry> removeOwn(String key) {
    Entry e = entries.get(key);
    if (e == null || !e.own()) {
      return Optional.empty();
    }
    entries.remove(key);
    return Optional.of(e);
  }

  /**
   * The unexpired announcements of a type whose data match the filters.
   *
   * @param type the type
   * @param filters member name to required value (see {@link #matches})
   * @param ownOnly only this node's own
   * @param now current time in ms
   * @return the matching announcements
   */
  public synchronized List<ResourceAnnouncement> matching(
      String type, Map<String, JsonNode> filters, boolean ownOnly, long now) {
    List<ResourceAnnouncement> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      ResourceAnnouncement a = e.announcement();
      if ((!ownOnly || e.own())
          && a.resourceType().equals(type)
          && !a.isExpired(now)
          && matches(a.data(), filters)) {
        out.add(a);
      }
    }
    return out;
  }

  /**
   * This node's own entries, expired included.
   *
   * @return a snapshot
   */
  public synchronized List<Entry> own() {
    return entries.values().stream().filter(Entry::own).toList();
  }

  /**
   * Drops expired entries.
   *
   * @param now current time in ms
   * @return the dropped announcements
   */
  public synchronized List<Entry> removeExpired(long now) {
    List<Entry> out = new ArrayList<>();
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.announcement().isExpired(now)) {
        out.add(e);
        it.remove();
      }
    }
    return out;
  }

  /**
   * Entries stored.
   *
   * @return the count
   */
  public synchronized int size() {
    return entries.size();
  }

  /**
   * lotus-sdk's filter rule, with deep equality: when the data is a JSON object, each filter member
   * must be present with an equal value; data that is not an object ignores the filters.
   *
   * @param data the resource data
   * @param filters member name to required value
   * @return whether the data matches
   */
  public static boolean matches(JsonNode data, Map<String, JsonNode> filters) {
    if (filters.isEmpty() || !data.isObject()) {
      return true;
    }
    for (Map.Entry<String, JsonNode> f : filters.entrySet()) {
      if (!f.getValue().equals(data.get(f.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
