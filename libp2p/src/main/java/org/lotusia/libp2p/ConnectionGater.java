package org.lotusia.libp2p;

/**
 * Decides which connections a host makes and keeps: the place for ban lists, allow lists and
 * per-address policies. Every method allows by default; set one with {@link
 * HostBuilder#connectionGater(ConnectionGater)}.
 *
 * <p>The host asks at three points of a connection's life:
 *
 * <ol>
 *   <li>{@link #allowDial} before it dials a peer whose ID it knows (a {@code /p2p/<id>} address,
 *       or {@link Host#newStream(PeerId, java.util.List)} with no open connection); reusing an open
 *       connection is not a dial and is not asked. A refused dial fails with {@link
 *       ConnectionGatedException} naming the peer.
 *   <li>{@link #allowInbound} when a remote connects, before a byte is read from it; a refused
 *       connection is closed.
 *   <li>{@link #allowSecured} after the security handshake, in both directions, once the remote
 *       peer is authenticated; a refused connection is closed before this host's muxer reads a
 *       byte, so no stream is ever accepted on it (an outbound dial then fails with {@link
 *       ConnectionGatedException}). When both sides chose the muxer in the handshake (early muxer
 *       negotiation), the remote's dial may already have completed; it sees the connection close.
 * </ol>
 *
 * <p>Threading: the gater is user code. The host calls it on its callback executor, never on a
 * network thread, and the connection waits (reading nothing more) until it answered; calls for
 * different connections may run concurrently, so an implementation must be thread-safe. An answer
 * must come within the dial timeout (outbound) or the handshake timeout (inbound), or the
 * connection fails as timed out. A method that throws refuses (the exception is logged); so does a
 * callback executor that rejects the call. Refusals are counted per method in {@link Host#stats()}.
 */
public interface ConnectionGater {

  /**
   * Whether this host may dial {@code peer}.
   *
   * @param peer the peer to be dialled
   * @return false to refuse the dial
   */
  default boolean allowDial(PeerId peer) {
    return true;
  }

  /**
   * Whether to accept a raw inbound connection, before any upgrade.
   *
   * @param remoteAddress the remote address as the transport sees it (without {@code /p2p})
   * @return false to close the connection at once
   */
  default boolean allowInbound(Multiaddr remoteAddress) {
    return true;
  }

  /**
   * Whether to keep a connection whose remote peer has just been authenticated by the security
   * handshake.
   *
   * @param peer the authenticated remote peer
   * @param direction {@link Direction#OUTBOUND} when this host dialled
   * @param remoteAddress the remote address as the transport sees it (without {@code /p2p})
   * @return false to close the connection before the muxer is used
   */
  default boolean allowSecured(PeerId peer, Direction direction, Multiaddr remoteAddress) {
    return true;
  }
}
