package org.lotusia.p2p.protocol;

/**
 * Outcome of {@link P2PProtocol#validate(P2PMessage)}.
 *
 * @param valid whether the message passed
 * @param problem what was wrong, or {@code null} when valid
 */
public record ValidationResult(boolean valid, String problem) {

  private static final ValidationResult OK = new ValidationResult(true, null);

  /**
   * The valid result.
   *
   * @return a shared instance
   */
  public static ValidationResult ok() {
    return OK;
  }

  /**
   * An invalid result.
   *
   * @param problem what was wrong, in words
   * @return the result
   */
  public static ValidationResult invalid(String problem) {
    return new ValidationResult(false, problem);
  }
}
