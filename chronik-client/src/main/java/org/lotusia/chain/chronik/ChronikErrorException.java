package org.lotusia.chain.chronik;

/**
 * The Chronik server answered a request with a non-200 status and an error body ({@code
 * chronik.Error}). Such replies are final: the client neither fails over to another server nor
 * retries them, except 5xx replies, which are retried with backoff before this exception is raised.
 */
public final class ChronikErrorException extends ChronikException {

  private static final long serialVersionUID = 1L;

  private final String path;
  private final int httpStatus;
  private final String errorCode;
  private final String errorMessage;
  private final boolean userError;

  /**
   * Creates the exception for one error reply.
   *
   * @param path request path, for example {@code /tx/<txid>}
   * @param httpStatus the HTTP status of the reply
   * @param errorCode Chronik's machine-readable error code (may be empty)
   * @param errorMessage Chronik's human-readable message (may be empty)
   * @param userError Chronik's {@code is_user_error} flag: the request itself was at fault
   */
  public ChronikErrorException(
      String path, int httpStatus, String errorCode, String errorMessage, boolean userError) {
    super(
        "Failed getting "
            + path
            + " ("
            + errorCode
            + "): "
            + errorMessage
            + " [HTTP "
            + httpStatus
            + "]",
        null);
    this.path = path;
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.userError = userError;
  }

  /** Returns the request path that failed. */
  public String path() {
    return path;
  }

  /** Returns the HTTP status code of the error reply. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Returns Chronik's error code, for example {@code tx-not-found}; empty if the body had none. */
  public String errorCode() {
    return errorCode;
  }

  /** Returns Chronik's error message; empty if the body had none. */
  public String errorMessage() {
    return errorMessage;
  }

  /** Returns Chronik's {@code is_user_error} flag: true when the request was at fault. */
  public boolean isUserError() {
    return userError;
  }

  /**
   * Returns true when the reply means "the requested object does not exist": HTTP 404 or an error
   * code ending in {@code -not-found}.
   */
  public boolean isNotFound() {
    return httpStatus == 404 || errorCode.endsWith("-not-found");
  }
}
