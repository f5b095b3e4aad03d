package org.lotusia.libp2p.internal.noise;

import org.lotusia.libp2p.ProtocolViolationException;

/**
 * The Noise initiator received a message 1 where the responder's message 2 belongs: both ends of
 * the connection took the initiator role. This is what a TCP simultaneous open looks like when
 * both peers dial each other from their listen ports at the same moment (port reuse): the two
 * SYNs cross and TCP joins them into one connection on which both sides believe they dialled, so
 * multistream-select agrees (each side reads the other's proposal as the echo of its own) and both
 * start the XX handshake as initiator (libp2p specs, connections/simopen.md).
 *
 * <p>A dial that left from the listen port and fails this way is redialled from an ephemeral port,
 * where no simultaneous open is possible; the error reaches the caller only when the dial could not
 * be retried (a hole-punch dial, whose roles DCUtR assigns). It is a {@link
 * ProtocolViolationException} because, seen from the handshake, the remote sent a message its role
 * does not allow.
 */
public final class SimultaneousOpenException extends ProtocolViolationException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was received where message 2 belongs
   */
  public SimultaneousOpenException(String message) {
    super(message);
  }
}
