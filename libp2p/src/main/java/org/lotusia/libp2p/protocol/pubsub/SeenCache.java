package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.ByteString;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Message IDs seen recently, for deduplication: each is kept for a TTL, and at most {@code max} are
 * kept (the oldest leave first). Not thread-safe; owned by the router.
 */
final class SeenCache {
  private final LinkedHashMap<ByteString, Long> entries = new LinkedHashMap<>();
  private final long ttlMillis;
  private final int max;

  SeenCache(long ttlMillis, int max) {
    this.ttlMillis = ttlMillis;
    this.max = max;
  }

  /** Records {@code id}; returns false when it was already present. */
  boolean add(ByteString id, long now) {
    if (entries.containsKey(id)) {
      return false;
    }
    entries.put(id, now + ttlMillis);
    if (entries.size() > max) {
      Iterator<ByteString> it = entries.keySet().iterator();
      it.next();
      it.remove();
    }
    return true;
  }

  boolean contains(ByteString id) {
    return entries.containsKey(id);
  }

  /** When {@code id} was added, or -1 when it is not present. */
  long addedAt(ByteString id) {
    Long expiry = entries.get(id);
    return expiry == null ? -1 : expiry - ttlMillis;
  }

  /** Drops expired entries; insertion order equals expiry order. */
  void prune(long now) {
    Iterator<Map.Entry<ByteString, Long>> it = entries.entrySet().iterator();
    while (it.hasNext() && it.next().getValue() <= now) {
      it.remove();
    }
  }

  int size() {
    return entries.size();
  }
}
