package org.lotusia.libp2p;

/**
 * The remote peer broke a wire protocol: a malformed or oversized message, a frame that is not
 * allowed in the current state, or data beyond an advertised limit. The message names the protocol
 * and the check that failed. A connection that raised this exception is closed; peer scoring may
 * count it against the peer.
 */
public class ProtocolViolationException extends Libp2pException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what the remote did wrong, e.g. {@code "yamux: data frame of 300000 bytes
   *     exceeds the receive window of 262144 bytes on stream 3"}
   */
  public ProtocolViolationException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what the remote did wrong
   * @param cause the underlying cause
   */
  public ProtocolViolationException(String message, Throwable cause) {
    super(message, cause);
  }
}
