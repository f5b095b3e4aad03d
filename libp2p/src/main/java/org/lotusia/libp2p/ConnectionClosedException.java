package org.lotusia.libp2p;

/**
 * The connection (or the muxed session on it) closed, or the remote announced it will accept no new
 * streams (Yamux GoAway), while an operation was still pending. Futures of pending stream opens,
 * pings and negotiations fail with this exception.
 */
public class ConnectionClosedException extends Libp2pException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was pending and why the connection went away
   */
  public ConnectionClosedException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what was pending and why the connection went away
   * @param cause the underlying cause
   */
  public ConnectionClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
