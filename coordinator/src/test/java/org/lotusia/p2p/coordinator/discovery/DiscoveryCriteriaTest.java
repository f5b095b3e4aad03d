package org.lotusia.p2p.coordinator.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** lotus-sdk's matching rules, with the reputation this node keeps. */
class DiscoveryCriteriaTest {

  private static final GeoLocation PARIS = new GeoLocation(48.8566, 2.3522);
  private static final GeoLocation LONDON = new GeoLocation(51.5074, -0.1278);

  private static DiscoveryAdvertisement ad(ObjectNode cc, GeoLocation where) {
    TestAds.Identity who = TestAds.identity();
    return TestAds.exact(TestAds.draft(who, "a", TestAds.T0, TestAds.TTL).customCriteria(cc).location(where).reputation(100), who.key());
  }

  @Test
  void protocolAndCapabilities() {
    DiscoveryAdvertisement ad = ad(null, null);
    assertThat(DiscoveryCriteria.forProtocol("test-proto").matches(ad, 75)).isTrue();
    assertThat(DiscoveryCriteria.forProtocol("other").matches(ad, 75)).isFalse();
    assertThat(DiscoveryCriteria.builder("test-proto").capabilities("relay").build().matches(ad, 75)).isTrue();
    assertThat(DiscoveryCriteria.builder("test-proto").capabilities("relay", "mixing").build().matches(ad, 75)).isFalse();
  }

  @Test
  void minReputationUsesTheKeptReputationNotTheClaimedOne() {
    DiscoveryAdvertisement claims100 = ad(null, null);
    DiscoveryCriteria c = DiscoveryCriteria.builder("test-proto").minReputation(60).build();
    assertThat(c.matches(claims100, 55)).isFalse();
    assertThat(c.matches(claims100, 60)).isTrue();
    // lotus-sdk treats 0 as no bound
    assertThat(DiscoveryCriteria.builder("test-proto").minReputation(0).build().matches(claims100, 0)).isTrue();
  }

  @Test
  void locationByHaversine() {
    assertThat(PARIS.distanceKm(LONDON)).isCloseTo(343.5, within(1.0));
    DiscoveryCriteria nearParis = DiscoveryCriteria.builder("test-proto").near(PARIS, 350).build();
    DiscoveryCriteria veryNearParis = DiscoveryCriteria.builder("test-proto").near(PARIS, 300).build();
    assertThat(nearParis.matches(ad(null, LONDON), 75)).isTrue();
    assertThat(veryNearParis.matches(ad(null, LONDON), 75)).isFalse();
    // lotus-sdk filters only when both sides have a location
    assertThat(veryNearParis.matches(ad(null, null), 75)).isTrue();
  }

  @Test
  void customCriteriaMustAllBeEqual() {
    ObjectNode cc = JsonNodeFactory.instance.objectNode().put("fee", 1).put("net", "main");
    cc.putArray("types").add("spend");
    DiscoveryAdvertisement ad = ad(cc, null);
    assertThat(DiscoveryCriteria.builder("test-proto").customCriterion("fee", 1.0).build().matches(ad, 75)).isTrue();
    assertThat(DiscoveryCriteria.builder("test-proto").customCriterion("fee", 1).customCriterion("net", "main").build().matches(ad, 75)).isTrue();
    assertThat(DiscoveryCriteria.builder("test-proto").customCriterion("net", "test").build().matches(ad, 75)).isFalse();
    assertThat(DiscoveryCriteria.builder("test-proto").customCriterion("missing", 1).build().matches(ad, 75)).isFalse();
    assertThat(DiscoveryCriteria.builder("test-proto").customCriterion("fee", "1").build().matches(ad, 75)).isFalse();
    assertThat(DiscoveryCriteria.builder("test-proto").customCriterion("types", List.of("spend")).build().matches(ad, 75)).isTrue();
    assertThat(DiscoveryCriteria.builder("test-proto").customCriterion("types", Map.of("a", 1)).build().matches(ad, 75)).isFalse();
    assertThat(DiscoveryCriteria.builder("test-proto").customCriterion("fee", 1).build().matches(ad(null, null), 75)).isFalse();
  }

  @Test
  void invalidCriteriaAreRefused() {
    assertThatThrownBy(() -> DiscoveryCriteria.builder("test-proto").maxResults(0).build()).hasMessageContaining("maxResults must be at least 1");
    assertThatThrownBy(() -> DiscoveryCriteria.forProtocol("bad protocol")).hasMessageContaining("criteria protocol may hold");
    assertThatThrownBy(() -> DiscoveryCriteria.builder("test-proto").near(PARIS, -1).build()).hasMessageContaining("radiusKm");
    assertThatThrownBy(() -> new GeoLocation(0, 181)).hasMessageContaining("longitude");
    assertThat(DiscoveryCriteria.forProtocol("musig2").topic()).isEqualTo("lotus/discovery/musig2");
  }
}
