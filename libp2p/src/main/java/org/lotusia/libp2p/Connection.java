package org.lotusia.libp2p;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A secured, multiplexed connection to one remote peer.
 *
 * <p>Threading: every method may be called from any thread; futures complete on the host's callback
 * executor.
 */
public interface Connection {

  /** The authenticated remote peer. */
  PeerId remotePeer();

  /** The remote address as seen by the transport (without {@code /p2p}). */
  Multiaddr remoteAddress();

  /** The local address of this connection (without {@code /p2p}). */
  Multiaddr localAddress();

  /** Whether this host dialled the connection. */
  Direction direction();

  /** The negotiated security protocol, e.g. {@code /noise}. */
  String securityProtocol();

  /** The negotiated muxer protocol, e.g. {@code /yamux/1.0.0}. */
  String muxerProtocol();

  /** When the connection finished its upgrade, from the host's clock. */
  Instant openedAt();

  /**
   * The limits a relay applies to this connection, when it is a limited relayed connection (see
   * {@link ConnectionLimits}); empty for direct connections and for relayed connections without
   * limits. The values are those the relay announced when the connection was made.
   */
  default Optional<ConnectionLimits> limits() {
    return Optional.empty();
  }

  /**
   * Whether this connection is limited: only protocols marked for limited connections (see {@link
   * HandlerOptions}) run on it.
   */
  default boolean limited() {
    return limits().isPresent();
  }

  /**
   * Opens a stream and negotiates the first protocol of {@code protocols} the remote supports.
   * Fails with {@link ProtocolNotSupportedException} naming the protocols when the remote supports
   * none of them, with {@link java.util.concurrent.TimeoutException} when negotiation takes too
   * long, or with {@link ConnectionClosedException} when the connection closes first. On a {@link
   * #limited()} connection only the protocols marked for limited connections are proposed; when
   * none is, the future fails with {@link LimitedConnectionException}.
   *
   * @throws IllegalArgumentException when {@code protocols} is empty or an ID is blank, contains a
   *     newline or is longer than 1000 characters
   */
  CompletableFuture<Stream> newStream(List<String> protocols);

  /**
   * Opens a stream as {@link #newStream(List)} does; with {@code runOnLimitedConnection} the caller
   * states that these protocols fit a limited connection, so they are proposed on one even when
   * this host did not mark them (js-libp2p's {@code runOnLimitedConnection} option). The remote
   * still answers {@code na} unless it marked the protocol on its side. On an unlimited connection
   * the flag changes nothing.
   */
  default CompletableFuture<Stream> newStream(
      List<String> protocols, boolean runOnLimitedConnection) {
    return newStream(protocols);
  }

  /**
   * Opens a stream for the one protocol {@code protocol} and sends {@code data} on it without
   * waiting for the remote's answer to the proposal: multistream-select's optimistic ("lazy")
   * select, as js-libp2p does for a single protocol. The stream open, the proposal and the data
   * leave in one write to the connection (one Noise message), which saves a round trip and most of
   * the per-stream cost of a one-message stream. With {@code closeWrite} the stream is half-closed
   * as soon as the remote's acceptance arrives, on the network thread, not earlier: js-libp2p's
   * responder misses a half-close that arrives before its protocol handler runs.
   *
   * <p>The future completes once the remote accepted the protocol and the data was handed to the
   * muxer; it fails as {@link #newStream(List)} does, with {@link ProtocolNotSupportedException}
   * when the remote answered {@code na} (the remote then dropped the data). The caller continues
   * as with any stream (read the answer, {@link Stream#close()}); after {@code closeWrite} further
   * writes fail and {@link Stream#closeWrite()} completes at once.
   *
   * <p>The default implementation negotiates first and then writes (no saving).
   *
   * @param protocol the protocol ID
   * @param data the first bytes to send; copied before the method returns, may be empty
   * @param closeWrite whether to half-close the stream after {@code data}
   * @return the stream, once the remote accepted the protocol, the data was handed to the muxer and
   *     the half-close (if asked) was sent
   * @throws IllegalArgumentException when the ID is blank, contains a newline or is longer than
   *     1000 characters
   */
  default CompletableFuture<Stream> newStreamWithData(
      String protocol, byte[] data, boolean closeWrite) {
    byte[] copy = data.clone();
    return newStream(List.of(protocol)).thenCompose(s -> FirstWrite.send(s, copy, closeWrite));
  }

  /** The streams currently open on this connection. */
  List<Stream> streams();

  /** Whether the connection is still open. */
  boolean isOpen();

  /**
   * Closes the connection; open streams end with {@link ConnectionClosedException}. Completes when
   * the transport channel is closed.
   */
  CompletableFuture<Void> close();

  /**
   * Completes when the connection closed, for whatever reason, after the host delivered its {@link
   * HostListener#connectionClosed} (and {@link HostListener#peerDisconnected} when it was the
   * peer's last connection). Completes on the callback executor.
   */
  CompletableFuture<Void> closeFuture();

  /**
   * Whether the remote ended this connection on purpose: it said so (Yamux GoAway with the normal
   * code, as {@link #close()} and a stopping host send) before the connection closed. False while
   * the connection is open, and when it failed (keep-alive timeout, reset, protocol error) or this
   * side closed it first. A goodbye can be lost: a TCP socket closed while data of this side was
   * still unread at the remote is reset, and the GoAway before the reset may be discarded, so a
   * remote that left on purpose is then seen as a failure.
   *
   * @return true for a closed connection the remote ended
   */
  default boolean closedByRemote() {
    return false;
  }
}
