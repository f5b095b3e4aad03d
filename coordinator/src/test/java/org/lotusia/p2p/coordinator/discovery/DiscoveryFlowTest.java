package org.lotusia.p2p.coordinator.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.p2p.coordinator.discovery.TestAds.T0;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.p2p.coordinator.discovery.DiscoveryEvent.Expired.Reason;
import org.lotusia.p2p.coordinator.discovery.ValidationVerdict.Rejection;

/**
 * Advertisers and discoverers on an in-memory network with a stepped clock: publication, refresh
 * with a new signature, withdrawal, expiry, forgeries, rate limits, reported failures,
 * subscriptions that coexist and never lapse.
 */
class DiscoveryFlowTest {

  private static final String PROTO = "test-proto";
  private final MutableClock clock = new MutableClock(T0);
  private final FakeHub hub = new FakeHub(clock);
  private final List<DiscoverySystem> systems = new ArrayList<>();

  /** A node with its discovery system and what its listener saw. */
  record Peer(FakeHub.Node node, PrivateKey key, DiscoverySystem system, List<DiscoveryEvent> events) {
    DiscoveryAdvertiser advertiser() {
      return system.advertiser();
    }

    DiscoveryDiscoverer discoverer() {
      return system.discoverer();
    }
  }

  private Peer peer() {
    return peer(DiscoveryOptions.builder().build());
  }

  private Peer peer(DiscoveryOptions options) {
    FakeHub.Node node = hub.node();
    PrivateKey key = PrivateKey.random(new SecureRandom());
    DiscoverySystem s = DiscoverySystem.create(node, PROTO, key, options);
    systems.add(s);
    List<DiscoveryEvent> events = new CopyOnWriteArrayList<>();
    s.discoverer().addListener(events::add);
    s.start().join();
    return new Peer(node, key, s, events);
  }

  @AfterEach
  void close() {
    systems.forEach(DiscoverySystem::close);
  }

  private static AdvertisementSpec spec(String id, String... caps) {
    return AdvertisementSpec.builder().id(id).capabilities(caps).build();
  }

  @Test
  void anAdvertisementReachesSubscribersAndDiscoverOfEveryOtherNode() {
    Peer alice = peer();
    Peer bob = peer();
    Peer carol = peer();
    List<DiscoveryAdvertisement> bobGot = new CopyOnWriteArrayList<>();
    bob.discoverer().subscribe(DiscoveryCriteria.builder(PROTO).capabilities("signing").build(), bobGot::add).join();

    DiscoveryAdvertisement ad = alice.advertiser().advertise(spec("a-1", "signing", "relay")).join();
    assertThat(ad.peerInfo().peerId()).isEqualTo(alice.node().id);
    assertThat(ad.peerInfo().publicKey()).contains(alice.key().publicKey());
    assertThat(ad.expiresAt() - ad.createdAt()).isEqualTo(Duration.ofMinutes(30).toMillis());
    assertThat(bobGot).containsExactly(ad);
    assertThat(bob.events()).containsExactly(new DiscoveryEvent.Discovered(ad, AdvertisementSource.GOSSIPSUB));
    assertThat(carol.discoverer().cached(DiscoveryCriteria.forProtocol(PROTO))).containsExactly(ad);
    // the sender does not cache its own
    assertThat(alice.discoverer().stats().cacheSize()).isZero();
    // the DHT copy: a node that was not listening finds it through discover
    Peer dave = peer(DiscoveryOptions.builder().listen(false).build());
    assertThat(dave.discoverer().cached(DiscoveryCriteria.forProtocol(PROTO))).isEmpty();
    assertThat(dave.discoverer().discover(DiscoveryCriteria.forProtocol(PROTO)).join()).containsExactly(ad);
    assertThat(dave.events()).containsExactly(new DiscoveryEvent.Discovered(ad, AdvertisementSource.DHT));
    assertThat(dave.discoverer().stats().cacheMisses()).isEqualTo(1);
    assertThat(dave.discoverer().discover(DiscoveryCriteria.builder(PROTO).capabilities("mixing").build()).join()).isEmpty();
    assertThat(dave.discoverer().stats().hitRate()).isZero();
    assertThat(dave.discoverer().discover(DiscoveryCriteria.forProtocol(PROTO)).join()).containsExactly(ad);
    assertThat(dave.discoverer().stats().cacheHits()).isEqualTo(1);
    // a version already accepted comes back after the cache lost it
    assertThat(dave.discoverer().clearCache(PROTO)).isEqualTo(1);
    assertThat(dave.discoverer().discover(DiscoveryCriteria.forProtocol(PROTO)).join()).containsExactly(ad);
    assertThat(dave.events()).hasSize(2);
  }

