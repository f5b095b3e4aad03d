package org.lotusia.musig2.p2p;

/**
 * Phases of a session as one participant sees it. Each phase has its own timeout; anything that
 * belongs to a later phase is held until then (bounded), anything for an earlier one is dropped.
 */
public enum SessionPhase {
  /** The creator waits for every signer to join; a joiner waits for acceptance and the list. */
  JOINING,
  /** Signers exchange nonce commitments (only when the session uses the commitment round). */
  COMMITMENTS,
  /** Signers exchange public nonces. */
  NONCES,
  /** Signers exchange partial signatures. */
  PARTIAL_SIGNATURES,
  /** The final signature is known; the elected broadcaster (or its successor) finishes. */
  FINALIZING,
  /** The session completed with a verified final signature. */
  COMPLETE,
  /** The session was aborted; the reason says why and names the culprit where there is one. */
  ABORTED;

  /**
   * @return whether no further input changes the session
   */
  public boolean terminal() {
    return this == COMPLETE || this == ABORTED;
  }
}
