package org.lotusia.p2p.coordinator;

import org.lotusia.p2p.protocol.P2PMessage;

/**
 * Answers requests of one protocol (see {@link P2PCoordinator#handleRequests}). The pattern the
 * lotus-sdk HOWTO writes by hand, as a helper: one request, one response, on one stream.
 *
 * <p>Runs on the coordinator's callback executor, concurrently for concurrent requests; it must
 * not block for long (return a {@link java.util.concurrent.CompletionStage} for slow work).
 */
@FunctionalInterface
public interface RequestHandler {

  /**
   * Answers one request.
   *
   * @param request the request: a {@code P2PMessage} that passed the security manager (its {@code
   *     from} is the authenticated requester)
   * @param from the requester
   * @return the response payload: a {@link com.fasterxml.jackson.databind.JsonNode}, any value
   *     Jackson can write, or a {@link java.util.concurrent.CompletionStage} of one
   * @throws RequestException to answer with an error code and message the requester receives;
   *     any other exception answers with code {@code internal-error}
   */
  Object handle(P2PMessage request, PeerInfo from) throws Exception;
}
