package org.lotusia.musig2.p2p;

import java.util.concurrent.CompletableFuture;

/**
 * The application's finalisation step, run by the signer that the election (or a failover) makes
 * responsible: typically it puts the signature into the spending transaction and broadcasts that
 * to the Lotus network. When the returned future completes, the manager sends {@code
 * SESSION_COMPLETE} to every participant; when it fails, the next signer in the priority list
 * takes over after the broadcast timeout. Called on the manager's callback executor.
 */
@FunctionalInterface
public interface Broadcaster {

  /** Does nothing: the session completes as soon as the responsible signer has the signature. */
  Broadcaster NONE = result -> CompletableFuture.completedFuture(null);

  /**
   * @param result the verified signature and what it signs (its broadcaster index is the local one)
   * @return completes when the broadcast is done
   */
  CompletableFuture<Void> broadcast(SessionResult result);
}
