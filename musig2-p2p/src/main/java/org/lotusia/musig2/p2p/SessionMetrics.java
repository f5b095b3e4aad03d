package org.lotusia.musig2.p2p;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a {@link SessionManager}, readable from any thread. Each counter only grows.
 */
public final class SessionMetrics {

  final LongAdder accepted = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder violations = new LongAdder();
  final LongAdder inboundRefused = new LongAdder();
  final LongAdder relayRequests = new LongAdder();
  final LongAdder relayed = new LongAdder();
  final LongAdder sendFailures = new LongAdder();
  final LongAdder completed = new LongAdder();
  final LongAdder aborted = new LongAdder();
  final LongAdder eventsRefused = new LongAdder();
  final LongAdder callbacksRerouted = new LongAdder();
  final LongAdder tasksRefused = new LongAdder();

  SessionMetrics() {}

  /**
   * @return session messages accepted
   */
  public long accepted() {
    return accepted.sum();
  }

  /**
   * @return messages refused for any reason (violations included)
   */
  public long rejected() {
    return rejected.sum();
  }

  /**
   * @return refused messages that broke the protocol (malformed, forged, unauthenticated)
   */
  public long violations() {
    return violations.sum();
  }

  /**
   * @return network messages refused because the inbound queue was full
   */
  public long inboundRefused() {
    return inboundRefused.sum();
  }

  /**
   * @return messages this node asked the creator to relay after a direct send failed
   */
  public long relayRequests() {
    return relayRequests.sum();
  }

  /**
   * @return messages this node relayed as a session creator
   */
  public long relayed() {
    return relayed.sum();
  }

  /**
   * @return sends that failed (before any relay)
   */
  public long sendFailures() {
    return sendFailures.sum();
  }

  /**
   * @return sessions completed
   */
  public long completed() {
    return completed.sum();
  }

  /**
   * @return sessions aborted
   */
  public long aborted() {
    return aborted.sum();
  }

  /**
   * @return events not delivered because the callback executor refused them (each also logged)
   */
  public long eventsRefused() {
    return eventsRefused.sum();
  }

  /**
   * @return result completions run on the common pool because the callback executor refused them
   */
  public long callbacksRerouted() {
    return callbacksRerouted.sum();
  }

  /**
   * @return timer and send-outcome tasks the service executor refused (after close, or when a
   *     caller-supplied executor is full); each is logged
   */
  public long tasksRefused() {
    return tasksRefused.sum();
  }
}
