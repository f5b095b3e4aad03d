package org.lotusia.chain.burn;

import java.util.Optional;

/**
 * Outcome of {@link BurnVerifier#verify}: either the burn is accepted under the policy, or it is
 * rejected with a {@link Reason}. Network failures are not outcomes: the verifier's future fails
 * with the Chronik exception instead, so "not found" and "server down" stay distinct.
 */
public sealed interface BurnVerification {

  /** Returns true for {@link Accepted}. */
  default boolean isAccepted() {
    return this instanceof Accepted;
  }

  /** Why a burn was not accepted. */
  enum Reason {
    /** Chronik does not know the transaction. */
    NOT_FOUND,
    /** The transaction is in the mempool, not in a block. */
    UNCONFIRMED,
    /** The transaction has no output at the given index. */
    NO_SUCH_OUTPUT,
    /** The output is not an OP_RETURN data output (push-only, at most 223 bytes). */
    NOT_DATA_OUTPUT,
    /** Fewer confirmations than the policy's minimum. */
    INSUFFICIENT_CONFIRMATIONS,
    /** The output burns less than the policy's minimum amount. */
    AMOUNT_TOO_LOW,
    /** The LOKAD prefix is missing or differs from the policy's. */
    WRONG_PREFIX,
    /** The LOKAD version is missing or differs from the policy's. */
    WRONG_VERSION,
    /** The payload or script layout fails the policy's format check. */
    INVALID_PAYLOAD,
    /** Confirmed, but fewer confirmations than the maturation period. */
    IMMATURE
  }

  /**
   * The burn satisfies every rule of the policy.
   *
   * @param burn the burn output
   */
  record Accepted(BurnOutput burn) implements BurnVerification {}

  /**
   * The burn is not accepted.
   *
   * @param reason the first rule that failed; permanent failures are reported before the
   *     time-dependent {@link Reason#INSUFFICIENT_CONFIRMATIONS} and {@link Reason#IMMATURE}
   * @param detail a human-readable explanation
   * @param burn the output as found, or {@code null} when it could not be read (not found,
   *     unconfirmed, no such output)
   */
  record Rejected(Reason reason, String detail, BurnOutput burn) implements BurnVerification {

    /** Returns the burn output if it could be read. */
    public Optional<BurnOutput> burnOutput() {
      return Optional.ofNullable(burn);
    }
  }
}
