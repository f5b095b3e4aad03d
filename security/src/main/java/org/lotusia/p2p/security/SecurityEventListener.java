package org.lotusia.p2p.security;

/**
 * Receives {@link SecurityEvent}s. Called on the manager's event executor (by default the thread
 * that caused the event, after the manager released its locks). An exception thrown by a listener
 * is logged and does not affect the manager or other listeners.
 */
@FunctionalInterface
public interface SecurityEventListener {

  /**
   * Handles an event.
   *
   * @param event the event
   */
  void onEvent(SecurityEvent event);
}
