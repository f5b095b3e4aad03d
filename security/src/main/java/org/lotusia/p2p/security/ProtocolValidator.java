package org.lotusia.p2p.security;

import com.fasterxml.jackson.databind.JsonNode;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * Application checks registered for a protocol name (lotus-sdk's {@code IProtocolValidator}). Every
 * method is optional (the defaults accept). Unlike lotus-sdk the methods are synchronous: the
 * manager is called off the network event loop. Implementations must be thread-safe; an exception
 * counts as a rejection.
 */
public interface ProtocolValidator {

  /**
   * Checks the content of a resource announcement.
   *
   * @param resourceType the resource type
   * @param resourceId the resource id
   * @param data the announced data (may be {@code null})
   * @param peerId the announcing peer
   * @return true to accept
   */
  default boolean validateResourceAnnouncement(
      String resourceType, String resourceId, JsonNode data, String peerId) {
    return true;
  }

  /**
   * Checks an inbound message routed to this protocol (by its {@code protocol} field).
   *
   * @param message the message, already validated and de-duplicated
   * @param fromPeerId the authenticated remote peer of the stream
   * @return true to accept
   */
  default boolean validateMessage(P2PMessage message, String fromPeerId) {
    return true;
  }

  /**
   * Whether a peer may announce resources of a type at all.
   *
   * @param resourceType the resource type
   * @param peerId the announcing peer
   * @return true to allow
   */
  default boolean canAnnounceResource(String resourceType, String peerId) {
    return true;
  }
}
