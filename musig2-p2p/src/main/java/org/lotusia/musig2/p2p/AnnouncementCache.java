package org.lotusia.musig2.p2p;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;

/**
 * Verified announcements heard on the topic, by session ID: bounded in total (the oldest entry
 * goes first) and per publishing peer (further announcements of a full peer are refused), expired
 * entries dropped. Confined to the manager's thread.
 */
final class AnnouncementCache {

  private record Entry(SessionAnnouncement announcement, String publisher) {}

  private final int max;
  private final int maxPerPeer;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, Integer> perPeer = new HashMap<>();

  AnnouncementCache(int max, int maxPerPeer) {
    this.max = max;
    this.maxPerPeer = maxPerPeer;
  }

  /** Outcome of {@link #offer}. */
  enum Result {
    ADDED,
    DUPLICATE,
    PEER_FULL
  }

  Result offer(SessionAnnouncement a, String publisher, long now) {
    purge(now);
    if (entries.containsKey(a.sessionId())) {
      return Result.DUPLICATE;
    }
    if (perPeer.getOrDefault(publisher, 0) >= maxPerPeer) {
      return Result.PEER_FULL;
    }
    if (entries.size() >= max) {
      Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
      Entry oldest = it.next().getValue();
      it.remove();
      decrement(oldest.publisher());
    }
    entries.put(a.sessionId(), new Entry(a, publisher));
    perPeer.merge(publisher, 1, Integer::sum);
    return Result.ADDED;
  }

  SessionAnnouncement get(String sessionId, long now) {
    purge(now);
    Entry e = entries.get(sessionId);
    return e == null ? null : e.announcement();
  }

  int size() {
    return entries.size();
  }

  private void purge(long now) {
    Iterator<Entry> it = entries.values().iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (e.announcement().expiresAt() <= now) {
        it.remove();
        decrement(e.publisher());
      }
    }
  }

  private void decrement(String publisher) {
    perPeer.computeIfPresent(publisher, (k, v) -> v <= 1 ? null : v - 1);
  }
}
