package org.lotusia.libp2p;

/**
 * Base of the exceptions the libp2p stack raises for events on the network: a remote peer that
 * broke a protocol, reset a stream or closed a connection, or a negotiation that found no common
 * protocol.
 *
 * <p>Unchecked, because these exceptions mostly travel inside failed futures and Netty promises.
 * Caller errors are reported with {@link IllegalArgumentException} or {@link IllegalStateException}
 * instead.
 */
public class Libp2pException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that says what happened.
   *
   * @param message human-readable description
   */
  public Libp2pException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the underlying cause.
   *
   * @param message human-readable description
   * @param cause the underlying cause, may be {@code null}
   */
  public Libp2pException(String message, Throwable cause) {
    super(message, cause);
  }
}
