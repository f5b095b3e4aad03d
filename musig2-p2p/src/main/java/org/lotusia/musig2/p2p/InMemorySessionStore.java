package org.lotusia.musig2.p2p;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SessionStore} in memory: survives the manager, not the process. The default store, and
 * the one tests share between a manager and its restarted successor. Thread-safe.
 */
public final class InMemorySessionStore implements SessionStore {

  private final ConcurrentHashMap<String, SessionRecord> records = new ConcurrentHashMap<>();

  @Override
  public void save(SessionRecord record) {
    records.put(record.sessionId(), record);
  }

  @Override
  public Optional<SessionRecord> load(String sessionId) {
    return Optional.ofNullable(records.get(sessionId));
  }

  @Override
  public List<SessionRecord> loadAll() {
    return new ArrayList<>(records.values());
  }

  @Override
  public void delete(String sessionId) {
    records.remove(sessionId);
  }
}
