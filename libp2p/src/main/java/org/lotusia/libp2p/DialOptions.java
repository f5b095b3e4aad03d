package org.lotusia.libp2p;

import java.time.Duration;

/**
 * Options of one {@link Host#dial(Multiaddr, DialOptions)} call.
 *
 * @param force open a new connection even when one to the same peer exists
 * @param timeout overall time for transport connect plus upgrade; {@code null} uses the host
 *     default
 * @param portReuse whether the dial may leave from a listen port (when the transport reuses ports);
 *     an AutoNAT dial-back turns it off, so it cannot punch a hole by accident
 */
public record DialOptions(boolean force, Duration timeout, boolean portReuse) {

  /** Reuse connections, host default timeout. */
  public static final DialOptions DEFAULT = new DialOptions(false, null);

  /** Always open a new connection, host default timeout. */
  public static final DialOptions FORCE = new DialOptions(true, null);

  /** Options with port reuse allowed. */
  public DialOptions(boolean force, Duration timeout) {
    this(force, timeout, true);
  }

  /**
   * Validates the timeout.
   *
   * @throws IllegalArgumentException when the timeout is zero or negative
   */
  public DialOptions {
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("dial timeout must be positive, got " + timeout);
    }
  }
}
