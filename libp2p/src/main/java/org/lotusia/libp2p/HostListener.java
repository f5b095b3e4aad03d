package org.lotusia.libp2p;

import org.lotusia.libp2p.protocol.identify.IdentifyInfo;

/**
 * Observes a {@link Host}. Every method has an empty default.
 *
 * <p>Threading: called on the host's callback executor, one event at a time and in the order the
 * host saw the events (all listeners of one host share one serial queue). Keep callbacks short; an
 * exception thrown by a listener is logged and ignored, it never breaks the host or other
 * listeners.
 *
 * <p>Order per peer: {@link #peerConnected} follows the {@link #connectionOpened} of the peer's
 * first connection, and {@link #peerDisconnected} follows the {@link #connectionClosed} of its last
 * one. The two peer events strictly alternate, starting with {@code peerConnected}, however many
 * connections to the peer are dialled, accepted or closed at the same time. Events describe the
 * past: by the time one runs, the peer may already have connected or disconnected again (a later
 * event will say so); {@link Host#isConnected(PeerId)} tells the present.
 */
public interface HostListener {

  /** A connection finished its upgrade (security and muxer) and is usable. */
  default void connectionOpened(Connection connection) {}

  /** A connection closed; its streams are gone. */
  default void connectionClosed(Connection connection) {}

  /**
   * The first connection to {@code peer} opened: called once, after that connection's {@link
   * #connectionOpened}, and not again before {@link #peerDisconnected} for the same peer.
   */
  default void peerConnected(PeerId peer) {}

  /**
   * The last connection to {@code peer} closed: called once, after that connection's {@link
   * #connectionClosed}, and only for a peer that {@link #peerConnected} announced.
   */
  default void peerDisconnected(PeerId peer) {}

  /** Identify with a peer completed (or a push arrived); the peer store is already updated. */
  default void identifyCompleted(Connection connection, IdentifyInfo info) {}

  /** A stream was opened and negotiated, in either direction. */
  default void streamOpened(Stream stream) {}
}
