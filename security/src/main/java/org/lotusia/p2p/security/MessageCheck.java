package org.lotusia.p2p.security;

import org.lotusia.p2p.protocol.P2PMessage;

/**
 * Result of {@link CoreSecurityManager#checkMessage(String, byte[])}: the decision and, when the
 * bytes could be parsed, the message.
 *
 * @param decision accept or reject with reason
 * @param message the parsed message, or {@code null} if the bytes were not a message
 */
public record MessageCheck(SecurityDecision decision, P2PMessage message) {

  /**
   * Whether the message is accepted for delivery.
   *
   * @return {@code decision().accepted()}
   */
  public boolean accepted() {
    return decision.accepted();
  }
}
