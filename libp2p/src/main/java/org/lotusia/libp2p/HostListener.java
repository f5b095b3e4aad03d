package org.lotusia.libp2p;

import org.lotusia.libp2p.protocol.identify.IdentifyInfo;

/**
 * Observes a {@link Host}. Every method has an empty default.
 *
 * <p>Threading: called on the host's callback executor. Keep callbacks short; an exception thrown by a
 * listener is logged and ignored, it never breaks the host or other listeners.
 */
public interface HostListener {

  /** A connection finished its upgrade (security and muxer) and is usable. */
  default void connectionOpened(Connection connection) {}

  /** A connection closed; its streams are gone. */
  default void connectionClosed(Connection connection) {}

  /** Identify with a peer completed (or a push arrived); the peer store is already updated. */
  default void identifyCompleted(Connection connection, IdentifyInfo info) {}

  /** A stream was opened and negotiated, in either direction. */
  default void streamOpened(Stream stream) {}
}
