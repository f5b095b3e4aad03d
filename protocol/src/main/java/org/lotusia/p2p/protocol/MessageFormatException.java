package org.lotusia.p2p.protocol;

/**
 * Bytes received from a remote peer are not an acceptable {@link P2PMessage}: too large, not UTF-8
 * JSON, not an object, or a field of the wrong JSON type. The remote peer is at fault; the message
 * says what was wrong.
 *
 * <p>{@link #failure()} classifies the problem so that callers (the security manager) can count it.
 */
public final class MessageFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The class of problem. */
  private final DecodeFailure failure;

  /**
   * Creates the exception.
   *
   * @param failure the class of problem
   * @param message what exactly was wrong
   */
  public MessageFormatException(DecodeFailure failure, String message) {
    super(message);
    this.failure = failure;
  }

  /**
   * Creates the exception with a cause.
   *
   * @param failure the class of problem
   * @param message what exactly was wrong
   * @param cause the underlying parser error
   */
  public MessageFormatException(DecodeFailure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  /**
   * The class of problem.
   *
   * @return the failure kind, never null
   */
  public DecodeFailure failure() {
    return failure;
  }
}
