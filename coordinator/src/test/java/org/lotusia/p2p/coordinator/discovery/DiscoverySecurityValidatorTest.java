package org.lotusia.p2p.coordinator.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lotusia.p2p.coordinator.discovery.AdvertisementSource.DHT;
import static org.lotusia.p2p.coordinator.discovery.AdvertisementSource.DIRECT;
import static org.lotusia.p2p.coordinator.discovery.AdvertisementSource.GOSSIPSUB;
import static org.lotusia.p2p.coordinator.discovery.TestAds.T0;
import static org.lotusia.p2p.coordinator.discovery.TestAds.TTL;
import static org.lotusia.p2p.coordinator.discovery.TestAds.ad;
import static org.lotusia.p2p.coordinator.discovery.TestAds.draft;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.p2p.coordinator.discovery.TestAds.Identity;
import org.lotusia.p2p.coordinator.discovery.ValidationVerdict.Rejection;

/** The validator with a stepped clock: each rule refuses what it should and nothing else. */
class DiscoverySecurityValidatorTest {

  private final MutableClock clock = new MutableClock(T0);
  private final Identity alice = TestAds.identity();
  private final Identity mallory = TestAds.identity();

  private DiscoverySecurityValidator validator() {
    return new DiscoverySecurityValidator(DiscoverySecurityPolicy.DEFAULT, clock);
  }

  @Test
  void aValidAdvertisementIsAcceptedAndValidatingItAgainChangesNothing() {
    DiscoverySecurityValidator v = validator();
    DiscoveryAdvertisement ad = ad(alice, "a", T0);
    ValidationVerdict first = v.validate(ad, GOSSIPSUB, alice.peerId());
    assertThat(first.accepted()).isTrue();
    assertThat(first.newVersion()).isTrue();
    assertThat(first.signerKey()).contains(alice.key().publicKey());
    double rep = v.reputation(alice.peerId());

    // the same advertisement again (another path, the DHT): accepted, not a replay, no state change
    for (int i = 0; i < 10; i++) {
      ValidationVerdict again = v.validate(ad, i % 2 == 0 ? DHT : GOSSIPSUB, alice.peerId());
      assertThat(again.accepted()).as(again.detail()).isTrue();
      assertThat(again.newVersion()).isFalse();
    }
    assertThat(v.reputation(alice.peerId())).isEqualTo(rep);
    assertThat(v.stats().trackedAdvertisements()).isEqualTo(1);
    assertThat(v.stats().totalRejected()).isZero();
  }

  @Test
  void expiredAndTooOldAndFutureAdvertisementsAreRefusedWithoutBlame() {
    DiscoverySecurityValidator v = validator();
    DiscoveryAdvertisement ad = ad(alice, "a", T0);
    clock.advance(Duration.ofMillis(TTL));
    assertThat(rejection(v.validate(ad, GOSSIPSUB, alice.peerId()))).isEqualTo(Rejection.EXPIRED);

    clock.set(T0);
    DiscoveryAdvertisement longLived =
        TestAds.exact(draft(alice, "b", T0, Duration.ofHours(5).toMillis()), alice.key());
    clock.advance(Duration.ofHours(1).plusMillis(1));
    assertThat(rejection(v.validate(longLived, GOSSIPSUB, alice.peerId()))).isEqualTo(Rejection.TOO_OLD);
    clock.set(T0 + Duration.ofHours(1).toMillis());
    assertThat(v.validate(longLived, GOSSIPSUB, alice.peerId()).accepted()).isTrue();

    clock.set(T0);
    DiscoveryAdvertisement future = ad(alice, "c", T0 + Duration.ofMinutes(5).toMillis() + 1);
    assertThat(rejection(v.validate(future, GOSSIPSUB, alice.peerId()))).isEqualTo(Rejection.FROM_THE_FUTURE);
    DiscoveryAdvertisement slightlyAhead = ad(alice, "d", T0 + Duration.ofMinutes(5).toMillis());
    assertThat(v.validate(slightlyAhead, GOSSIPSUB, alice.peerId()).accepted()).isTrue();
    // expiry and age are not the publisher's fault
    assertThat(v.reputation(alice.peerId())).isGreaterThanOrEqualTo(75);
  }

  @Test
  void aBadSignatureIsRefusedWhateverTheClaimedReputation() {
    DiscoverySecurityValidator v = validator();
    DiscoveryAdvertisement good = ad(alice, "a", T0);
    DiscoveryAdvertisement tampered =
        good.toBuilder().capabilities(List.of("signing", "relay", "admin")).reputation(100).build();
    ValidationVerdict verdict = v.validate(tampered, GOSSIPSUB, alice.peerId());
    assertThat(rejection(verdict)).isEqualTo(Rejection.BAD_SIGNATURE);
    assertThat(v.reputation(alice.peerId())).isEqualTo(70);

    DiscoveryAdvertisement otherKey = TestAds.exact(draft(alice, "b", T0, TTL), mallory.key());
    assertThat(rejection(v.validate(otherKey, GOSSIPSUB, alice.peerId()))).isEqualTo(Rejection.BAD_SIGNATURE);

    DiscoveryAdvertisement noKey =
        good.toBuilder().id("c").peerInfo(good.peerInfo().withPublicKey(null)).build();
    assertThat(rejection(v.validate(noKey, GOSSIPSUB, alice.peerId()))).isEqualTo(Rejection.NO_KEY);
  }

