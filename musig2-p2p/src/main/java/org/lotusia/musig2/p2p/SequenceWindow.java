package org.lotusia.musig2.p2p;

import java.util.Arrays;

/**
 * Replay protection for one signer in one session: every sequence number is accepted once, in any
 * order (messages may be reordered or relayed), and at most a fixed number of messages is accepted
 * in total (an honest signer sends a handful per session). Confined to the manager's thread.
 */
final class SequenceWindow {

  private final long[] seen;
  private int count;

  SequenceWindow(int capacity) {
    this.seen = new long[capacity];
  }

  /** Outcome of {@link #accept(long)}. */
  enum Result {
    ACCEPTED,
    REPLAYED,
    FULL
  }

  /**
   * @param sequenceNumber a message's number
   * @return whether it was accepted before
   */
  boolean contains(long sequenceNumber) {
    for (int i = 0; i < count; i++) {
      if (seen[i] == sequenceNumber) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param sequenceNumber the message's number
   * @return ACCEPTED the first time, REPLAYED for a number already seen, FULL past the capacity
   */
  Result accept(long sequenceNumber) {
    for (int i = 0; i < count; i++) {
      if (seen[i] == sequenceNumber) {
        return Result.REPLAYED;
      }
    }
    if (count == seen.length) {
      return Result.FULL;
    }
    seen[count++] = sequenceNumber;
    return Result.ACCEPTED;
  }

  @Override
  public String toString() {
    return "SequenceWindow" + Arrays.toString(Arrays.copyOf(seen, count));
  }
}
