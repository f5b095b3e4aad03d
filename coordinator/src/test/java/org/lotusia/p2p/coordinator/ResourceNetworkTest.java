package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.TestNodes.WAIT;
import static org.lotusia.p2p.coordinator.TestNodes.connect;
import static org.lotusia.p2p.coordinator.TestNodes.join;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
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

/**
 * Twenty coordinators on loopback announce resources of three types; every node finds every live
 * one by type and by key, and none that expired or was forged; a node that restarts with its
 * identity keeps serving its resources.
 */
class ResourceNetworkTest {

  private static final int NODES = 20;
  private static final List<String> TYPES = List.of("pool", "session", "service");

  private final TestNodes nodes = new TestNodes();
  private Host forger;
  private KadDht forgerDht;

  @AfterEach
  void close() {
    if (forgerDht != null) {
      forgerDht.close();
    }
    if (forger != null) {
      forger.closeAsync().join();
    }
    nodes.close();
  }

  @Test
  void everyNodeFindsEveryLiveResourceAndNoExpiredOrForgedOne() {
    P2PCoordinator seed = nodes.start();
    String seedAddr = TestNodes.addr(seed);
    List<P2PCoordinator> all = new ArrayList<>();
    all.add(seed);
    for (int i = 1; i < NODES; i++) {
      all.add(nodes.start(b -> b.bootstrapPeers(seedAddr)));
    }
    for (P2PCoordinator n : all) {
      await().atMost(WAIT).until(() -> n.getDHTStats().routingTableSize() >= 1);
    }
    // one live resource per node, spread over three types; one that expires soon
    for (int i = 0; i < NODES; i++) {
      String type = TYPES.get(i % TYPES.size());
      join(all.get(i).announceResource(type, "r" + i, Map.of("node", i), AnnounceOptions.ttl(Duration.ofMinutes(10))));
    }
    join(all.get(7).announceResource("pool", "expiring", Map.of("node", 7), AnnounceOptions.until(Instant.now().plusSeconds(4))));
    assertThat(join(all.get(0).discoverResource("pool", "expiring"))).isPresent();
    forge(seedAddr, all.get(3));

    await().atMost(WAIT).until(() -> join(all.get(0).discoverResource("pool", "expiring")).isEmpty());
    for (P2PCoordinator n : all) {
      for (int t = 0; t < TYPES.size(); t++) {
        String type = TYPES.get(t);
        Set<String> want = new java.util.HashSet<>();
        for (int i = t; i < NODES; i += TYPES.size()) {
          want.add("r" + i);
        }
        await()
            .atMost(WAIT)
            .untilAsserted(
                () ->
                    assertThat(ids(join(n.discoverResources(type))))
                        .as("%s on %s", type, n.peerId())
                        .isEqualTo(want));
      }
      var forged = join(n.discoverResource("pool", "r3"));
      assertThat(forged).isPresent();
      assertThat(forged.get().data().get("node").asInt()).isEqualTo(3);
    }

    // a restart with the same identity keeps serving
    P2PCoordinator restarted = all.get(5);
    String id = restarted.peerId();
    join(restarted.stop());
    join(restarted.start());
    assertThat(restarted.peerId()).isEqualTo(id);
    await().atMost(WAIT).until(() -> restarted.getDHTStats().routingTableSize() >= 1);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(ids(join(all.get(11).discoverResources(TYPES.get(5 % 3))))).contains("r5"));
  }

  private static Set<String> ids(List<ResourceAnnouncement> list) {
    return list.stream().map(ResourceAnnouncement::resourceId).collect(Collectors.toSet());
  }

  /** A host with a DHT that accepts anything puts a record in node 3's name. */
  private void forge(String seedAddr, P2PCoordinator victim) {
    forger = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
    forger.start().join();
    forgerDht =
        new KadDht(
            forger,
            KadDhtConfig.builder()
                .protocolId(ProtocolIds.KAD)
                .unnamespacedValidator((k, v) -> {})
                .unnamespacedSelector((k, v) -> 0)
                .build());
    forgerDht.start();
    forger.dial(Multiaddr.parse(seedAddr)).join();
    await().atMost(WAIT).until(() -> forgerDht.routingTableSize() >= 1);
    join(forgerDht.bootstrap());
    ResourceAnnouncement fake =
        new ResourceAnnouncement(
            "r3",
            "pool",
            victim.peerId(),
            Json.toTree(Map.of("node", 666)),
            System.currentTimeMillis() + 1000,
            OptionalLong.empty(),
            Keys.generateEd25519().sign("x".getBytes(StandardCharsets.UTF_8)),
            false);
    // every server refuses it: the signature does not verify for the creator it names
    List<?> storedAt =
        forgerDht
            .put(fake.key().getBytes(StandardCharsets.UTF_8), ResourceCodec.encode(fake))
            .handle((v, e) -> e == null ? v : List.of())
            .join();
    assertThat(storedAt).isEmpty();
  }
}
