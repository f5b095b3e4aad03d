package org.lotusia.p2p.coordinator;

import java.util.Optional;
import org.lotusia.libp2p.Stream;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * An application protocol plugged into the coordinator (lotus-sdk's {@code IProtocolHandler}).
 *
 * <p>Messages: every direct message on {@code /lotus/message/1.0.0} whose {@code protocol} field
 * equals {@link #protocolName()} and that passed the security manager reaches {@link
 * #handleMessage}, as does this node's own {@link P2PCoordinator#broadcast} of such a message.
 *
 * <p>Streams: when {@link #streamProtocolId()} is present the coordinator serves that libp2p
 * protocol and hands each inbound stream (from a peer that is not banned) to {@link
 * #handleStream}; the handler owns the stream's framing.
 *
 * <p>Threading: every method runs on the coordinator's callback executor. Messages and peer
 * notifications of one handler run one at a time, in arrival order, on the handler's own queue, so
 * a handler needs no locking for state only it touches; a slow handler delays only itself. When its
 * queue is full further messages for it are refused (the sender's stream is reset and the refusal
 * counted). {@link #handleStream} calls are not serialized: a stream handler must not block. An
 * exception is logged and the handler keeps receiving.
 */
public interface ProtocolHandler {

  /**
   * The routing key: matched against {@link P2PMessage#protocol()}.
   *
   * @return for example {@code musig2}
   */
  String protocolName();

  /**
   * Handles one message.
   *
   * @param message the message (validated, de-duplicated, sender checked)
   * @param from the authenticated sender (this node for self-delivery of a broadcast)
   * @throws Exception logged; the handler keeps receiving
   */
  void handleMessage(P2PMessage message, PeerInfo from) throws Exception;

  /**
   * The libp2p protocol whose raw streams this handler serves, if any.
   *
   * @return for example {@code /lotus/chat/1.0.0}; empty by default
   */
  default Optional<String> streamProtocolId() {
    return Optional.empty();
  }

  /**
   * Whether {@link #streamProtocolId()} may run on limited (relayed) connections, whose relay cuts
   * them after a data or time limit (js-libp2p's {@code runOnLimitedConnection}). Only a protocol
   * whose traffic per connection is small and bounded should say yes; streams of it are then
   * accepted on such connections, and {@link Messaging#sendTo(String, P2PMessage, String)} with
   * this protocol uses a limited connection when the peer has no other. Default false.
   *
   * @return true to serve the stream protocol on limited connections too
   */
  default boolean runOnLimitedConnection() {
    return false;
  }

  /**
   * Handles an inbound stream of {@link #streamProtocolId()}; the handler must read, write and
   * close it without blocking the calling thread.
   *
   * @param stream the negotiated stream
   * @param from the remote peer
   * @throws Exception logged; the stream is reset
   */
  default void handleStream(Stream stream, PeerInfo from) throws Exception {
    stream.reset();
  }

  /**
   * A peer connected.
   *
   * @param peerId the peer
   */
  default void onPeerConnected(String peerId) {}

  /**
   * A peer's last connection closed.
   *
   * @param peerId the peer
   */
  default void onPeerDisconnected(String peerId) {}

  /**
   * A peer became known without a connection.
   *
   * @param peer what is known of it
   */
  default void onPeerDiscovered(PeerInfo peer) {}

  /**
   * What is known of a connected peer changed (identify completed).
   *
   * @param peer the new information
   */
  default void onPeerUpdated(PeerInfo peer) {}

  /**
   * This node's relay addresses changed.
   *
   * @param event the new addresses
   */
  default void onRelayAddressesChanged(P2PEvent.RelayAddressesChanged event) {}
}
