package org.lotusia.chain.chronik;

/**
 * Base of every failure reported by {@link ChronikClient}. The subtype says who is at fault:
 *
 * <ul>
 *   <li>{@link ChronikErrorException}: the server answered with a Chronik error reply (for example
 *       "tx not found" or "invalid tx"); carries the HTTP status, Chronik's error code and message.
 *   <li>{@link ChronikUnavailableException}: no configured server could be reached or answered in
 *       time (connection refused, reset, timeout), after failover and retries.
 *   <li>{@link ChronikProtocolException}: a server answered with bytes that are not a valid message
 *       of the Chronik schema (malformed protobuf, wrong hash length, oversized body).
 * </ul>
 *
 * The failed futures returned by the client complete with one of these as their cause.
 */
public abstract sealed class ChronikException extends RuntimeException
    permits ChronikErrorException, ChronikUnavailableException, ChronikProtocolException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong
   * @param cause the underlying cause, or {@code null}
   */
  protected ChronikException(String message, Throwable cause) {
    super(message, cause);
  }
}
