package org.lotusia.p2p.coordinator;

import java.time.Duration;

/**
 * How the bootstrap manager keeps its peers connected (lotus-sdk's {@code BootstrapConfig}, same
 * defaults). After a failed dial or a disconnect it redials after {@code min(reconnectBaseDelay *
 * 2^attempt, reconnectMaxDelay)}, varied by {@code ±reconnectJitter/2}, until {@code
 * maxReconnectAttempts} dials in a row failed; a health check every {@code healthCheckInterval}
 * redials peers that are down.
 *
 * @param reconnectBaseDelay first delay (1 s)
 * @param reconnectMaxDelay longest delay (60 s)
 * @param reconnectJitter relative spread of a delay, 0 to 1 (0.3)
 * @param maxReconnectAttempts failed dials in a row before giving up; {@link Integer#MAX_VALUE}
 *     never gives up (the default)
 * @param healthCheckInterval how often disconnected bootstrap peers are checked (30 s)
 */
public record BootstrapConfig(
    Duration reconnectBaseDelay,
    Duration reconnectMaxDelay,
    double reconnectJitter,
    int maxReconnectAttempts,
    Duration healthCheckInterval) {

  /** lotus-sdk's defaults. */
  public static final BootstrapConfig DEFAULT =
      new BootstrapConfig(
          Duration.ofSeconds(1), Duration.ofSeconds(60), 0.3, Integer.MAX_VALUE, Duration.ofSeconds(30));

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public BootstrapConfig {
    ConfigChecks.positive(reconnectBaseDelay, "bootstrap.reconnectBaseDelay");
    ConfigChecks.positive(reconnectMaxDelay, "bootstrap.reconnectMaxDelay");
    if (reconnectMaxDelay.compareTo(reconnectBaseDelay) < 0) {
      throw new IllegalArgumentException(
          "bootstrap.reconnectMaxDelay ("
              + reconnectMaxDelay
              + ") must not be shorter than bootstrap.reconnectBaseDelay ("
              + reconnectBaseDelay
              + ")");
    }
    if (!(reconnectJitter >= 0 && reconnectJitter <= 1)) {
      throw new IllegalArgumentException(
          "bootstrap.reconnectJitter must be between 0 and 1, got " + reconnectJitter);
    }
    ConfigChecks.atLeast(maxReconnectAttempts, 1, "bootstrap.maxReconnectAttempts");
    ConfigChecks.positive(healthCheckInterval, "bootstrap.healthCheckInterval");
  }
}
