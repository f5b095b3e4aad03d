package org.lotusia.libp2p.protocol.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the client side of circuit relay ({@link CircuitRelay}).
 *
 * @param requestTimeout time for a hop exchange with a relay or a stop exchange (default 30 s)
 * @param maxMessageSize largest hop or stop message read (default 4096 bytes)
 * @param maxRelayAddresses relay addresses kept from one reservation (default 16)
 * @param acceptWithoutReservation accept a relayed connection from a relay this host holds no
 *     reservation on (default {@code false}: such a stop request is answered {@link
 *     RelayStatus#PERMISSION_DENIED})
 */
public record CircuitRelayConfig(
    Duration requestTimeout,
    int maxMessageSize,
    int maxRelayAddresses,
    boolean acceptWithoutReservation) {

  /** The defaults described above. */
  public static final CircuitRelayConfig DEFAULT =
      new CircuitRelayConfig(Duration.ofSeconds(30), 4096, 16, false);

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting out of range
   */
  public CircuitRelayConfig {
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
    }
    if (maxMessageSize < 256) {
      throw new IllegalArgumentException("maxMessageSize must be >= 256, got " + maxMessageSize);
    }
    if (maxRelayAddresses < 1) {
      throw new IllegalArgumentException(
          "maxRelayAddresses must be >= 1, got " + maxRelayAddresses);
    }
  }

  /** A copy with another request timeout. */
  public CircuitRelayConfig withRequestTimeout(Duration timeout) {
    return new CircuitRelayConfig(
        timeout, maxMessageSize, maxRelayAddresses, acceptWithoutReservation);
  }

  /** A copy that accepts (or not) relayed connections from relays without a reservation. */
  public CircuitRelayConfig withAcceptWithoutReservation(boolean accept) {
    return new CircuitRelayConfig(requestTimeout, maxMessageSize, maxRelayAddresses, accept);
  }
}
