package org.lotusia.libp2p;

/**
 * A stream was requested for a protocol that may not run on a limited (relayed) connection, and no
 * unlimited connection to the peer could be had. Mark the protocol with {@link
 * HandlerOptions#LIMITED_OK} (or {@link ProtocolBinding#runOnLimitedConnection()}) if it is small
 * enough to fit the relay's limits.
 */
public class LimitedConnectionException extends Libp2pException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message names the protocols and the peer
   */
  public LimitedConnectionException(String message) {
    super(message);
  }
}
