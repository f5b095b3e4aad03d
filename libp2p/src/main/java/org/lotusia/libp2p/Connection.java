package org.lotusia.libp2p;

import java.time.Instant;
import java.util.List;
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
   * Opens a stream and negotiates the first protocol of {@code protocols} the remote supports.
   * Fails with {@link ProtocolNotSupportedException} naming the protocols when the remote supports
   * none of them, with {@link java.util.concurrent.TimeoutException} when negotiation takes too
   * long, or with {@link ConnectionClosedException} when the connection closes first.
   *
   * @throws IllegalArgumentException when {@code protocols} is empty or an ID is blank, contains a
   *     newline or is longer than 1000 characters
   */
  CompletableFuture<Stream> newStream(List<String> protocols);

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
}
