package org.lotusia.chain.chronik;

/**
 * No configured Chronik server could be reached, or none answered in time, after failover across
 * all base URLs and the configured number of retries. The cause is the last I/O error seen (for
 * example {@link java.net.ConnectException} or {@link java.net.SocketTimeoutException}); the
 * earlier ones are attached as suppressed exceptions.
 */
public final class ChronikUnavailableException extends ChronikException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was attempted
   * @param cause the last I/O failure
   */
  public ChronikUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
