package org.lotusia.chain.chronik;

/**
 * A Chronik server (or WebSocket) sent bytes that are not a valid message of the Chronik schema:
 * malformed protobuf, a hash that is not 32 bytes, a negative count, or a body larger than the
 * configured limit. The remote side is at fault; the client does not retry these.
 */
public final class ChronikProtocolException extends ChronikException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong with the reply
   * @param cause the parser failure, or {@code null}
   */
  public ChronikProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
