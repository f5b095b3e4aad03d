package org.lotusia.p2p.coordinator;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.PeerId;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * Direct messages with lotus-sdk's framing, protocol handlers, broadcast and request/response of
 * a running {@link P2PCoordinator}. Calls that take a peer take its base58 string or, as an
 * overload that converts with {@link PeerId#toBase58()}, a libp2p {@link PeerId}.
 */
public interface Messaging {

  /**
   * Registers a protocol handler; also serves its stream protocol when it has one.
   *
   * @param handler the handler
   * @throws IllegalStateException {@code Protocol already registered: <name>}
   */
  void registerProtocol(ProtocolHandler handler);

  /**
   * Removes a protocol handler.
   *
   * @param protocolName its name
   * @return whether one was registered
   */
  boolean unregisterProtocol(String protocolName);

  /**
   * A new message from this node (lotus-sdk's {@code createMessage(type, payload, peerId, {protocol})}).
   *
   * @param type the message type
   * @param payload the payload: any value Jackson can write, or null
   * @param protocol the routing key of the receiving handler, or null
   * @return the message
   */
  P2PMessage createMessage(String type, Object payload, String protocol);

  /**
   * Sends a message on {@code /lotus/message/1.0.0}.
   *
   * @param peerId the receiver
   * @param message the message
   * @return completes when the message was handed to the connection
   */
  CompletableFuture<Void> sendTo(String peerId, P2PMessage message);

  /**
   * Sends a message on {@code /lotus/message/1.0.0}: {@link #sendTo(String, P2PMessage)} with the
   * peer's base58 form.
   *
   * @param peer the receiver
   * @param message the message
   * @return completes when the message was handed to the connection
   */
  default CompletableFuture<Void> sendTo(PeerId peer, P2PMessage message) {
    return sendTo(Objects.requireNonNull(peer, "peer").toBase58(), message);
  }

  /**
   * Sends a message on a given libp2p protocol (lotus-sdk's framing: the JSON, then write-close).
   *
   * @param peerId the receiver
   * @param message the message
   * @param protocolId the protocol
   * @return completes when the message was handed to the connection; fails after {@code
   *     sendTimeout}, or when the peer cannot be dialled or does not serve the protocol
   */
  CompletableFuture<Void> sendTo(String peerId, P2PMessage message, String protocolId);

  /**
   * Sends a message on a given libp2p protocol: {@link #sendTo(String, P2PMessage, String)} with
   * the peer's base58 form.
   *
   * @param peer the receiver
   * @param message the message
   * @param protocolId the protocol
   * @return as {@link #sendTo(String, P2PMessage, String)}
   */
  default CompletableFuture<Void> sendTo(PeerId peer, P2PMessage message, String protocolId) {
    return sendTo(Objects.requireNonNull(peer, "peer").toBase58(), message, protocolId);
  }

  /**
   * Sends a message to every directly connected peer, then to this node's own handler.
   *
   * @param message the message
   * @return the per-peer outcome
   */
  CompletableFuture<BroadcastResult> broadcast(P2PMessage message);

  /**
   * Sends a message to the connected peers the options select (peers reachable only through a
   * relay are skipped, as in lotus-sdk), then to this node's own handler of its protocol.
   *
   * @param message the message
   * @param options exclusions, inclusions, protocol
   * @return the per-peer outcome
   */
  CompletableFuture<BroadcastResult> broadcast(P2PMessage message, BroadcastOptions options);

  /**
   * Answers requests of a protocol with a handler.
   *
   * @param protocolId the libp2p protocol
   * @param handler the handler
   * @return the registration that stops serving
   */
  Registration handleRequests(String protocolId, RequestHandler handler);

  /**
   * Sends a request and waits for the response.
   *
   * @param peerId the peer asked
   * @param protocolId the protocol it serves
   * @param type the request's message type
   * @param payload any value Jackson can write
   * @param responseType the response payload's type ({@code JsonNode.class} for the tree)
   * @param timeout the deadline
   * @param <T> the response type
   * @return the response, or {@link RequestException} (an error answer or a bad response), {@link
   *     java.util.concurrent.TimeoutException}, or the dial's failure
   */
  <T> CompletableFuture<T> request(
      String peerId, String protocolId, String type, Object payload, Class<T> responseType, Duration timeout);

  /**
   * Sends a request and waits for the response: {@link #request(String, String, String, Object,
   * Class, Duration)} with the peer's base58 form.
   *
   * @param peer the peer asked
   * @param protocolId the protocol it serves
   * @param type the request's message type
   * @param payload any value Jackson can write
   * @param responseType the response payload's type ({@code JsonNode.class} for the tree)
   * @param timeout the deadline
   * @param <T> the response type
   * @return as {@link #request(String, String, String, Object, Class, Duration)}
   */
  default <T> CompletableFuture<T> request(
      PeerId peer, String protocolId, String type, Object payload, Class<T> responseType, Duration timeout) {
    return request(
        Objects.requireNonNull(peer, "peer").toBase58(), protocolId, type, payload, responseType, timeout);
  }
}
