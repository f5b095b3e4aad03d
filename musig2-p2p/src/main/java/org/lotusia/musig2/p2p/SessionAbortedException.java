package org.lotusia.musig2.p2p;

/**
 * A session's result future failed because the session was aborted. {@link #reason()} says why
 * and names the culprits.
 */
public final class SessionAbortedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String sessionId;
  private final transient AbortReason reason;

  /**
   * @param sessionId the session
   * @param reason why it was aborted
   */
  public SessionAbortedException(String sessionId, AbortReason reason) {
    super("session " + sessionId + " aborted: " + reason);
    this.sessionId = sessionId;
    this.reason = reason;
  }

  /**
   * @return the session
   */
  public String sessionId() {
    return sessionId;
  }

  /**
   * @return why it was aborted
   */
  public AbortReason reason() {
    return reason;
  }
}
