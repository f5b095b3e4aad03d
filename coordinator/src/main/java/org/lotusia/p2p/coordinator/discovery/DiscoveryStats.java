package org.lotusia.p2p.coordinator.discovery;

/**
 * What a discoverer has done (lotus-sdk's {@code getCacheStats()}, extended).
 *
 * @param cacheSize advertisements cached
 * @param cacheHits {@code discover} calls the cache alone had a match for
 * @param cacheMisses {@code discover} calls it had none for
 * @param received advertisements received from the network or handed over directly
 * @param accepted of those, accepted by the validator (repeats included)
 * @param refused refused by the validator
 * @param malformed not readable as an advertisement (or on the wrong topic)
 * @param subscriptions active subscriptions
 * @param droppedDeliveries advertisements dropped because a subscription was too far behind
 * @param droppedEvents events dropped because a listener was too far behind
 */
public record DiscoveryStats(
    int cacheSize,
    long cacheHits,
    long cacheMisses,
    long received,
    long accepted,
    long refused,
    long malformed,
    int subscriptions,
    long droppedDeliveries,
    long droppedEvents) {

  /**
   * The share of {@code discover} calls the cache had a match for.
   *
   * @return from 0 to 1; 0 before the first call
   */
  public double hitRate() {
    long all = cacheHits + cacheMisses;
    return all == 0 ? 0 : (double) cacheHits / all;
  }
}
