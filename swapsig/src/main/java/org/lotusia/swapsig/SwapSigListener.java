package org.lotusia.swapsig;

/**
 * Receives a manager's events, one at a time and in order, on its callback executor. A listener
 * that throws is logged and keeps receiving.
 */
@FunctionalInterface
public interface SwapSigListener {

  /** @param event what happened */
  void onEvent(SwapSigEvent event);
}
