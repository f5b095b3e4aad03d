package org.lotusia.p2p.coordinator;

/**
 * The DHT's condition (lotus-sdk's {@code DHTStats}).
 *
 * @param enabled whether the DHT runs
 * @param mode {@code server}, {@code client}, or {@code disabled}
 * @param routingTableSize peers in the routing table
 * @param isReady whether the routing table has at least one peer
 */
public record DhtStats(boolean enabled, String mode, int routingTableSize, boolean isReady) {

  /** The statistics of a node without a DHT, or not started. */
  public static final DhtStats DISABLED = new DhtStats(false, "disabled", 0, false);
}
