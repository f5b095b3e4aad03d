package org.lotusia.p2p.security;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Everything the manager knows about one peer. Guarded by the instance's own monitor: every access
 * happens inside {@code synchronized (state)}.
 */
final class PeerState {

  static final long NEVER = Long.MIN_VALUE;

  final String peerId;
  long lastActivity;
  int warnings;
  int invalidEvents;
  boolean banned;
  long tempBanUntil = NEVER;
  long lastAnnouncement = NEVER;
  long acceptedAnnouncements;

  /** type -> ids; the total is {@link #resourceCount}. */
  final Map<String, Set<String>> resources = new HashMap<>();

  int resourceCount;

  PeerState(String peerId, long now) {
    this.peerId = peerId;
    this.lastActivity = now;
  }

  boolean hasResource(String type, String id) {
    Set<String> ids = resources.get(type);
    return ids != null && ids.contains(id);
  }

  int resourceCount(String type) {
    Set<String> ids = resources.get(type);
    return ids == null ? 0 : ids.size();
  }

  void addResource(String type, String id) {
    if (resources.computeIfAbsent(type, t -> new HashSet<>()).add(id)) {
      resourceCount++;
    }
  }

  boolean removeResource(String type, String id) {
    Set<String> ids = resources.get(type);
    if (ids == null || !ids.remove(id)) {
      return false;
    }
    resourceCount--;
    if (ids.isEmpty()) {
      resources.remove(type);
    }
    return true;
  }

  boolean tempBanned(long now) {
    if (tempBanUntil == NEVER) {
      return false;
    }
    if (now < tempBanUntil) {
      return true;
    }
    tempBanUntil = NEVER; // expired: forget it; the warning count stays, as in lotus-sdk
    return false;
  }

  /** Whether dropping this state would lose something that must be remembered. */
  boolean pinned(long now) {
    return banned || tempBanned(now) || resourceCount > 0;
  }
}
