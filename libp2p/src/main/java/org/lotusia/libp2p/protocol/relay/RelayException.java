package org.lotusia.libp2p.protocol.relay;

import org.lotusia.libp2p.Libp2pException;

/**
 * A relay or a relay target refused a request (RESERVE, CONNECT or the stop CONNECT) with a status
 * other than {@link RelayStatus#OK}.
 */
public class RelayException extends Libp2pException {
  private static final long serialVersionUID = 1L;

  private final RelayStatus status;

  /**
   * Creates the exception.
   *
   * @param status the status received
   * @param message says which request was refused by whom
   */
  public RelayException(RelayStatus status, String message) {
    super(message + " (status " + status + ")");
    this.status = status;
  }

  /** The status the relay or the target answered. */
  public RelayStatus status() {
    return status;
  }
}
