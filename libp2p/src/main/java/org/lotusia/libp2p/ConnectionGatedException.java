package org.lotusia.libp2p;

/**
 * The host's {@link ConnectionGater} refused a connection: an outbound dial to a peer ({@link
 * ConnectionGater#allowDial}) or a connection after its security handshake ({@link
 * ConnectionGater#allowSecured}). The message names the peer and the gater method that refused.
 */
public class ConnectionGatedException extends Libp2pException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which connection was refused, to which peer, and by which gater method
   */
  public ConnectionGatedException(String message) {
    super(message);
  }
}
