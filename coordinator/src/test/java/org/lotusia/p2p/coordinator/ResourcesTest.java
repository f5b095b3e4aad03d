package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.TestNodes.WAIT;
import static org.lotusia.p2p.coordinator.TestNodes.connect;
import static org.lotusia.p2p.coordinator.TestNodes.join;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.protocol.kad.KadDht;
import org.lotusia.libp2p.protocol.kad.KadDhtConfig;
import org.lotusia.p2p.coordinator.internal.Json;
import org.lotusia.p2p.coordinator.resource.ResourceCodec;
import org.lotusia.p2p.coordinator.resource.ResourceSigner;
import org.lotusia.p2p.security.SecurityLimits;

class ResourcesTest {

  private final TestNodes nodes = new TestNodes();

  @AfterEach
  void close() {
    nodes.close();
  }

  /** A triangle of DHT servers, all routing tables filled. */
  private List<P2PCoordinator> network(int n) {
    return network(n, b -> b);
  }

  /** The same, each node's configuration changed by {@code change}. */
  private List<P2PCoordinator> network(int n, java.util.function.UnaryOperator<P2PConfigBuilder> change) {
    List<P2PCoordinator> list = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(nodes.start(change));
    }
    for (int i = 1; i < n; i++) {
      connect(list.get(i), list.get(0));
    }
    for (P2PCoordinator c : list) {
      await().atMost(WAIT).until(() -> c.getDHTStats().routingTableSize() >= 1);
    }
    return list;
  }

  @Test
  void aResourceAnnouncedOnOneNodeIsFoundByKeyOnAnother() {
    List<P2PCoordinator> net = network(3);
    P2PCoordinator a = net.get(1);
    P2PCoordinator b = net.get(2);
    ResourceAnnouncement ann =
        join(a.announceResource("session", "s-1", Map.of("status", "active"), AnnounceOptions.ttl(Duration.ofMinutes(5))));
    assertThat(ann.authenticated()).isTrue();
    assertThat(ann.creatorPeerId()).isEqualTo(a.peerId());
    assertThat(ann.expiresAt().getAsLong() - ann.createdAt()).isEqualTo(300_000);

    Optional<ResourceAnnouncement> found = join(b.discoverResource("session", "s-1"));
    assertThat(found).isPresent();
    assertThat(found.get().data().get("status").asText()).isEqualTo("active");
    assertThat(found.get().authenticated()).isTrue();
    assertThat(b.getResource("session", "s-1")).isPresent();
    assertThat(join(b.discoverResource("session", "nope"))).isEmpty();
  }

  @Test
  void discoverResourcesFindsEveryResourceOfATypeAcrossTheNetwork() {
    List<P2PCoordinator> net = network(4);
    join(net.get(1).announceResource("pool", "p1", Map.of("denomination", 1000)));
    join(net.get(2).announceResource("pool", "p2", Map.of("denomination", 5000)));
    join(net.get(2).announceResource("other", "o1", Map.of("denomination", 1000)));
    join(net.get(0).announceResource("pool", "p0", Map.of("denomination", 1000)));

    List<ResourceAnnouncement> all = join(net.get(3).discoverResources("pool"));
    assertThat(all).extracting(ResourceAnnouncement::resourceId).containsExactlyInAnyOrder("p0", "p1", "p2");
    List<ResourceAnnouncement> small =
        join(net.get(3).discoverResources("pool", Map.of("denomination", 1000), WAIT));
    assertThat(small).extracting(ResourceAnnouncement::resourceId).containsExactlyInAnyOrder("p0", "p1");
    assertThat(net.get(3).getLocalResources("pool", Map.of())).hasSize(3);
  }

  @Test
  void aNewerAnnouncementReplacesTheOlderEverywhereAndAReplayedOlderCopyNeverWins() {
    // servers accept a new copy of a key after 200 ms here (30 s by default)
    SecurityLimits fast = SecurityLimits.builder().minDhtAnnouncementInterval(Duration.ofMillis(200)).build();
    List<P2PCoordinator> net = network(3, b -> b.securityLimits(fast));
    P2PCoordinator owner = net.get(1);
    join(owner.announceResource("doc", "d", Map.of("v", 1)));
    ResourceAnnouncement v1 = join(net.get(2).discoverResource("doc", "d")).orElseThrow();
    assertThat(v1.data().get("v").asInt()).isEqualTo(1);
    join(owner.announceResource("doc", "d", Map.of("v", 2)));
    assertThat(owner.getResource("doc", "d").get().data().get("v").asInt()).isEqualTo(2);
    List<P2PCoordinator> readers = List.of(net.get(0), net.get(2));
    for (P2PCoordinator reader : readers) {
      await().atMost(WAIT).until(() -> version(reader) == 2);
    }

    // the genuine, validly signed first copy is put again by a third party: no server or reader prefers it
    Host replayer = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
    replayer.start().join();
    KadDht dht =
        new KadDht(
            replayer,
            KadDhtConfig.builder()
                .protocolId(ProtocolIds.KAD)
                .unnamespacedValidator((k, v) -> {})
                .unnamespacedSelector((k, v) -> 0)
                .build());
    try {
      dht.start();
      replayer.dial(Multiaddr.parse(TestNodes.addr(net.get(0)))).join();
      await().atMost(WAIT).until(() -> dht.routingTableSize() >= 1);
      join(dht.bootstrap());
      dht.put(v1.key().getBytes(StandardCharsets.UTF_8), ResourceCodec.encode(v1))
          .handle((v, e) -> null)
          .join();
      for (P2PCoordinator reader : readers) {
        assertThat(version(reader)).isEqualTo(2);
      }
    } finally {
      dht.close();
      replayer.closeAsync().join();
    }
  }

  private static int version(P2PCoordinator reader) {
    return join(reader.discoverResource("doc", "d")).map(a -> a.data().get("v").asInt()).orElse(0);
  }

  @Test
  void aWithdrawnResourceDisappearsFromTheDhtAndFreesItsQuotaSlotAtEveryStoringPeer() {
    // two resources of a type per peer at each storing peer; a new copy of a key after 200 ms
    SecurityLimits limits =
        SecurityLimits.builder()
            .maxDhtResourcesPerTypePerPeer(2)
            .minDhtAnnouncementInterval(Duration.ofMillis(200))
            .build();
    List<P2PCoordinator> net = network(3, b -> b.securityLimits(limits));
    P2PCoordinator owner = net.get(1);
    P2PCoordinator reader = net.get(2);
    join(owner.announceResource("job", "a", Map.of("n", 1)));
    join(owner.announceResource("job", "b", Map.of("n", 2)));
    assertThat(join(reader.discoverResource("job", "a"))).isPresent();
    // a third is refused by both storing peers: the quota is full
    assertThatThrownBy(() -> join(owner.announceResource("job", "c", Map.of("n", 3))))
        .hasMessageContaining("stored");
    owner.withdrawResource("job", "c");

    assertThat(owner.withdrawResource("job", "a")).isTrue();
    assertThat(owner.withdrawResource("job", "b")).isTrue();
    assertThat(owner.withdrawResource("job", "b")).isFalse();
    // the withdrawal records replace the copies and expire soon after, everywhere
    for (P2PCoordinator other : List.of(net.get(0), reader)) {
      await().atMost(WAIT).until(() -> join(other.discoverResource("job", "a")).isEmpty()
          && join(other.discoverResource("job", "b")).isEmpty());
    }
    // and the storing peers took the slots back: two new resources of the type are stored again
    join(owner.announceResource("job", "d", Map.of("n", 4)));
    join(owner.announceResource("job", "e", Map.of("n", 5)));
    assertThat(join(net.get(0).discoverResource("job", "e"))).isPresent();
    assertThat(owner.getLocalResources("job", Map.of()))
        .extracting(ResourceAnnouncement::resourceId)
        .containsExactlyInAnyOrder("d", "e");
  }

  @Test
  void expiredAnnouncementsAreNotFound() {
    List<P2PCoordinator> net = network(2);
    join(net.get(1).announceResource("t", "short", "x", AnnounceOptions.until(Instant.now().plusMillis(1500))));
    assertThat(join(net.get(0).discoverResource("t", "short"))).isPresent();
    await().atMost(WAIT).until(() -> join(net.get(0).discoverResource("t", "short")).isEmpty());
    assertThat(net.get(0).getResource("t", "short")).isEmpty();
    assertThat(net.get(1).getLocalResources("t", Map.of())).isEmpty();
  }

  @Test
  void anAnnouncementMadeBeforeThereAreAnyPeersIsQueuedAndReachesTheNetworkLater() {
    P2PCoordinator early = nodes.start();
    ResourceAnnouncement ann = join(early.announceResource("pool", "early", Map.of("n", 1)));
    assertThat(ann.authenticated()).isTrue();
    List<P2PCoordinator> net = network(2);
    connect(early, net.get(0));
    // the queue is flushed by the next publisher tick once the routing table has a peer
    await()
        .atMost(WAIT)
        .until(() -> join(net.get(1).discoverResource("pool", "early")).isPresent());
    assertThat(join(net.get(1).discoverResources("pool"))).extracting(ResourceAnnouncement::resourceId)
        .containsExactly("early");
  }

  @Test
  void aClientModeNodesAnnouncementsReachTheNetwork() {
    List<P2PCoordinator> net = network(3);
    P2PCoordinator client = nodes.start(b -> b.dhtServer(false));
    connect(client, net.get(0));
    await().atMost(WAIT).until(() -> client.getDHTStats().routingTableSize() >= 1);
    join(client.announceResource("wallet", "c-1", Map.of("kind", "client")));
    Optional<ResourceAnnouncement> found = join(net.get(2).discoverResource("wallet", "c-1"));
    assertThat(found).isPresent();
    assertThat(found.get().creatorPeerId()).isEqualTo(client.peerId());
    assertThat(join(net.get(1).discoverResources("wallet"))).extracting(ResourceAnnouncement::resourceId)
        .containsExactly("c-1");
  }

  @Test
  void aTtlAnnouncementIsRenewedBeforeItExpiresWhileItsOwnerRuns() {
    List<P2PCoordinator> net = network(3);
    ResourceAnnouncement first =
        join(net.get(1).announceResource("session", "renewed", "x", AnnounceOptions.ttl(AnnounceOptions.MIN_TTL)));
    // renewed at half the TTL (30 s): other nodes read a newer copy, signed again, with a later expiry
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                join(net.get(2).discoverResource("session", "renewed"))
                    .filter(a -> a.createdAt() > first.createdAt())
                    .isPresent());
    ResourceAnnouncement later = join(net.get(2).discoverResource("session", "renewed")).orElseThrow();
    assertThat(later.authenticated()).isTrue();
    assertThat(later.expiresAt().getAsLong() - later.createdAt()).isEqualTo(AnnounceOptions.MIN_TTL.toMillis());
    assertThat(later.expiresAt().getAsLong()).isGreaterThan(first.expiresAt().getAsLong());
  }

  @Test
  void aForgedRecordIsRefusedByEveryServerAndReader() {
    List<P2PCoordinator> net = network(3);
    P2PCoordinator victim = net.get(1);
    join(victim.announceResource("wallet", "w", Map.of("addr", "victim")));
    // another key signs a record claiming the victim as creator, and stores it with a raw DHT put
    var evilKey = Keys.generateEd25519();
    ResourceAnnouncement forged =
        new ResourceAnnouncement(
            "w",
            "wallet",
            victim.peerId(),
            Json.toTree(Map.of("addr", "attacker")),
            System.currentTimeMillis() + 1000,
            OptionalLong.empty(),
            evilKey.sign("anything".getBytes(StandardCharsets.UTF_8)),
            false);
    assertThat(ResourceSigner.verify(forged)).isEqualTo(ResourceSigner.Verdict.INVALID);
    assertThatThrownBy(
            () ->
                new org.lotusia.p2p.coordinator.resource.ResourceRecordPolicy(
                        java.time.Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofHours(48))
                    .check(forged.key().getBytes(StandardCharsets.UTF_8), ResourceCodec.encode(forged)))
        .hasMessageContaining("does not verify");
    Optional<ResourceAnnouncement> read = join(net.get(2).discoverResource("wallet", "w"));
    assertThat(read.get().data().get("addr").asText()).isEqualTo("victim");
  }

  @Test
  void aRestartedNodeKeepsServingItsResources() {
    List<P2PCoordinator> net = network(3);
    P2PCoordinator owner = net.get(1);
    String id = owner.peerId();
    join(owner.announceResource("svc", "s", Map.of("up", true)));
    join(owner.stop());
    assertThat(owner.connectionState()).isEqualTo(ConnectionState.DISCONNECTED);
    join(owner.start());
    assertThat(owner.peerId()).isEqualTo(id);
    connect(owner, net.get(0));
    // the restarted node listens on a new port: readers find it through its new provider record or
    // a peer lookup
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(join(net.get(2).discoverResources("svc")))
                    .extracting(ResourceAnnouncement::creatorPeerId)
                    .containsExactly(id));
    JsonNode data = join(net.get(2).discoverResource("svc", "s")).get().data();
    assertThat(data.get("up").asBoolean()).isTrue();
  }
}
