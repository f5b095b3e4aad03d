package org.lotusia.p2p.coordinator.discovery;

import java.util.List;
import java.util.Optional;

/**
 * Where a discoverer keeps the advertisements it accepted (lotus-sdk's {@code IDiscoveryCache}),
 * one entry per {@link AdvertisementKey}. The discoverer decides what goes in (only validated
 * advertisements, a newer version replacing an older one) and reads the entries back for {@code
 * discover}; an application may supply its own implementation, for example one that persists the
 * entries across restarts (entries found at start are used as they are, and dropped by the expiry
 * sweep once expired).
 *
 * <p>Implementations must be thread-safe, must not call back into the discoverer, and should be
 * bounded: the discoverer's writes are driven by the network.
 */
public interface DiscoveryCache {

  /**
   * The entry of a key.
   *
   * @param key the key
   * @return the entry, if cached
   */
  Optional<DiscoveryCacheEntry> get(AdvertisementKey key);

  /**
   * Stores an entry, replacing the entry of the same key. A bounded cache may evict other entries.
   *
   * @param entry the entry
   */
  void put(DiscoveryCacheEntry entry);

  /**
   * Removes the entry of a key.
   *
   * @param key the key
   * @return the removed entry, if there was one
   */
  Optional<DiscoveryCacheEntry> remove(AdvertisementKey key);

  /**
   * A snapshot of every entry.
   *
   * @return the entries, in no particular order
   */
  List<DiscoveryCacheEntry> entries();

  /**
   * Removes every entry of a protocol.
   *
   * @param protocol the protocol
   * @return how many were removed
   */
  int clear(String protocol);

  /** Removes every entry. */
  void clear();

  /**
   * The number of entries.
   *
   * @return the size
   */
  int size();
}
