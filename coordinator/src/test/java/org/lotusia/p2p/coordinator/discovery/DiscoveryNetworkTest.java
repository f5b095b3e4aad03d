package org.lotusia.p2p.coordinator.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.discovery.DiscoveryNodes.WAIT;
import static org.lotusia.p2p.coordinator.discovery.DiscoveryNodes.join;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.TopicMessage;
import org.lotusia.p2p.coordinator.discovery.DiscoveryEvent.Expired.Reason;
import org.lotusia.p2p.coordinator.discovery.ValidationVerdict.Rejection;
import org.lotusia.p2p.coordinator.internal.Json;

/**
 * Four coordinators with discovery systems and one bare coordinator (Mallory) on loopback: an
 * advertisement published on one is received by the subscribers of the others and found by their
 * discover; a refresh is re-signed and accepted; forged and wrongly authored advertisements are
 * refused by every receiver; withdraw stops it everywhere; a subscription survives a restart of its
 * coordinator; lotus-sdk's exact JSON is accepted and ours reads with lotus-sdk's rules.
 */
class DiscoveryNetworkTest {

  private static final String PROTO = "test-proto";
  private static final String TOPIC = "lotus/discovery/" + PROTO;

  private final DiscoveryNodes nodes = new DiscoveryNodes();
  private final List<P2PCoordinator> coordinators = new ArrayList<>();
  private final List<DiscoverySystem> systems = new ArrayList<>();
  private final List<List<DiscoveryEvent>> events = new ArrayList<>();
  private P2PCoordinator mallory;
  private final List<TopicMessage> malloryHeard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void network() {
    P2PCoordinator seed = nodes.coordinator();
    coordinators.add(seed);
    for (int i = 1; i < 4; i++) {
      coordinators.add(nodes.coordinator(DiscoveryNodes.addr(seed)));
    }
    mallory = nodes.coordinator(DiscoveryNodes.addr(seed));
    for (P2PCoordinator c : coordinators) {
      DiscoverySystem s = nodes.system(c, PROTO, DiscoveryOptions.DEFAULT);
      List<DiscoveryEvent> seen = new CopyOnWriteArrayList<>();
      s.discoverer().addListener(seen::add);
      systems.add(s);
      events.add(seen);
    }
    join(mallory.subscribeToTopic(TOPIC, malloryHeard::add));
    // GossipSub must know who follows the topic before a publication reaches everyone
    for (P2PCoordinator c : coordinators) {
      await().atMost(WAIT).until(() -> c.getTopicPeers(TOPIC).size() >= 1);
    }
    await().atMost(WAIT).until(() -> coordinators.get(0).getDHTStats().routingTableSize() >= 3);
  }

  /** Connects Mallory to every receiver and waits until GossipSub knows each one follows the topic. */
  private void malloryFollowsEveryReceiver() {
    for (P2PCoordinator c : coordinators) {
      join(mallory.connectToPeer(DiscoveryNodes.addr(c)));
    }
    await().atMost(WAIT).until(() -> mallory.getTopicPeers(TOPIC).size() >= coordinators.size());
  }

  @AfterEach
  void close() {
    nodes.close();
  }

  private DiscoverySystem alice() {
    return systems.get(0);
  }

  private List<DiscoverySystem> receivers() {
    return systems.subList(1, systems.size());
  }

  @Test
  void publishedOnOneReceivedByTheSubscribersAndFoundByDiscoverOfTheOthers() {
    List<List<DiscoveryAdvertisement>> got = new ArrayList<>();
    for (DiscoverySystem r : receivers()) {
      List<DiscoveryAdvertisement> l = new CopyOnWriteArrayList<>();
      join(r.discoverer().subscribe(DiscoveryCriteria.builder(PROTO).capabilities("signing").build(), l::add));
      got.add(l);
    }
    DiscoveryAdvertisement ad =
        join(alice().advertiser().advertise(AdvertisementSpec.builder().id("alice-1").capabilities("signing").build()));
    for (List<DiscoveryAdvertisement> l : got) {
      await().atMost(WAIT).untilAsserted(() -> assertThat(l).containsExactly(ad));
    }
    // a node that joins later finds it in the DHT
    P2PCoordinator late = nodes.coordinator(DiscoveryNodes.addr(coordinators.get(0)));
    await().atMost(WAIT).until(() -> late.getDHTStats().routingTableSize() >= 1);
    DiscoverySystem lateSystem =
        nodes.system(late, PROTO, DiscoveryOptions.builder().listen(false).build());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(join(lateSystem.discoverer().discover(DiscoveryCriteria.forProtocol(PROTO)))).containsExactly(ad));
    assertThat(lateSystem.discoverer().cacheEntry(ad.key()).orElseThrow().source()).isEqualTo(AdvertisementSource.DHT);

