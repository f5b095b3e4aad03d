package org.lotusia.musig2.p2p;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of one manager: those in progress, bounded in total and per remote creator, and the
 * finished ones, remembered for {@code tombstoneTtl} so that late messages are dropped quietly and a
 * creator still relays; when that time is up the record is deleted from the store. Confined to the
 * manager's thread.
 */
final class SessionTable {

  private static final Logger LOG = LoggerFactory.getLogger(SessionTable.class);

  /** A finished session: until when it is remembered, and the session (null if recovered). */
  record Tombstone(long until, ActiveSession session) {}

  private final SessionServices svc;
  private final Map<String, ActiveSession> live = new HashMap<>();
  private final Map<String, Tombstone> finished = new HashMap<>();
  private boolean closed;

  SessionTable(SessionServices svc) {
    this.svc = svc;
  }

  ActiveSession get(String id) {
    return live.get(id);
  }

  Tombstone finished(String id) {
    return finished.get(id);
  }

  boolean known(String id) {
    return live.containsKey(id) || finished.containsKey(id);
  }

  void put(ActiveSession s) {
    live.put(s.id, s);
  }

  List<String> ids() {
    return List.copyOf(live.keySet());
  }

  List<ActiveSession> all() {
    return List.copyOf(live.values());
  }

  void close() {
    closed = true;
  }

  /**
   * @param creatorPeer the remote creator of a session to join, or null for a local creation
   * @throws IllegalStateException if closed, or a limit is reached
   */
  void requireCapacity(String creatorPeer) {
    SessionConfig c = svc.config;
    if (closed) {
      throw new IllegalStateException("the session manager is closed");
    }
    if (live.size() >= c.maxSessions()) {
      throw new IllegalStateException("the limit of " + c.maxSessions()
          + " sessions in progress is reached (SessionConfig.maxSessions)");
    }
    if (creatorPeer != null) {
      long withPeer =
          live.values().stream()
              .filter(s -> s.announcement.coordinatorPeerId().equals(creatorPeer))
              .count();
      if (withPeer >= c.maxSessionsPerPeer()) {
        throw new IllegalStateException("the limit of " + c.maxSessionsPerPeer()
            + " sessions in progress created by peer " + creatorPeer
            + " is reached (SessionConfig.maxSessionsPerPeer)");
      }
    }
  }

  /** A session reached COMPLETE or ABORTED. */
  void onFinished(ActiveSession s) {
    live.remove(s.id);
    tombstone(s.id, s);
    if (s.creator) {
      try {
        svc.network.withdrawResource(SessionAnnouncement.RESOURCE_TYPE, s.id)
            .whenComplete((v, e) -> {
              if (e != null) {
                LOG.warn("DHT withdrawal of {} failed: {}", s.id, e.toString());
              }
            });
      } catch (RuntimeException e) {
        LOG.warn("DHT withdrawal of {} failed: {}", s.id, e.toString());
      }
    }
  }

  /** Remembers a finished session, then forgets it and deletes its record. */
  void tombstone(String id, ActiveSession session) {
    finished.put(id, new Tombstone(svc.now() + svc.config.tombstoneTtl().toMillis(), session));
    svc.schedule(
        () -> {
          Tombstone t = finished.get(id);
          if (t != null && t.until() <= svc.now() && !live.containsKey(id)) {
            finished.remove(id);
            try {
              svc.store.delete(id);
            } catch (RuntimeException e) {
              LOG.warn("cannot delete the record of finished session {}", id, e);
            }
          }
        },
        svc.config.tombstoneTtl());
  }
}
