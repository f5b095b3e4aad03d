package org.lotusia.p2p.coordinator;

import java.time.Duration;

/**
 * How the coordinator keeps its peers connected. The first five values are lotus-sdk's {@code
 * BootstrapConfig}, with its defaults: after a failed dial or a disconnect a bootstrap peer is
 * redialled after {@code min(reconnectBaseDelay * 2^attempt, reconnectMaxDelay)}, varied by {@code
 * ±reconnectJitter/2}, until {@code maxReconnectAttempts} dials in a row failed; a health check every
 * {@code healthCheckInterval} redials bootstrap peers that are down.
 *
 * <p>The last two go beyond lotus-sdk, which never redials other peers: a peer that was connected
 * and is lost without this node asking for it (a broken link or a partition, not {@code
 * disconnectFromPeer}, a ban or a stop) is redialled with the same back-off through the addresses
 * the peer store holds for it, for {@code redialLostPeersFor}, while the node has fewer than half
 * its {@code maxConnections}. At most {@code redialLostPeers} lost peers are redialled at once; a
 * peer that is lost again soon after it came back continues its back-off instead of starting over.
 *
 * @param reconnectBaseDelay first delay (1 s)
 * @param reconnectMaxDelay longest delay (60 s)
 * @param reconnectJitter relative spread of a delay, 0 to 1 (0.3)
 * @param maxReconnectAttempts failed dials in a row before a bootstrap peer is given up; {@link
 *     Integer#MAX_VALUE} never gives up (the default)
 * @param healthCheckInterval how often disconnected bootstrap peers are checked (30 s)
 * @param redialLostPeers lost peers redialled at once (16); 0 redials bootstrap peers only, as
 *     lotus-sdk
 * @param redialLostPeersFor how long a lost peer is redialled before it is forgotten (5 min)
 */
public record BootstrapConfig(
    Duration reconnectBaseDelay,
    Duration reconnectMaxDelay,
    double reconnectJitter,
    int maxReconnectAttempts,
    Duration healthCheckInterval,
    int redialLostPeers,
    Duration redialLostPeersFor) {

  /** lotus-sdk's defaults, and lost peers redialled as described above. */
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
    ConfigChecks.atLeast(redialLostPeers, 0, "bootstrap.redialLostPeers");
    ConfigChecks.positive(redialLostPeersFor, "bootstrap.redialLostPeersFor");
  }

  /**
   * lotus-sdk's five values, with lost peers redialled by the defaults (16 peers, 5 minutes).
   *
   * @param reconnectBaseDelay first delay
   * @param reconnectMaxDelay longest delay
   * @param reconnectJitter relative spread of a delay, 0 to 1
   * @param maxReconnectAttempts failed dials in a row before a bootstrap peer is given up
   * @param healthCheckInterval how often disconnected bootstrap peers are checked
   * @throws IllegalArgumentException naming the bad value
   */
  public BootstrapConfig(
      Duration reconnectBaseDelay,
      Duration reconnectMaxDelay,
      double reconnectJitter,
      int maxReconnectAttempts,
      Duration healthCheckInterval) {
    this(
        reconnectBaseDelay,
        reconnectMaxDelay,
        reconnectJitter,
        maxReconnectAttempts,
        healthCheckInterval,
        16,
        Duration.ofMinutes(5));
  }

  /**
   * This configuration with other lost-peer settings.
   *
   * @param peers lost peers redialled at once; 0 turns redialling of non-bootstrap peers off
   * @param window how long a lost peer is redialled
   * @return the new configuration
   * @throws IllegalArgumentException naming the bad value
   */
  public BootstrapConfig withLostPeerRedial(int peers, Duration window) {
    return new BootstrapConfig(
        reconnectBaseDelay,
        reconnectMaxDelay,
        reconnectJitter,
        maxReconnectAttempts,
        healthCheckInterval,
        peers,
        window);
  }
}
