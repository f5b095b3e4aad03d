package org.lotusia.p2p.coordinator;

import java.time.Duration;

/**
 * How a coordinator keeps resources (see {@link Resources}): re-publication, record age, the local
 * cache, the queue of announcements waiting for the DHT, and listings.
 *
 * @param republishInterval how often announcements without expiry are re-signed and re-published (1
 *     hour); announcements with a TTL are renewed every half TTL instead
 * @param maxRecordAge how old a record without expiry may be before every node refuses it (48
 *     hours, the DHT's record lifetime); at least twice {@code republishInterval}
 * @param maxLocalResources most resources in the local cache, own and discovered (10,000)
 * @param announcementQueueSize most announcements waiting for the DHT routing table (1,000); the
 *     oldest is dropped beyond it, with an error event
 * @param announcementQueueTtl how long an announcement waits for the DHT (5 min); it stays in the
 *     cache and is published at the next re-publication
 * @param maxResourcesPerListing most resources one provider returns for a type listing (100)
 */
public record ResourceConfig(
    Duration republishInterval,
    Duration maxRecordAge,
    int maxLocalResources,
    int announcementQueueSize,
    Duration announcementQueueTtl,
    int maxResourcesPerListing) {

  /** The defaults. */
  public static final ResourceConfig DEFAULT =
      new ResourceConfig(Duration.ofHours(1), Duration.ofHours(48), 10_000, 1000, Duration.ofMinutes(5), 100);

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public ResourceConfig {
    ConfigChecks.positive(republishInterval, "resources.republishInterval");
    ConfigChecks.positive(maxRecordAge, "resources.maxRecordAge");
    if (maxRecordAge.compareTo(republishInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "resources.maxRecordAge ("
              + maxRecordAge
              + ") must be at least twice resources.republishInterval ("
              + republishInterval
              + "), or records would expire between re-publications");
    }
    ConfigChecks.atLeast(maxLocalResources, 1, "resources.maxLocalResources");
    ConfigChecks.atLeast(announcementQueueSize, 1, "resources.announcementQueueSize");
    ConfigChecks.positive(announcementQueueTtl, "resources.announcementQueueTtl");
    ConfigChecks.atLeast(maxResourcesPerListing, 1, "resources.maxResourcesPerListing");
  }

  /**
   * This configuration with another re-publication interval.
   *
   * @param interval the interval
   * @return the new configuration
   */
  public ResourceConfig withRepublishInterval(Duration interval) {
    return new ResourceConfig(
        interval, maxRecordAge, maxLocalResources, announcementQueueSize, announcementQueueTtl, maxResourcesPerListing);
  }

  /**
   * This configuration with another local cache size.
   *
   * @param max the limit
   * @return the new configuration
   */
  public ResourceConfig withMaxLocalResources(int max) {
    return new ResourceConfig(
        republishInterval, maxRecordAge, max, announcementQueueSize, announcementQueueTtl, maxResourcesPerListing);
  }
}
