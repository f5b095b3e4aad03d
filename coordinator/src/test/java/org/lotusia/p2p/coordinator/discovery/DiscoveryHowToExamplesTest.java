package org.lotusia.p2p.coordinator.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.discovery.DiscoveryNodes.WAIT;

// howto:begin discovery-imports
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.discovery.AdvertisementJson;
import org.lotusia.p2p.coordinator.discovery.AdvertisementLimits;
import org.lotusia.p2p.coordinator.discovery.AdvertisementSigner;
import org.lotusia.p2p.coordinator.discovery.AdvertisementSpec;
import org.lotusia.p2p.coordinator.discovery.AdvertiserEvent;
import org.lotusia.p2p.coordinator.discovery.DiscoveryAdvertisement;
import org.lotusia.p2p.coordinator.discovery.DiscoveryCriteria;
import org.lotusia.p2p.coordinator.discovery.DiscoveryEvent;
import org.lotusia.p2p.coordinator.discovery.DiscoveryOptions;
import org.lotusia.p2p.coordinator.discovery.DiscoverySecurityPolicy;
import org.lotusia.p2p.coordinator.discovery.DiscoverySubscription;
import org.lotusia.p2p.coordinator.discovery.DiscoverySystem;
import org.lotusia.p2p.coordinator.discovery.GeoLocation;
import org.lotusia.p2p.coordinator.discovery.ValidationVerdict;
// howto:end discovery-imports

import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The discovery examples of docs/HOWTO.md, compiled and run on loopback coordinators. The regions
 * between the {@code howto:begin} and {@code howto:end} markers are compared with the document by
 * the node module's {@code HowToDocTest}.
 */
class DiscoveryHowToExamplesTest {

  private final DiscoveryNodes nodes = new DiscoveryNodes();

  @AfterEach
  void close() {
    nodes.close();
  }

  @Test
  void advertiseAndDiscover() {
    P2PCoordinator alice = nodes.coordinator();
    P2PCoordinator bob = nodes.coordinator(DiscoveryNodes.addr(alice));
    List<String> printed = new CopyOnWriteArrayList<>();

    // howto:begin discovery-setup
    // The wallet key signs advertisements (Lotus Schnorr); the node's libp2p identity publishes them.
    PrivateKey walletKey = PrivateKey.random(new SecureRandom());
    DiscoveryOptions options = DiscoveryOptions.builder()
        .ttl(Duration.ofMinutes(30), Duration.ofMinutes(20)) // lotus-sdk's defaults
        .build();
    DiscoverySystem signers = DiscoverySystem.create(alice, "swapsig", walletKey, options);
    signers.start().join(); // follows lotus/discovery/swapsig
    // howto:end discovery-setup

    DiscoverySystem bobSystem =
        nodes.system(bob, "swapsig", PrivateKey.random(new SecureRandom()), DiscoveryOptions.DEFAULT);
    await().atMost(WAIT).until(() -> alice.getTopicPeers("lotus/discovery/swapsig").size() >= 1);

    // howto:begin discovery-subscribe
    DiscoveryCriteria nearby = DiscoveryCriteria.builder("swapsig")
        .capabilities("coinjoin")
        .customCriterion("denomination", 1_000_000) // must equal the advertisement's
        .near(new GeoLocation(48.85, 2.35), 500) // km; advertisements without a location match too
        .build();
    DiscoverySubscription subscription = bobSystem.discoverer().subscribe(nearby, ad ->
        printed.add("pool of " + ad.peerInfo().peerId() + " at " + ad.peerInfo().multiaddrs()))
        .join();
    bobSystem.discoverer().addListener(event -> {
      if (event instanceof DiscoveryEvent.Expired e) {
        printed.add("gone: " + e.advertisement().id() + " (" + e.reason() + ")");
      }
    });
    // howto:end discovery-subscribe

    // howto:begin discovery-advertise
    signers.advertiser().addListener(event -> {
      if (event instanceof AdvertiserEvent.PublishFailed f) {
        System.err.println("advertisement " + f.id() + " not published: " + f.error());
      }
    });
    DiscoveryAdvertisement ad = signers.advertiser().advertise(AdvertisementSpec.builder()
            .id("pool-1")
            .capabilities("coinjoin", "relay")
            .customCriterion("denomination", 1_000_000)
            .location(new GeoLocation(50.85, 4.35))
            .metadata(Map.of("fee", 100))
            .build())
        .join(); // signed, on GossipSub and in the DHT; re-signed every 20 minutes
    // howto:end discovery-advertise

    await().atMost(WAIT).until(() -> printed.stream().anyMatch(s -> s.startsWith("pool of " + alice.peerId())));

    // howto:begin discovery-discover
    List<DiscoveryAdvertisement> pools = bobSystem.discoverer()
        .discover(DiscoveryCriteria.builder("swapsig").capabilities("coinjoin").maxResults(10).build())
        .join(); // the cache plus the DHT; best reputation first
    for (DiscoveryAdvertisement pool : pools) {
      double reputation = bobSystem.validator().reputation(pool.peerInfo().peerId()); // ours, not theirs
      printed.add(pool.id() + " reputation " + reputation);
    }
    // howto:end discovery-discover
    assertThat(pools).containsExactly(ad);

    // howto:begin discovery-withdraw
    signers.advertiser().withdraw("pool-1").join(); // receivers drop it now, not at expiry
    subscription.close();
    signers.close(); // withdraws what is left, ends timers
    // howto:end discovery-withdraw
    await().atMost(WAIT).until(() -> printed.contains("gone: pool-1 (WITHDRAWN)"));
  }

  @Test
  void policyAndLotusSdkJson() {
    P2PCoordinator node = nodes.coordinator();
    PrivateKey walletKey = PrivateKey.random(new SecureRandom());
    String lotusSdkJson = new String(
        AdvertisementJson.write(AdvertisementSigner.sign(
            AdvertisementSignatureTest.vectorDraft(), AdvertisementSignatureTest.KEY_ONE)),
        StandardCharsets.UTF_8);

    // howto:begin discovery-policy
    DiscoverySecurityPolicy policy = DiscoverySecurityPolicy.forProtocol("musig2") // reputation 70, 30 min
        .rateLimit(5, Duration.ofMinutes(1)) // new versions per advertiser
        .customValidator("needs-signer", ad -> ad.capabilities().contains("musig2-signer"))
        .build();
    DiscoverySystem musig2 = DiscoverySystem.create(node, "musig2", walletKey,
        DiscoveryOptions.builder().securityPolicy(policy).build());

    // An advertisement received some other way, in lotus-sdk's JSON:
    DiscoveryAdvertisement ad = AdvertisementJson.read(
        lotusSdkJson.getBytes(StandardCharsets.UTF_8), AdvertisementLimits.DEFAULT);
    boolean signed = AdvertisementSigner.verify(ad).isPresent(); // the key per lotus-sdk's rules
    ValidationVerdict verdict = musig2.discoverer().accept(ad, null); // all checks, then cached
    System.out.println(signed + " " + verdict.rejection().map(Enum::name).orElse("accepted"));
    musig2.close();
    // howto:end discovery-policy
    assertThat(signed).isTrue();
    // the vector is from 2023 and its peer ID is not a real one
    assertThat(verdict.accepted()).isFalse();
  }
}
