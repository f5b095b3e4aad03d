package org.lotusia.p2p.coordinator.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.p2p.coordinator.discovery.TestAds.T0;

import org.junit.jupiter.api.Test;

/** The default cache stays within its bound under a flood, evicting what expires first. */
class InMemoryDiscoveryCacheTest {

  private static DiscoveryCacheEntry entry(TestAds.Identity who, String id, String protocol, long ttl) {
    DiscoveryAdvertisement ad = TestAds.exact(TestAds.draft(who, id, T0, ttl).protocol(protocol), who.key());
    return new DiscoveryCacheEntry(ad, AdvertisementSource.GOSSIPSUB, who.key().publicKey(), T0, T0);
  }

  @Test
  void aFloodEvictsTheSoonestExpiringAndNeverGrowsBeyondTheBound() {
    InMemoryDiscoveryCache cache = new InMemoryDiscoveryCache(3);
    TestAds.Identity who = TestAds.identity();
    DiscoveryCacheEntry longLived = entry(who, "long", "p", 50_000);
    cache.put(longLived);
    for (int i = 0; i < 100; i++) {
      cache.put(entry(who, "flood-" + i, "p", 1_000 + i));
      assertThat(cache.size()).isLessThanOrEqualTo(3);
    }
    assertThat(cache.get(longLived.key())).contains(longLived);
    assertThat(cache.get(new AdvertisementKey(who.peerId(), "flood-99"))).isPresent();
    assertThat(cache.get(new AdvertisementKey(who.peerId(), "flood-98"))).isPresent();
    assertThat(cache.evictions()).isEqualTo(98);
  }

  @Test
  void replacingAnEntryEvictsNothingAndClearWorksByProtocol() {
    InMemoryDiscoveryCache cache = new InMemoryDiscoveryCache(2);
    TestAds.Identity who = TestAds.identity();
    cache.put(entry(who, "a", "p", 1_000));
    cache.put(entry(who, "b", "q", 2_000));
    DiscoveryCacheEntry newer = entry(who, "a", "p", 9_000);
    cache.put(newer);
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.evictions()).isZero();
    assertThat(cache.get(newer.key())).contains(newer);
    assertThat(cache.clear("q")).isEqualTo(1);
    assertThat(cache.entries()).containsExactly(newer);
    assertThat(cache.remove(newer.key())).contains(newer);
    assertThat(cache.size()).isZero();
    assertThatThrownBy(() -> new InMemoryDiscoveryCache(0)).hasMessageContaining("maxEntries must be at least 1");
  }
}
