package org.lotusia.musig2.p2p;

import java.util.List;
import java.util.Optional;

/**
 * Where a {@link SessionManager} keeps its {@link SessionRecord}s so that a restarted node knows
 * which sessions it was in. Records never hold secret nonces: a session whose node restarts is
 * reported aborted rather than resumed with a nonce that cannot be proven fresh.
 *
 * <p>The manager calls the store from its service thread and waits for each call; a write that
 * throws makes the manager abort the session (it never reveals a nonce it could not record first).
 * Implementations must be thread-safe.
 */
public interface SessionStore {

  /**
   * Writes or replaces the record of a session; durable when the call returns.
   *
   * @param record the record
   */
  void save(SessionRecord record);

  /**
   * @param sessionId a session
   * @return its record, if stored
   */
  Optional<SessionRecord> load(String sessionId);

  /**
   * @return every stored record
   */
  List<SessionRecord> loadAll();

  /**
   * Deletes a record; nothing happens if there is none.
   *
   * @param sessionId the session
   */
  void delete(String sessionId);
}