  @Test
  void onlyThePeerAnAdvertisementNamesMayPublishIt() {
    DiscoverySecurityValidator v = validator();
    DiscoveryAdvertisement alices = ad(alice, "a", T0);
    assertThat(rejection(v.validate(alices, GOSSIPSUB, mallory.peerId()))).isEqualTo(Rejection.WRONG_AUTHOR);
    assertThat(rejection(v.validate(alices, DHT, mallory.peerId()))).isEqualTo(Rejection.WRONG_AUTHOR);
    assertThat(rejection(v.validate(alices, GOSSIPSUB, null))).isEqualTo(Rejection.WRONG_AUTHOR);
    // the publisher pays, the victim does not
    assertThat(v.reputation(mallory.peerId())).isEqualTo(65);
    assertThat(v.reputation(alice.peerId())).isEqualTo(75);
    // a refused attempt does not spoil the genuine advertisement
    assertThat(v.validate(alices, GOSSIPSUB, alice.peerId()).accepted()).isTrue();
    // handed over directly without a channel binding, only the signature speaks
    assertThat(v.validate(alices, DIRECT, null).accepted()).isTrue();

    DiscoveryAdvertisement badPeerId =
        TestAds.exact(
            draft(alice, "b", T0, TTL).peerInfo(DiscoveryPeerInfo.of("12D3KooWSender", List.of("/ip4/1.2.3.4/tcp/1")).withPublicKey(alice.key().publicKey())),
            alice.key());
    assertThat(rejection(v.validate(badPeerId, DIRECT, null))).isEqualTo(Rejection.MALFORMED);
  }

  @Test
  void olderVersionsAndConflictingVersionsAreReplays() {
    DiscoverySecurityValidator v = validator();
    DiscoveryAdvertisement v1 = ad(alice, "a", T0);
    DiscoveryAdvertisement v2 = ad(alice, "a", T0 + 1000);
    assertThat(v.validate(v2, GOSSIPSUB, alice.peerId()).newVersion()).isTrue();
    assertThat(rejection(v.validate(v1, GOSSIPSUB, alice.peerId()))).isEqualTo(Rejection.REPLAYED);
    DiscoveryAdvertisement conflicting =
        TestAds.exact(draft(alice, "a", T0 + 1000, TTL).capabilities(List.of("x")), alice.key());
    assertThat(rejection(v.validate(conflicting, GOSSIPSUB, alice.peerId()))).isEqualTo(Rejection.REPLAYED);
    // the same ID of another peer is another advertisement
    DiscoveryAdvertisement mallorys = ad(mallory, "a", T0);
    assertThat(v.validate(mallorys, GOSSIPSUB, mallory.peerId()).accepted()).isTrue();
    // replays are not blamed: stale copies reach honest nodes through the DHT
    assertThat(v.reputation(alice.peerId())).isEqualTo(77);
  }

  @Test
  void aPeerMayPublishFiveNewVersionsPerMinute() {
    DiscoverySecurityValidator v = validator();
    for (int i = 0; i < 5; i++) {
      assertThat(v.validate(ad(alice, "ad-" + i, T0), GOSSIPSUB, alice.peerId()).accepted()).isTrue();
    }
    // repeats do not count
    assertThat(v.validate(ad(alice, "ad-0", T0), GOSSIPSUB, alice.peerId()).accepted()).isTrue();
    ValidationVerdict sixth = v.validate(ad(alice, "ad-5", T0), GOSSIPSUB, alice.peerId());
    assertThat(rejection(sixth)).isEqualTo(Rejection.RATE_LIMITED);
    // another peer has its own window
    assertThat(v.validate(ad(mallory, "m", T0), GOSSIPSUB, mallory.peerId()).accepted()).isTrue();
    clock.advance(Duration.ofSeconds(60));
    assertThat(v.validate(ad(alice, "ad-5", T0), GOSSIPSUB, alice.peerId()).accepted()).isTrue();
    assertThat(v.stats().rejected(Rejection.RATE_LIMITED)).isEqualTo(1);
  }

