package org.lotusia.musig2.p2p;

import java.util.List;
import java.util.Objects;

/**
 * Why a session was aborted, and by whose fault where that is known. Immutable.
 *
 * @param code the kind of failure
 * @param message a sentence that says what happened, naming signers and peers
 * @param culprits the signer indices at fault (silent signers, the signer of an invalid partial
 *     signature, an equivocating signer); empty when nobody is known to be at fault
 */
public record AbortReason(Code code, String message, List<Integer> culprits) {

  /** Kinds of abort. */
  public enum Code {
    /** A phase ran out of time; the culprits are the signers whose contribution is missing. */
    TIMEOUT,
    /** A signer's partial signature did not verify; the culprit is that signer. */
    INVALID_PARTIAL_SIGNATURE,
    /** A signer's nonce was invalid or did not match its commitment. */
    INVALID_NONCE,
    /** A signer sent two different contributions for one step. */
    EQUIVOCATION,
    /**
     * Signers signed over different sets of nonces: some signer sent different nonces to different
     * participants. Who did it is not known here, so nobody is named.
     */
    INCONSISTENT_NONCES,
    /** A signer sent more messages than any honest signer sends in a session. */
    MESSAGE_FLOOD,
    /** The creator rejected the join, or its acceptance named another index. */
    JOIN_REJECTED,
    /** The creator's participant list does not match the announcement; the culprit is the creator. */
    INVALID_PARTICIPANT_LIST,
    /** Another participant aborted the session (its reason is quoted, not trusted). */
    ABORTED_BY_PEER,
    /** The local application aborted the session. */
    ABORTED_LOCALLY,
    /** The participant restarted after the session began; its secret nonce is gone. */
    RESTARTED,
    /** Every signer in the priority list failed to finalise. */
    FAILOVER_EXHAUSTED,
    /** The session store failed, so the session could not go on safely. */
    STORE_FAILURE,
    /** The manager was closed. */
    SHUTDOWN,
    /** A cryptographic step failed locally (for example an aggregate nonce at infinity). */
    CRYPTO_FAILURE
  }

  /** Copies the list. */
  public AbortReason {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    culprits = List.copyOf(culprits);
  }

  /**
   * @param code the kind
   * @param message the sentence
   * @return a reason with no culprit
   */
  public static AbortReason of(Code code, String message) {
    return new AbortReason(code, message, List.of());
  }

  @Override
  public String toString() {
    return code + ": " + message;
  }
}
