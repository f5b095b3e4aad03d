package org.lotusia.musig2.crypto;

import java.util.OptionalInt;

/**
 * A contribution to a MuSig2 session is invalid: a public key, a public nonce, an aggregate nonce
 * or a partial signature. The exception names the culprit (its signer index, when one signer is to
 * blame) so a caller can blame and exclude that signer.
 *
 * <p>Signer indices are positions in the key list of the context the operation ran on: the sorted
 * list for the Lotus variant, the caller's list for BIP327.
 */
public final class InvalidContributionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final Contribution contribution;
  private final int signer;

  /**
   * Creates the exception.
   *
   * @param contribution what kind of input was wrong
   * @param signer the index of the signer to blame, or -1 when no single signer is to blame (an
   *     aggregator)
   * @param detail what exactly failed
   */
  public InvalidContributionException(Contribution contribution, int signer, String detail) {
    super(message(contribution, signer, detail));
    this.contribution = contribution;
    this.signer = signer;
  }

  /**
   * Creates the exception with a cause.
   *
   * @param contribution what kind of input was wrong
   * @param signer the index of the signer to blame, or -1 when no single signer is to blame
   * @param detail what exactly failed
   * @param cause the underlying parse or validation failure
   */
  public InvalidContributionException(
      Contribution contribution, int signer, String detail, Throwable cause) {
    super(message(contribution, signer, detail), cause);
    this.contribution = contribution;
    this.signer = signer;
  }

  private static String message(Contribution contribution, int signer, String detail) {
    String who = signer >= 0 ? "signer " + signer : "the aggregator";
    return "invalid "
        + contribution.name().toLowerCase(java.util.Locale.ROOT)
        + " from "
        + who
        + ": "
        + detail;
  }

  /**
   * @return the kind of input that was invalid
   */
  public Contribution contribution() {
    return contribution;
  }

  /**
   * @return the index of the signer to blame, or empty when an aggregator supplied the bad value
   */
  public OptionalInt signer() {
    return signer >= 0 ? OptionalInt.of(signer) : OptionalInt.empty();
  }
}
