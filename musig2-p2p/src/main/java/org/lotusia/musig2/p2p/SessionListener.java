package org.lotusia.musig2.p2p;

/**
 * Receives a {@link SessionManager}'s events on its callback executor, one at a time and in order.
 * A listener that throws is logged and does not affect the manager or other listeners.
 */
@FunctionalInterface
public interface SessionListener {

  /**
   * @param event the event
   */
  void onEvent(SessionEvent event);
}
