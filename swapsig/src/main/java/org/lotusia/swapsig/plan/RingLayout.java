package org.lotusia.swapsig.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Who signs, funds and receives which shared output, for {@code n} participants in their
 * deterministic order. I/O-free and immutable.
 *
 * <p>There are {@code n} shared outputs. Output {@code i} is funded by participant {@code i}, signed
 * by the group {@code [i, i+1, ..., i+g-1] (mod n)} and paid to participant {@code i-1 (mod n)}. So
 * every participant funds exactly one output, signs the {@code g} outputs {@code i-g+1 .. i}, and is
 * paid by output {@code i+1}, which it does not sign ({@code g < n}). The group size {@code g}
 * follows lotus-sdk's tiers ({@code determineOptimalGroupSize}): 2 for up to 9 participants, 3 for
 * 10 to 14, 5 for 15 to 49, 10 from 50. lotus-sdk formed disjoint groups of 3, 5 or 10 whose
 * members all paid to one address and then settled only one output; overlapping windows keep its
 * group sizes while giving every participant one funded output and one payout.
 */
public final class RingLayout {

  private final int n;
  private final int g;

  /**
   * @param participants the number of participants, 3 or more
   * @throws IllegalArgumentException for fewer than 3
   */
  public RingLayout(int participants) {
    if (participants < 3) {
      throw new IllegalArgumentException("a pool needs at least 3 participants, got " + participants);
    }
    this.n = participants;
    this.g = groupSize(participants);
  }

  /**
   * lotus-sdk's group size tiers.
   *
   * @param participants number of participants
   * @return 2, 3, 5 or 10
   */
  public static int groupSize(int participants) {
    if (participants <= 9) {
      return 2;
    }
    if (participants <= 14) {
      return 3;
    }
    if (participants <= 49) {
      return 5;
    }
    return 10;
  }

  /** The number of participants (and of shared outputs). */
  public int size() {
    return n;
  }

  /** The number of signers of each shared output. */
  public int groupSize() {
    return g;
  }

  /** The signers of output {@code output}, funder first. */
  public List<Integer> group(int output) {
    checkIndex(output);
    List<Integer> out = new ArrayList<>(g);
    for (int k = 0; k < g; k++) {
      out.add((output + k) % n);
    }
    return out;
  }

  /** Whether {@code participant} signs {@code output}. */
  public boolean isSigner(int participant, int output) {
    checkIndex(participant);
    checkIndex(output);
    return Math.floorMod(participant - output, n) < g;
  }

  /** The outputs {@code participant} signs, lowest ring distance first ({@code i-g+1 .. i}). */
  public List<Integer> outputsSignedBy(int participant) {
    checkIndex(participant);
    List<Integer> out = new ArrayList<>(g);
    for (int k = g - 1; k >= 0; k--) {
      out.add(Math.floorMod(participant - k, n));
    }
    return out;
  }

  /** The participant that funds {@code output} (the output's own index). */
  public int funder(int output) {
    checkIndex(output);
    return output;
  }

  /** The participant {@code output} pays: {@code output - 1 (mod n)}. */
  public int receiver(int output) {
    checkIndex(output);
    return Math.floorMod(output - 1, n);
  }

  /** The output that pays {@code participant}: {@code participant + 1 (mod n)}. */
  public int payingOutput(int participant) {
    checkIndex(participant);
    return (participant + 1) % n;
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= n) {
      throw new IllegalArgumentException("index " + i + " outside 0.." + (n - 1));
    }
  }
}
