package org.lotusia.p2p.security;

/**
 * Accept or reject, with the reason, for one inbound event.
 *
 * @param accepted whether the event may proceed
 * @param reason why not, or {@code null} when accepted
 * @param detail what exactly was wrong, or {@code null} when accepted
 */
public record SecurityDecision(boolean accepted, RejectReason reason, String detail) {

  private static final SecurityDecision ACCEPT = new SecurityDecision(true, null, null);

  /**
   * The accepting decision.
   *
   * @return a shared instance
   */
  public static SecurityDecision accept() {
    return ACCEPT;
  }

  /**
   * A rejecting decision.
   *
   * @param reason why
   * @param detail what exactly was wrong
   * @return the decision
   */
  public static SecurityDecision reject(RejectReason reason, String detail) {
    return new SecurityDecision(false, reason, detail);
  }
}