  @Test
  void aPeerThatKeepsFailingIsRefusedEvenWithValidAdvertisements() {
    DiscoverySecurityValidator v = validator();
    DiscoveryAdvertisement forged =
        ad(mallory, "m", T0).toBuilder().capabilities(List.of("everything")).build();
    for (int i = 0; i < 6; i++) {
      v.validate(forged, GOSSIPSUB, mallory.peerId());
    }
    assertThat(v.reputation(mallory.peerId())).isEqualTo(45);
    clock.advance(Duration.ofSeconds(60)); // the forgeries also used up the rate window
    DiscoveryAdvertisement valid =
        TestAds.exact(draft(mallory, "m2", T0, TTL).reputation(100), mallory.key());
    assertThat(rejection(v.validate(valid, GOSSIPSUB, mallory.peerId()))).isEqualTo(Rejection.LOW_REPUTATION);
    v.updateReputation(mallory.peerId(), true, 3);
    assertThat(v.validate(valid, GOSSIPSUB, mallory.peerId()).accepted()).isTrue();
  }

  @Test
  void aWithdrawalNoticeIsAcceptedThoughItExpiresAtOnce() {
    DiscoverySecurityValidator v = validator();
    assertThat(v.validate(ad(alice, "a", T0), GOSSIPSUB, alice.peerId()).accepted()).isTrue();
    clock.advance(Duration.ofSeconds(10));
    DiscoveryAdvertisement notice =
        TestAds.exact(draft(alice, "a", clock.millis(), 0), alice.key());
    assertThat(notice.isWithdrawal()).isTrue();
    assertThat(v.validate(notice, GOSSIPSUB, alice.peerId()).newVersion()).isTrue();
    // the withdrawn version cannot come back
    assertThat(rejection(v.validate(ad(alice, "a", T0), DHT, alice.peerId()))).isEqualTo(Rejection.REPLAYED);
    DiscoveryAdvertisement backwards =
        TestAds.exact(draft(alice, "b", T0, TTL).expiresAt(T0 - 1), alice.key());
    assertThat(rejection(v.validate(backwards, GOSSIPSUB, alice.peerId()))).isEqualTo(Rejection.MALFORMED);
  }

  @Test
  void customValidatorsMustAllPass() {
    DiscoverySecurityValidator v =
        new DiscoverySecurityValidator(
            DiscoverySecurityPolicy.builder()
                .customValidator("needs-relay", ad -> ad.capabilities().contains("relay"))
                .customValidator("throws", ad -> {
                  if (ad.id().equals("boom")) {
                    throw new IllegalStateException("boom");
                  }
                  return true;
                })
                .build(),
            clock);
    assertThat(v.validate(ad(alice, "a", T0), GOSSIPSUB, alice.peerId()).accepted()).isTrue();
    DiscoveryAdvertisement noRelay =
        TestAds.exact(draft(alice, "b", T0, TTL).capabilities(List.of("signing")), alice.key());
    ValidationVerdict r = v.validate(noRelay, GOSSIPSUB, alice.peerId());
    assertThat(rejection(r)).isEqualTo(Rejection.CUSTOM_VALIDATOR);
    assertThat(r.detail()).contains("needs-relay");
    assertThat(rejection(v.validate(ad(alice, "boom", T0), GOSSIPSUB, alice.peerId()))).isEqualTo(Rejection.CUSTOM_VALIDATOR);
  }

  @Test
  void trackingIsBoundedAndCleanedUp() {
    DiscoverySecurityValidator v =
        new DiscoverySecurityValidator(
            DiscoverySecurityPolicy.builder().maxTrackedAdvertisements(3).maxTrackedPeers(2).build(), clock);
    for (int i = 0; i < 5; i++) {
      v.validate(ad(alice, "a" + i, T0), GOSSIPSUB, alice.peerId());
    }
    assertThat(v.stats().trackedAdvertisements()).isEqualTo(3);
    for (int i = 0; i < 4; i++) {
      Identity p = TestAds.identity();
      v.validate(ad(p, "x", T0), GOSSIPSUB, p.peerId());
    }
    assertThat(v.stats().trackedPeers()).isEqualTo(2);
    clock.advance(Duration.ofHours(1).plusMinutes(5).plusMillis(100));
    assertThat(v.cleanup()).isEqualTo(3);
    assertThat(v.stats().trackedAdvertisements()).isZero();
  }

  @Test
  void protocolPoliciesFollowLotusSdk() {
    assertThat(DiscoverySecurityPolicy.forProtocol("musig2").build().minReputation()).isEqualTo(70);
    assertThat(DiscoverySecurityPolicy.forProtocol("musig2").build().maxAdvertisementAge()).isEqualTo(Duration.ofMinutes(30));
    assertThat(DiscoverySecurityPolicy.forProtocol("swapsig").build().minReputation()).isEqualTo(60);
    assertThat(DiscoverySecurityPolicy.forProtocol("other").build()).isEqualTo(DiscoverySecurityPolicy.DEFAULT);
  }

  private static Rejection rejection(ValidationVerdict v) {
    return v.rejection().orElseThrow(() -> new AssertionError("accepted, expected a refusal"));
  }
}
