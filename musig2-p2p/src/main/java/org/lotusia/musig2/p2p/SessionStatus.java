package org.lotusia.musig2.p2p;

import java.util.List;

/**
 * A snapshot of one session as the local node sees it. Immutable.
 *
 * @param sessionId the session
 * @param phase the phase
 * @param localIndex the local signer's index
 * @param signers the number of signers
 * @param knownPeers how many signers' peer IDs are known (all of them once ready)
 * @param missingNonces signer indices whose nonce is missing (while collecting nonces)
 * @param missingPartialSignatures signer indices whose partial signature is missing
 * @param broadcasterIndex the signer currently responsible for finalising
 * @param abortReason the reason when aborted, else null
 */
public record SessionStatus(
    String sessionId,
    SessionPhase phase,
    int localIndex,
    int signers,
    int knownPeers,
    List<Integer> missingNonces,
    List<Integer> missingPartialSignatures,
    int broadcasterIndex,
    AbortReason abortReason) {

  /** Copies the lists. */
  public SessionStatus {
    missingNonces = List.copyOf(missingNonces);
    missingPartialSignatures = List.copyOf(missingPartialSignatures);
  }
}