  @Test
  void aRefreshIsANewlySignedVersionThatReceiversAccept() {
    Peer alice = peer();
    Peer bob = peer();
    List<DiscoveryAdvertisement> once = new CopyOnWriteArrayList<>();
    List<DiscoveryAdvertisement> every = new CopyOnWriteArrayList<>();
    bob.discoverer().subscribe(DiscoveryCriteria.forProtocol(PROTO), once::add).join();
    bob.discoverer().subscribe(DiscoveryCriteria.forProtocol(PROTO), every::add, new SubscribeOptions(true, true)).join();
    DiscoveryAdvertisement v1 = alice.advertiser().advertise(spec("a-1", "signing")).join();

    clock.advance(Duration.ofMinutes(20));
    DiscoveryAdvertisement v2 = alice.advertiser().refresh("a-1").join();
    assertThat(v2.createdAt()).isGreaterThanOrEqualTo(T0 + Duration.ofMinutes(20).toMillis());
    assertThat(v2.expiresAt()).isEqualTo(v2.createdAt() + Duration.ofMinutes(30).toMillis());
    assertThat(v2.signature()).isNotEqualTo(v1.signature());
    assertThat(AdvertisementSigner.verify(v2)).contains(alice.key().publicKey());

    assertThat(bob.events()).contains(new DiscoveryEvent.Updated(v1, v2, AdvertisementSource.GOSSIPSUB));
    assertThat(bob.discoverer().cached(DiscoveryCriteria.forProtocol(PROTO))).containsExactly(v2);
    assertThat(once).containsExactly(v1);
    assertThat(every).containsExactly(v1, v2);
    // the old version, replayed, is refused
    hub.inject(v1.topic(), AdvertisementJson.write(v1), alice.node().id);
    assertThat(bob.system().validator().stats().rejected(Rejection.REPLAYED)).isEqualTo(1);
    assertThat(bob.discoverer().cached(DiscoveryCriteria.forProtocol(PROTO))).containsExactly(v2);
    // past the first version's expiry the refreshed one is still there
    clock.advance(Duration.ofMinutes(15));
    assertThat(bob.discoverer().removeExpired()).isZero();
    assertThat(bob.discoverer().cached(DiscoveryCriteria.forProtocol(PROTO))).containsExactly(v2);
  }

