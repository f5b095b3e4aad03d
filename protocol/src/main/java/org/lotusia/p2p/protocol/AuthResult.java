package org.lotusia.p2p.protocol;

/**
 * Outcome of {@link MessageAuthenticator#check(P2PMessage, String)}.
 *
 * @param failure {@code null} when accepted, otherwise why not
 * @param detail what exactly was wrong, or {@code null} when accepted
 */
public record AuthResult(AuthFailure failure, String detail) {

  private static final AuthResult OK = new AuthResult(null, null);

  /**
   * The accepting result.
   *
   * @return a shared instance
   */
  public static AuthResult ok() {
    return OK;
  }

  /**
   * Whether the message passed.
   *
   * @return true if accepted
   */
  public boolean accepted() {
    return failure == null;
  }
}
