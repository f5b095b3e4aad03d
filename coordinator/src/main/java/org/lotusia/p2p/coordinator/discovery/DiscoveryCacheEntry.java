package org.lotusia.p2p.coordinator.discovery;

import java.util.Objects;
import org.lotusia.chain.crypto.EcPoint;

/**
 * One accepted advertisement in a {@link DiscoveryCache} (lotus-sdk's {@code DiscoveryCacheEntry}).
 *
 * @param advertisement the newest accepted version
 * @param source where that version came from
 * @param signerKey the key that verified its signature
 * @param addedAt when the first version was cached, ms since the epoch
 * @param updatedAt when this version replaced an older one (or {@code addedAt}), ms since the epoch
 */
public record DiscoveryCacheEntry(
    DiscoveryAdvertisement advertisement,
    AdvertisementSource source,
    EcPoint signerKey,
    long addedAt,
    long updatedAt) {

  /** Checks for nulls. */
  public DiscoveryCacheEntry {
    Objects.requireNonNull(advertisement, "advertisement");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(signerKey, "signerKey");
  }

  /**
   * The key of the cached advertisement.
   *
   * @return its key
   */
  public AdvertisementKey key() {
    return advertisement.key();
  }
}
