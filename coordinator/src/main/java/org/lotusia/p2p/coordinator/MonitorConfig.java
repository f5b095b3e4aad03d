package org.lotusia.p2p.coordinator;

import java.time.Duration;

/**
 * The coordinator's periodic checks: the connection state, the clean-up of expired state, and the
 * GossipSub mesh monitor.
 *
 * @param stateCheckInterval how often the connection state is re-derived besides on peer and
 *     routing-table events (2 s, lotus-sdk's)
 * @param fullyOperationalPeers routing-table peers needed for {@link
 *     ConnectionState#FULLY_OPERATIONAL} (3)
 * @param cleanupInterval how often expired resources and idle security state are dropped (5 min)
 * @param meshCheckInterval how often the meshes of subscribed topics are measured (30 s)
 * @param minMeshPeers mesh peers a topic needs to count as healthy (2)
 */
public record MonitorConfig(
    Duration stateCheckInterval,
    int fullyOperationalPeers,
    Duration cleanupInterval,
    Duration meshCheckInterval,
    int minMeshPeers) {

  /** lotus-sdk's values. */
  public static final MonitorConfig DEFAULT =
      new MonitorConfig(Duration.ofSeconds(2), 3, Duration.ofMinutes(5), Duration.ofSeconds(30), 2);

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public MonitorConfig {
    ConfigChecks.positive(stateCheckInterval, "monitor.stateCheckInterval");
    ConfigChecks.atLeast(fullyOperationalPeers, 1, "monitor.fullyOperationalPeers");
    ConfigChecks.positive(cleanupInterval, "monitor.cleanupInterval");
    ConfigChecks.positive(meshCheckInterval, "monitor.meshCheckInterval");
    ConfigChecks.atLeast(minMeshPeers, 1, "monitor.minMeshPeers");
  }

  /**
   * Short intervals for tests and demos: state every 200 ms, meshes every 500 ms.
   *
   * @return the configuration
   */
  public static MonitorConfig fast() {
    return new MonitorConfig(Duration.ofMillis(200), 3, Duration.ofMinutes(5), Duration.ofMillis(500), 2);
  }

  /**
   * This configuration with another mesh minimum.
   *
   * @param peers the minimum
   * @return the new configuration
   */
  public MonitorConfig withMinMeshPeers(int peers) {
    return new MonitorConfig(stateCheckInterval, fullyOperationalPeers, cleanupInterval, meshCheckInterval, peers);
  }

  /**
   * This configuration with another fully-operational threshold.
   *
   * @param peers the threshold
   * @return the new configuration
   */
  public MonitorConfig withFullyOperationalPeers(int peers) {
    return new MonitorConfig(stateCheckInterval, peers, cleanupInterval, meshCheckInterval, minMeshPeers);
  }
}
