package org.lotusia.libp2p.protocol.dcutr;

import java.time.Duration;

/**
 * The timing of one hole-punch round, I/O-free (specs/relay/DCUtR.md, steps 2 to 5): the inbound
 * side measures the relay round trip from sending CONNECT to receiving the answer, sends SYNC, and
 * dials half a round trip later, when SYNC reaches the other side, which dials at once; so both
 * SYNs leave at about the same time.
 *
 * <p>Not thread-safe; one per round.
 */
final class HolePunchTiming {

  private long connectSentNanos = -1;
  private long rttNanos = -1;

  /** Notes that CONNECT left at {@code nanos} (a monotonic time). */
  void connectSent(long nanos) {
    connectSentNanos = nanos;
  }

  /**
   * Notes that the answering CONNECT arrived at {@code nanos}.
   *
   * @throws IllegalStateException when no CONNECT was sent
   */
  void connectReceived(long nanos) {
    if (connectSentNanos < 0) {
      throw new IllegalStateException("CONNECT answer before CONNECT was sent");
    }
    rttNanos = Math.max(0, nanos - connectSentNanos);
  }

  /** The measured round trip. */
  Duration rtt() {
    if (rttNanos < 0) {
      throw new IllegalStateException("round trip not measured yet");
    }
    return Duration.ofNanos(rttNanos);
  }

  /** How long after sending SYNC the inbound side dials: half the round trip. */
  Duration syncDelay() {
    return rtt().dividedBy(2);
  }
}
