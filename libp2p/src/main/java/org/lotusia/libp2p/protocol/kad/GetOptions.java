package org.lotusia.libp2p.protocol.kad;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of one {@link KadDht#get(byte[], GetOptions)}.
 *
 * @param quorum how many remote peers must have answered with the value the selector prefers
 *     before the lookup stops early; 0 (the default) walks to the {@code k} closest peers and asks
 *     them all, as js-libp2p does
 * @param timeout time for the whole lookup; empty (the default) uses {@link
 *     KadDhtConfig#queryTimeout()}
 * @param listener follows the lookup; empty (the default) for none
 */
public record GetOptions(int quorum, Optional<Duration> timeout, Optional<QueryListener> listener) {

  /** The defaults: no quorum, the configured query timeout, no listener. */
  public static final GetOptions DEFAULTS = new GetOptions(0, Optional.empty());

  /** Options without a listener. */
  public GetOptions(int quorum, Optional<Duration> timeout) {
    this(quorum, timeout, Optional.empty());
  }

  /** Validates. */
  public GetOptions {
    if (quorum < 0) {
      throw new IllegalArgumentException("quorum must be >= 0 (0: no early stop), got " + quorum);
    }
    Objects.requireNonNull(timeout, "timeout");
    timeout.ifPresent(GetOptions::requirePositive);
    Objects.requireNonNull(listener, "listener");
  }

  /** Options with this quorum and the default timeout. */
  public static GetOptions quorum(int quorum) {
    return new GetOptions(quorum, Optional.empty());
  }

  /** These options with another quorum. */
  public GetOptions withQuorum(int n) {
    return new GetOptions(n, timeout, listener);
  }

  /** These options with another lookup timeout. */
  public GetOptions withTimeout(Duration d) {
    return new GetOptions(quorum, Optional.of(d), listener);
  }

  /** These options with a listener that follows the lookup. */
  public GetOptions withListener(QueryListener l) {
    return new GetOptions(quorum, timeout, Optional.of(l));
  }

  static void requirePositive(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + d);
    }
  }
}
