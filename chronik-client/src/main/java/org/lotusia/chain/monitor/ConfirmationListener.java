package org.lotusia.chain.monitor;

/**
 * Callbacks of a {@link ConfirmationWatch}. All methods have empty defaults. They run on the thread
 * that produced the information (an OkHttp or scheduler thread), one at a time per watch, and must
 * not block; an exception thrown by a callback is logged and ignored.
 */
public interface ConfirmationListener {

  /** Called when the state changed (first result, mempool to mined, a new confirmation). */
  default void onUpdate(TxConfirmation state) {}

  /** Called once when the required number of confirmations is reached. */
  default void onConfirmed(TxConfirmation state) {}

  /**
   * Called once when the watch timed out.
   *
   * @param last the last state seen, or {@code null} if no check succeeded
   */
  default void onTimeout(TxConfirmation last) {}

  /** Called when one check failed (network, server); the watch keeps polling until it times out. */
  default void onError(Throwable error) {}
}
