package org.lotusia.musig2.p2p.election;

import java.util.List;

/**
 * The result of a coordinator election: who finalises first and who takes over, in signer-index
 * (sorted key) space. Immutable.
 *
 * @param method the method used
 * @param coordinatorIndex the elected signer index (the first of {@code priority})
 * @param priority every signer index once, in the order they take over finalisation
 * @param proof lotus-sdk's {@code electionProof}: SHA-256 of the concatenated lower-case hex keys,
 *     64 hex characters
 */
public record Election(
    ElectionMethod method, int coordinatorIndex, List<Integer> priority, String proof) {

  /** Copies the list. */
  public Election {
    priority = List.copyOf(priority);
  }

  /**
   * @param position a position in the priority list
   * @return the signer index at that position
   */
  public int at(int position) {
    return priority.get(position);
  }

  /**
   * @param signerIndex a signer index
   * @return its position in the priority list (0 for the elected coordinator)
   */
  public int positionOf(int signerIndex) {
    int p = priority.indexOf(signerIndex);
    if (p < 0) {
      throw new IllegalArgumentException("signer index " + signerIndex + " is not in the election");
    }
    return p;
  }
}
