package org.lotusia.libp2p;

/**
 * A stream ended abruptly: the remote reset it, or it was reset locally (for example because the
 * remote did not finish within the close timeout or the stream limit was reached). Pending writes
 * on the stream fail with this exception.
 */
public class StreamResetException extends Libp2pException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which stream was reset and by whom
   */
  public StreamResetException(String message) {
    super(message);
  }
}