    // refresh: a new signature, accepted by every receiver
    DiscoveryAdvertisement v2 = join(alice().advertiser().refresh("alice-1"));
    assertThat(v2.createdAt()).isGreaterThan(ad.createdAt());
    for (int i = 1; i < systems.size(); i++) {
      List<DiscoveryEvent> seen = events.get(i);
      await().atMost(WAIT).untilAsserted(() -> assertThat(seen).contains(new DiscoveryEvent.Updated(ad, v2, AdvertisementSource.GOSSIPSUB)));
      assertThat(systems.get(i).discoverer().cached(DiscoveryCriteria.forProtocol(PROTO))).containsExactly(v2);
    }

    // withdraw: gone everywhere, also from discover
    assertThat(join(alice().advertiser().withdraw("alice-1"))).isTrue();
    for (int i = 1; i < systems.size(); i++) {
      List<DiscoveryEvent> seen = events.get(i);
      DiscoverySystem s = systems.get(i);
      await().atMost(WAIT).untilAsserted(() -> assertThat(seen).contains(new DiscoveryEvent.Expired(v2, Reason.WITHDRAWN)));
      assertThat(join(s.discoverer().discover(DiscoveryCriteria.forProtocol(PROTO)))).isEmpty();
    }
  }

  @Test
  void forgedAndWronglyAuthoredAdvertisementsAreRefusedByEveryReceiver() {
    DiscoveryAdvertisement genuine =
        join(alice().advertiser().advertise(AdvertisementSpec.builder().id("alice-1").capabilities("signing").build()));
    for (DiscoverySystem r : receivers()) {
      await().atMost(WAIT).until(() -> r.discoverer().cacheEntry(genuine.key()).isPresent());
    }
    PrivateKey malloryKey = PrivateKey.random(new java.security.SecureRandom());
    // 1. Alice's advertisement, changed, published by Mallory
    byte[] copy = AdvertisementJson.write(genuine.toBuilder().id("alice-2").build());
    // 2. an advertisement in Alice's name signed with Mallory's key
    byte[] inHerName =
        AdvertisementJson.write(
            AdvertisementSigner.sign(
                genuine.toBuilder().id("alice-3").peerInfo(genuine.peerInfo().withPublicKey(malloryKey.publicKey())),
                malloryKey));
    // 3. Mallory's own advertisement with a signature that does not match
    DiscoveryAdvertisement own =
        AdvertisementSigner.sign(
            genuine.toBuilder()
                .id("mallory-1")
                .peerInfo(DiscoveryPeerInfo.of(mallory.peerId(), List.of(DiscoveryNodes.addr(mallory))).withPublicKey(malloryKey.publicKey())),
            malloryKey);
    byte[] tampered = AdvertisementJson.write(own.toBuilder().capabilities(List.of("admin")).build());
    // receivers drop what they refuse instead of forwarding it: Mallory reaches each one directly
    malloryFollowsEveryReceiver();
    for (byte[] b : List.of(copy, inHerName, tampered)) {
      join(mallory.publishToTopic(TOPIC, b));
    }
    for (DiscoverySystem r : receivers()) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                var stats = r.validator().stats();
                assertThat(stats.rejected(Rejection.WRONG_AUTHOR)).isEqualTo(2);
                assertThat(stats.rejected(Rejection.BAD_SIGNATURE)).isEqualTo(1);
              });
      assertThat(r.discoverer().cached(DiscoveryCriteria.forProtocol(PROTO))).containsExactly(genuine);
      assertThat(r.validator().reputation(mallory.peerId())).isEqualTo(60);
    }
  }

  @Test
  void aSubscriptionSurvivesARestartOfItsCoordinator() {
    DiscoverySystem bob = systems.get(1);
    P2PCoordinator bobNode = coordinators.get(1);
    List<DiscoveryAdvertisement> got = new CopyOnWriteArrayList<>();
    DiscoverySubscription sub = join(bob.discoverer().subscribe(DiscoveryCriteria.forProtocol(PROTO), got::add));
    join(bobNode.stop());
    await().atMost(WAIT).until(() -> !bob.discoverer().isListening(PROTO));
    join(bobNode.start()); // redials its bootstrap peer
    await().atMost(WAIT).until(() -> bob.discoverer().isListening(PROTO));
    await().atMost(WAIT).until(() -> coordinators.get(0).getTopicPeers(TOPIC).contains(bobNode.peerId()));
    DiscoveryAdvertisement ad =
        join(alice().advertiser().advertise(AdvertisementSpec.builder().id("after-restart").build()));
    await().atMost(WAIT).untilAsserted(() -> assertThat(got).containsExactly(ad));
    assertThat(sub.isActive()).isTrue();
  }

  @Test
  void lotusSdkJsonIsAcceptedAndOursReadsWithLotusSdkRules() {
    // An advertisement exactly as lotus-sdk's serializeForTransport writes it (reference 5.2),
    // signed as its DHTAdvertiser signs (5.3) with the vector key, published by Mallory's node.
    String peerId = mallory.peerId();
    String addr = DiscoveryNodes.addr(mallory);
    long createdAt = System.currentTimeMillis();
    long expiresAt = createdAt + 1_800_000;
    String message = peerId + "[\"" + addr + "\"]" + PROTO + "[\"signing\"]" + createdAt + expiresAt;
    byte[] sig = LotusSchnorr.sign(java.math.BigInteger.ONE, Hashes.sha256(message.getBytes(StandardCharsets.UTF_8)));
    String json =
        "{\"id\":\"ad-1\",\"protocol\":\"" + PROTO + "\",\"peerInfo\":{\"peerId\":\"" + peerId
            + "\",\"multiaddrs\":[\"" + addr + "\"],\"publicKey\":"
            + "\"0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798\"},"
            + "\"capabilities\":[\"signing\"],\"signature\":\"" + HexFormat.of().formatHex(sig) + "\","
            + "\"createdAt\":" + createdAt + ",\"expiresAt\":" + expiresAt + ",\"reputation\":80}";
    malloryFollowsEveryReceiver(); // a publication before that may find no topic peer
    join(mallory.publishToTopic(TOPIC, json.getBytes(StandardCharsets.UTF_8)));
    for (int i = 0; i < systems.size(); i++) {
      List<DiscoveryEvent> seen = events.get(i);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(seen)
                      .anySatisfy(
                          e -> {
                            assertThat(e).isInstanceOf(DiscoveryEvent.Discovered.class);
                            assertThat(e.advertisement().id()).isEqualTo("ad-1");
                            assertThat(e.advertisement().peerInfo().peerId()).isEqualTo(peerId);
                          }));
      assertThat(new String(AdvertisementJson.write(seen.get(0).advertisement()), StandardCharsets.UTF_8)).isEqualTo(json);
    }

    // Ours, as Mallory's node (standing in for a lotus-sdk reader) hears it on the wire.
    DiscoveryAdvertisement ours =
        join(alice().advertiser().advertise(AdvertisementSpec.builder().id("ours").capabilities("signing", "relay").build()));
    await().atMost(WAIT).until(() -> malloryHeard.stream().anyMatch(m -> m.text().contains("\"ours\"")));
    TopicMessage heard = malloryHeard.stream().filter(m -> m.text().contains("\"ours\"")).findFirst().orElseThrow();
    assertThat(heard.from()).contains(coordinators.get(0).peerId());
    JsonNode t = Json.parse(heard.data(), "advertisement");
    assertThat(t.get("id").textValue()).isEqualTo("ours");
    assertThat(t.get("protocol").textValue()).isEqualTo(PROTO);
    assertThat(t.get("signature").textValue()).matches("[0-9a-f]{128}");
    assertThat(HexFormat.of().parseHex(t.get("signature").textValue())[0]).isNotEqualTo((byte) 0x30);
    assertThat(t.get("peerInfo").get("publicKey").textValue()).matches("0[23][0-9a-f]{64}");
    assertThat(t.get("createdAt").isIntegralNumber()).isTrue();
    // lotus-sdk's constructSignedMessage over the parsed JSON, and its verification
    String lotusMessage =
        t.get("peerInfo").get("peerId").textValue()
            + t.get("peerInfo").get("multiaddrs").toString()
            + t.get("protocol").textValue()
            + t.get("capabilities").toString()
            + t.get("createdAt").asLong()
            + t.get("expiresAt").asLong();
    assertThat(
            LotusSchnorr.verify(
                HexFormat.of().parseHex(t.get("signature").textValue()),
                HexFormat.of().parseHex(t.get("peerInfo").get("publicKey").textValue()),
                Hashes.sha256(lotusMessage.getBytes(StandardCharsets.UTF_8))))
        .isTrue();
    assertThat(ours.id()).isEqualTo("ours");
  }
}
