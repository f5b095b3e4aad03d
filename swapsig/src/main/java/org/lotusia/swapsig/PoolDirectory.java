package org.lotusia.swapsig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lotusia.swapsig.wire.PoolAnnouncement;

/**
 * The announcements of other nodes this node heard or found, bounded: beyond the limit the oldest
 * is dropped, and expired ones are dropped whenever the directory is read. Confined to the service
 * thread.
 */
final class PoolDirectory {

  private final int max;
  private final Map<String, PoolAnnouncement> byId = new LinkedHashMap<>();

  PoolDirectory(int max) {
    this.max = max;
  }

  /** Adds an announcement; false when it was known. */
  boolean add(PoolAnnouncement a) {
    if (byId.containsKey(a.poolId())) {
      return false;
    }
    byId.put(a.poolId(), a);
    if (byId.size() > max) {
      String oldest = byId.keySet().iterator().next();
      byId.remove(oldest);
    }
    return true;
  }

  PoolAnnouncement get(String poolId, long now) {
    PoolAnnouncement a = byId.get(poolId);
    return a == null || a.expiresAt() <= now ? null : a;
  }

  List<PoolAnnouncement> live(long now) {
    byId.values().removeIf(a -> a.expiresAt() <= now);
    return new ArrayList<>(byId.values());
  }
}