  @Test
  void automaticRefreshesReSignOnTheirOwn() {
    MutableClock unused = clock; // the timers run on real time; the advertiser reads the stepped clock
    Peer alice = peer(DiscoveryOptions.builder().ttl(Duration.ofSeconds(10), Duration.ofMillis(200)).build());
    Peer bob = peer();
    List<AdvertiserEvent> published = new CopyOnWriteArrayList<>();
    alice.advertiser().addListener(published::add);
    DiscoveryAdvertisement v1 = alice.advertiser().advertise(spec("auto", "signing")).join();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> published.stream().filter(e -> e instanceof AdvertiserEvent.Published p && p.refresh()).count() >= 2);
    alice.system().close(); // stops the refreshes (and withdraws)
    assertThat(bob.events()).filteredOn(e -> e instanceof DiscoveryEvent.Updated).hasSizeGreaterThanOrEqualTo(2);
    for (DiscoveryEvent e : bob.events()) {
      if (e instanceof DiscoveryEvent.Updated u) {
        assertThat(u.advertisement().createdAt()).isGreaterThan(u.previous().createdAt());
        assertThat(AdvertisementSigner.verify(u.advertisement())).contains(alice.key().publicKey());
      }
    }
    assertThat(bob.events().get(bob.events().size() - 1)).isInstanceOf(DiscoveryEvent.Expired.class);
    assertThat(unused.millis()).isEqualTo(T0);
  }

  @Test
  void forgedAndWronglyAuthoredAdvertisementsAreRefusedEverywhere() {
    Peer alice = peer();
    Peer bob = peer();
    Peer carol = peer();
    TestAds.Identity mallory = TestAds.identity();
    DiscoveryAdvertisement genuine = alice.advertiser().advertise(spec("a-1", "signing")).join();
    // Mallory republishes Alice's advertisement, modified and not, under his own author ID
    hub.inject(genuine.topic(), AdvertisementJson.write(genuine.toBuilder().id("a-2").build()), mallory.peerId());
    // Mallory signs an advertisement in Alice's name with his own key, published as Alice
    DiscoveryAdvertisement inAlicesName =
        AdvertisementSigner.sign(
            genuine.toBuilder().id("a-3").capabilities(List.of("signing", "admin")), mallory.key());
    hub.inject(genuine.topic(), AdvertisementJson.write(inAlicesName), mallory.peerId());
    // a tampered copy arriving with Alice as author (GossipSub would refuse it; belt and braces)
    DiscoveryAdvertisement tampered = genuine.toBuilder().id("a-4").capabilities(List.of("everything")).build();
    hub.inject(genuine.topic(), AdvertisementJson.write(tampered), alice.node().id);
    // and garbage
    hub.inject(genuine.topic(), "{\"id\":1}".getBytes(), mallory.peerId());

    for (Peer p : List.of(bob, carol)) {
      assertThat(p.discoverer().cached(DiscoveryCriteria.forProtocol(PROTO))).containsExactly(genuine);
      var stats = p.system().validator().stats();
      assertThat(stats.rejected(Rejection.WRONG_AUTHOR)).isEqualTo(2);
      assertThat(stats.rejected(Rejection.BAD_SIGNATURE)).isEqualTo(1);
      assertThat(p.discoverer().stats().malformed()).isEqualTo(1);
      assertThat(p.system().validator().reputation(mallory.peerId())).isEqualTo(60);
    }
  }

  @Test
  void withdrawStopsTheAdvertisementEverywhere() {
    Peer alice = peer();
    Peer bob = peer();
    DiscoveryAdvertisement ad = alice.advertiser().advertise(spec("a-1", "signing")).join();
    assertThat(hub.resourceCount()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(5));
    assertThat(alice.advertiser().withdraw("a-1").join()).isTrue();
    assertThat(alice.advertiser().isActive("a-1")).isFalse();
    assertThat(alice.advertiser().withdraw("a-1").join()).isFalse();
    assertThat(hub.resourceCount()).isZero();
    assertThat(bob.events()).contains(new DiscoveryEvent.Expired(ad, Reason.WITHDRAWN));
    assertThat(bob.discoverer().discover(DiscoveryCriteria.forProtocol(PROTO)).join()).isEmpty();
    // a stale copy (for example from another node's DHT cache) does not bring it back
    hub.putResource(alice.node().id, DiscoveryDiscoverer.RESOURCE_TYPE, "a-1", AdvertisementJson.toTree(ad), ad.expiresAt());
    assertThat(bob.discoverer().discover(DiscoveryCriteria.forProtocol(PROTO)).join()).isEmpty();
    assertThatThrownBy(() -> alice.advertiser().refresh("a-1").join())
        .hasCauseInstanceOf(DiscoveryException.class)
        .hasMessageContaining("not active");
  }

  @Test
  void expiredAdvertisementsLeaveTheCacheWithAnEvent() {
    Peer alice = peer(DiscoveryOptions.builder().autoRefresh(false).build());
    Peer bob = peer();
    DiscoveryAdvertisement ad = alice.advertiser().advertise(spec("a-1", "signing")).join();
    clock.advance(Duration.ofMinutes(29));
    assertThat(bob.discoverer().removeExpired()).isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThat(bob.discoverer().cached(DiscoveryCriteria.forProtocol(PROTO))).isEmpty();
    assertThat(bob.discoverer().removeExpired()).isEqualTo(1);
    assertThat(bob.events()).contains(new DiscoveryEvent.Expired(ad, Reason.EXPIRED));
  }

  @Test
  void subscriptionsOfOneTopicCoexistAndNeverLapse() {
    Peer alice = peer();
    Peer bob = peer(DiscoveryOptions.builder().listen(false).build());
    List<DiscoveryAdvertisement> first = new CopyOnWriteArrayList<>();
    List<DiscoveryAdvertisement> second = new CopyOnWriteArrayList<>();
    DiscoverySubscription s1 = bob.discoverer().subscribe(DiscoveryCriteria.forProtocol(PROTO), first::add).join();
    DiscoverySubscription s2 = bob.discoverer().subscribe(DiscoveryCriteria.builder(PROTO).capabilities("relay").build(), second::add).join();
    assertThat(bob.node().handlerCount("lotus/discovery/" + PROTO)).isEqualTo(1);

    alice.advertiser().advertise(spec("plain", "signing")).join();
    alice.advertiser().advertise(spec("relaying", "signing", "relay")).join();
    assertThat(first).extracting(DiscoveryAdvertisement::id).containsExactly("plain", "relaying");
    assertThat(second).extracting(DiscoveryAdvertisement::id).containsExactly("relaying");

    s1.close();
    assertThat(s1.isActive()).isFalse();
    // hours of silence: lotus-sdk dropped subscriptions idle for an hour
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofMinutes(30));
      bob.discoverer().removeExpired();
    }
    assertThat(s2.isActive()).isTrue();
    assertThat(bob.discoverer().subscriptions()).containsExactly(s2);
    clock.advance(Duration.ofMinutes(1));
    alice.advertiser().advertise(spec("later", "relay")).join();
    assertThat(second).extracting(DiscoveryAdvertisement::id).containsExactly("relaying", "later");
    assertThat(first).hasSize(2);
    s2.close();
    assertThat(bob.node().handlerCount("lotus/discovery/" + PROTO)).isZero();
  }

  @Test
  void subscriptionsComeBackAfterTheNodeRestarts() {
    Peer alice = peer();
    Peer bob = peer(DiscoveryOptions.builder().listen(false).build());
    List<DiscoveryAdvertisement> got = new CopyOnWriteArrayList<>();
    bob.discoverer().subscribe(DiscoveryCriteria.forProtocol(PROTO), got::add).join();
    bob.node().setRunning(false);
    assertThat(bob.discoverer().isListening(PROTO)).isFalse();
    bob.node().setRunning(true);
    assertThat(bob.discoverer().isListening(PROTO)).isTrue();
    assertThat(bob.node().subscribeCalls.get()).isEqualTo(2);
    alice.advertiser().advertise(spec("a-1", "signing")).join();
    assertThat(got).hasSize(1);
  }

  @Test
  void theAdvertiserKeepsToTheRateReceiversAccept() {
    Peer alice = peer();
    Peer bob = peer();
    for (int i = 0; i < 5; i++) {
      alice.advertiser().advertise(spec("a-" + i, "signing")).join();
    }
    assertThatThrownBy(() -> alice.advertiser().advertise(spec("a-5", "signing")).join())
        .hasCauseInstanceOf(DiscoveryException.class)
        .hasMessageContaining("a slot frees in");
    assertThat(alice.advertiser().isActive("a-5")).isFalse();
    assertThatThrownBy(() -> alice.advertiser().refresh("a-0").join()).hasMessageContaining("at most 5");
    clock.advance(Duration.ofSeconds(60));
    alice.advertiser().advertise(spec("a-5", "signing")).join();
    // every version was accepted: the advertiser never exceeded what receivers allow
    assertThat(bob.discoverer().cached(DiscoveryCriteria.forProtocol(PROTO))).hasSize(6);
    assertThat(bob.system().validator().stats().rejected(Rejection.RATE_LIMITED)).isZero();
    assertThatThrownBy(() -> alice.advertiser().advertise(spec("a-0", "signing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already active");
  }

  @Test
  void publicationFailuresAreReportedNotSwallowed() {
    Peer alice = peer(DiscoveryOptions.builder().retries(3, Duration.ofMillis(10)).build());
    List<AdvertiserEvent> events = new CopyOnWriteArrayList<>();
    alice.advertiser().addListener(events::add);
    alice.node().failPublishes = 3;
    Throwable t = catchCause(() -> alice.advertiser().advertise(spec("a-1", "signing")).join());
    assertThat(t).isInstanceOf(AdvertisementPublishException.class);
    AdvertisementPublishException x = (AdvertisementPublishException) t;
    assertThat(x.gossipFailure()).isPresent();
    assertThat(x.dhtFailure()).isEmpty();
    assertThat(x.advertisement().id()).isEqualTo("a-1");
    assertThat(alice.node().publishCalls.get()).isEqualTo(3);
    assertThat(alice.advertiser().isActive("a-1")).isTrue();
    assertThat(events).anyMatch(e -> e instanceof AdvertiserEvent.PublishFailed f && f.id().equals("a-1"));

    // two failed attempts then success: the retries hide it
    alice.node().failPublishes = 2;
    alice.node().failAnnounce = true;
    Throwable dht = catchCause(() -> alice.advertiser().advertise(spec("a-2", "signing")).join());
    assertThat(((AdvertisementPublishException) dht).gossipFailure()).isEmpty();
    assertThat(((AdvertisementPublishException) dht).dhtFailure().get()).hasMessageContaining("no DHT peer");
  }

  @Test
  void muSig2AdvertisementsCarryTheSignersKeyWhereReceiversLook() {
    Peer alice = peer();
    Peer bob = peer();
    DiscoveryAdvertisement signer =
        alice.advertiser().advertise(AdvertisementSpec.builder().protocol("musig2").capabilities("musig2-signer").build()).join();
    assertThat(signer.publicKey()).contains(alice.key().publicKey());
    assertThat(signer.peerInfo().publicKey()).isEmpty();
    DiscoveryAdvertisement request =
        alice.advertiser().advertise(AdvertisementSpec.builder().protocol("musig2-request").build()).join();
    assertThat(request.creatorPublicKey()).contains(alice.key().publicKey());
    assertThat(bob.discoverer().discover(DiscoveryCriteria.forProtocol("musig2")).join()).containsExactly(signer);
    assertThat(bob.discoverer().discover(DiscoveryCriteria.forProtocol("musig2-request")).join()).containsExactly(request);
    assertThat(bob.discoverer().cacheEntry(request.key()).orElseThrow().signerKey()).isEqualTo(alice.key().publicKey());
  }

  @Test
  void resultsAreOrderedByTheReputationKeptHere() {
    Peer alice = peer();
    Peer bob = peer();
    Peer carol = peer();
    DiscoveryAdvertisement a = alice.advertiser().advertise(AdvertisementSpec.builder().id("a").reputation(100).build()).join();
    DiscoveryAdvertisement b = bob.advertiser().advertise(AdvertisementSpec.builder().id("b").reputation(0).build()).join();
    carol.system().validator().updateReputation(bob.node().id, true, 5);
    assertThat(carol.discoverer().cached(DiscoveryCriteria.forProtocol(PROTO))).containsExactly(b, a);
    assertThat(carol.discoverer().cached(DiscoveryCriteria.builder(PROTO).maxResults(1).build())).containsExactly(b);
    assertThat(carol.discoverer().cached(DiscoveryCriteria.builder(PROTO).minReputation(80).build())).containsExactly(b);
  }

  @Test
  void aSlowSubscriberLosesOnlyItsOwnDeliveriesAndCountsThem() {
    Peer alice = peer(DiscoveryOptions.builder().rateLimit(50, Duration.ofSeconds(60)).build());
    Peer bob = peer(DiscoveryOptions.builder().queueCapacity(2).securityPolicy(
        DiscoverySecurityPolicy.builder().rateLimit(50, Duration.ofSeconds(60)).build()).build());
    List<Runnable> parked = new ArrayList<>();
    bob.node().callbacks = parked::add; // nothing runs until the test says so
    List<DiscoveryAdvertisement> got = new CopyOnWriteArrayList<>();
    DiscoverySubscription slow = bob.discoverer().subscribe(DiscoveryCriteria.forProtocol(PROTO), got::add).join();
    List<DiscoveryEvent> slowEvents = new CopyOnWriteArrayList<>();
    bob.discoverer().addListener(slowEvents::add);
    for (int i = 0; i < 5; i++) {
      alice.advertiser().advertise(spec("a-" + i)).join();
    }
    assertThat(slow.dropped()).isEqualTo(3);
    assertThat(bob.discoverer().stats().droppedDeliveries()).isEqualTo(3);
    assertThat(bob.discoverer().stats().droppedEvents()).isEqualTo(3);
    assertThat(bob.discoverer().cached(DiscoveryCriteria.forProtocol(PROTO))).hasSize(5);
    while (!parked.isEmpty()) {
      parked.remove(0).run();
    }
    assertThat(got).hasSize(2);
    assertThat(slowEvents).hasSize(2);
    // the listener added before the callbacks were parked saw everything
    assertThat(bob.events()).hasSize(5);
  }

  private static Throwable catchCause(Runnable r) {
    try {
      r.run();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("no failure");
  }
}
