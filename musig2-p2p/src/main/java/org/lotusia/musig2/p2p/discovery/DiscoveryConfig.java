package org.lotusia.musig2.p2p.discovery;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link MuSig2Discovery}; lotus-sdk's values as defaults (reference 4.2). Immutable.
 *
 * @param signerTtl lifetime of a signer advert (30 min)
 * @param requestTtl lifetime of a signing request (10 min)
 * @param maxConcurrentRequests signing requests this node advertises at once (5)
 * @param maxTtl longest advert lifetime accepted from others (1 h)
 * @param maxClockSkew how far in the future a received advert may be created (5 min)
 * @param maxCached adverts kept from others (1000)
 * @param maxCachedPerPeer adverts kept per publishing peer (16)
 * @param maxAdvertBytes largest advert accepted from a topic (16 KiB)
 */
public record DiscoveryConfig(
    Duration signerTtl,
    Duration requestTtl,
    int maxConcurrentRequests,
    Duration maxTtl,
    Duration maxClockSkew,
    int maxCached,
    int maxCachedPerPeer,
    int maxAdvertBytes) {

  /** Checks every value. */
  public DiscoveryConfig {
    for (Duration d : new Duration[] {signerTtl, requestTtl, maxTtl, maxClockSkew}) {
      Objects.requireNonNull(d, "duration");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("durations must be positive, got " + d);
      }
    }
    if (signerTtl.compareTo(maxTtl) > 0 || requestTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException("advert lifetimes must not exceed maxTtl " + maxTtl);
    }
    if (maxConcurrentRequests < 1 || maxCached < 1 || maxCachedPerPeer < 1) {
      throw new IllegalArgumentException("limits must be at least 1");
    }
    if (maxAdvertBytes < 1024) {
      throw new IllegalArgumentException("maxAdvertBytes must be at least 1024, got "
          + maxAdvertBytes);
    }
  }

  /**
   * @return lotus-sdk's defaults with the receiving limits listed on the record
   */
  public static DiscoveryConfig defaults() {
    return new DiscoveryConfig(
        Duration.ofMinutes(30),
        Duration.ofMinutes(10),
        5,
        Duration.ofHours(1),
        Duration.ofMinutes(5),
        1000,
        16,
        16 * 1024);
  }
}
