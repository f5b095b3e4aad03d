package org.lotusia.p2p.coordinator;

import java.util.Objects;

/**
 * A request answered with an error. A {@link RequestHandler} throws it to choose the code and
 * message the requester sees; {@link P2PCoordinator#request} fails with it when the remote
 * answered with an error, or when the remote's answer was not a valid response (code {@code
 * bad-response}).
 */
public final class RequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String code;

  /**
   * Creates the exception.
   *
   * @param code a short machine-readable code, e.g. {@code not-found}
   * @param message what happened, for people
   */
  public RequestException(String code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * The error code.
   *
   * @return the code
   */
  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return "RequestException[" + code + "]: " + getMessage();
  }
}
