package org.lotusia.swapsig.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.chainsim.ChainSimulator;
import org.lotusia.chainsim.ledger.ChainParams;
import org.lotusia.chainsim.ledger.TxEntry;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.net.MuSig2Sessions;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.p2p.coordinator.MonitorConfig;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.swapsig.PoolFilter;
import org.lotusia.swapsig.SwapHandle;
import org.lotusia.swapsig.SwapInput;
import org.lotusia.swapsig.SwapOutcome;
import org.lotusia.swapsig.SwapRequest;
import org.lotusia.swapsig.testing.PoolHarness;
import org.lotusia.swapsig.wire.SwapSigMessageTypes;
import org.lotusia.swapsig.wire.PoolAnnouncement;

/**
 * A pool between real coordinators on loopback TCP (Noise, Yamux, GossipSub, Kad-DHT): the
 * announcement travels on the pool topic and in the DHT (a node that missed the topic finds it there), every pool message on {@code
 * /lotus/message/1.0.0} through each node's security manager, the settlements through MuSig2
 * sessions on the same nodes; the chain is the simulator behind its Chronik HTTP API.
 */
class CoordinatorPoolTest {

  private final List<P2PCoordinator> nodes = new ArrayList<>();
  private final List<MuSig2Sessions> musig = new ArrayList<>();
  private final List<SwapSigService> services = new ArrayList<>();
  private ChainSimulator sim;
  private ChronikClient chronik;

  @AfterEach
  void close() {
    services.forEach(SwapSigService::close);
    musig.forEach(MuSig2Sessions::close);
    nodes.forEach(P2PCoordinator::close);
    if (chronik != null) {
      chronik.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void threeParticipantsCompleteOverTheCoordinator() throws Exception {
    sim =
        ChainSimulator.builder()
            .params(ChainParams.builder().coinbaseMaturity(10).build())
            .blockInterval(Duration.ofMillis(300))
            .build()
            .start();
    chronik = ChronikClient.builder().urls(sim.url()).build();
    int n = 3;
    for (int i = 0; i <= n; i++) {
      startNode();
    }
    for (int i = 0; i < nodes.size(); i++) {
      for (int j = i + 1; j < nodes.size(); j++) {
        nodes.get(i).connectToPeer(nodes.get(j).getStats().multiaddrs().get(0)).get(30, TimeUnit.SECONDS);
      }
    }
    for (P2PCoordinator node : nodes) {
      MuSig2Sessions m =
          MuSig2Sessions.builder(node, PrivateKey.random(new java.security.SecureRandom()))
              .config(SessionConfig.builder().joinTimeout(Duration.ofSeconds(30)).build())
              .build();
      musig.add(m);
      SwapSigService s =
          SwapSigService.builder(node, m.manager(), chronik).config(PoolHarness.defaultConfig()).build();
      s.started().get(30, TimeUnit.SECONDS);
      services.add(s);
    }
    // GossipSub meshes of both topics
    await().atMost(Duration.ofSeconds(60)).until(() -> nodes.stream().allMatch(
        x -> x.getTopicPeers(SwapSigMessageTypes.POOL_TOPIC).size() >= n
            && x.getTopicPeers(SessionAnnouncement.TOPIC).size() >= n));

    PoolAnnouncement pool =
        services.get(0).manager().createPool(PoolHarness.params(n).build()).get(30, TimeUnit.SECONDS);
    List<SwapHandle> handles = new ArrayList<>();
    List<Script> destinations = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      var swaps = services.get(i).manager();
      // heard on the topic or found in the DHT
      await().atMost(Duration.ofSeconds(30)).until(() ->
          swaps.discoverPools(PoolFilter.denomination(PoolHarness.DENOMINATION)).get().stream()
              .anyMatch(a -> a.poolId().equals(pool.poolId())));
      PrivateKey inputKey = PrivateKey.random(new java.security.SecureRandom());
      TxEntry paid = sim.fund(Scripts.p2pkh(inputKey.publicKey()), PoolHarness.FUNDING);
      int vout = paid.tx().outputs().get(0).script().equals(Scripts.p2pkh(inputKey.publicKey())) ? 0 : 1;
      TxOutput out = paid.tx().outputs().get(vout);
      SwapInput input = new SwapInput(OutPoint.fromDisplayHex(paid.txid(), vout), out, inputKey);
      Script dest = Scripts.p2pkh(PrivateKey.random(new java.security.SecureRandom()).publicKey());
      destinations.add(dest);
      handles.add(swaps.joinPool(pool.poolId(), SwapRequest.of(input, dest)).get(30, TimeUnit.SECONDS));
    }
    CompletableFuture.allOf(handles.stream().map(SwapHandle::outcome).toArray(CompletableFuture[]::new))
        .get(120, TimeUnit.SECONDS);
    for (SwapHandle h : handles) {
      assertThat(h.outcome().join().status()).as(h.outcome().join().toString())
          .isEqualTo(SwapOutcome.Status.COMPLETED);
    }
    for (Script d : destinations) {
      long got =
          sim.ledger().unspentFor(d).stream().mapToLong(e -> e.getValue().output().value()).sum();
      assertThat(got).isEqualTo(pool.params().payoutAmount());
    }
  }

  @Test
  void aNodeThatMissedTheTopicFindsThePoolInTheDht() throws Exception {
    chronik = ChronikClient.builder().urls("http://127.0.0.1:9").build();
    P2PCoordinator creator = startNode();
    P2PCoordinator store = startNode();
    creator.connectToPeer(store.getStats().multiaddrs().get(0)).get(30, TimeUnit.SECONDS);
    MuSig2Sessions m = MuSig2Sessions.open(creator, PrivateKey.random(new java.security.SecureRandom()));
    musig.add(m);
    SwapSigService s = SwapSigService.builder(creator, m.manager(), chronik).build();
    services.add(s);
    s.started().get(30, TimeUnit.SECONDS);
    PoolAnnouncement pool = s.manager().createPool(PoolHarness.params(3).build()).get(30, TimeUnit.SECONDS);

    // a node started after the announcement, connected only to the other node: no topic message
    // reached it, and it asks the DHT
    P2PCoordinator late = startNode();
    late.connectToPeer(store.getStats().multiaddrs().get(0)).get(30, TimeUnit.SECONDS);
    CoordinatorSwapSigNetwork port = new CoordinatorSwapSigNetwork(late);
    await().atMost(Duration.ofSeconds(60)).until(() ->
        port.findResource(SwapSigMessageTypes.POOL_RESOURCE, pool.poolId()).get(30, TimeUnit.SECONDS).isPresent());
    PoolAnnouncement found =
        PoolAnnouncement.decode(
            port.findResource(SwapSigMessageTypes.POOL_RESOURCE, pool.poolId()).get(30, TimeUnit.SECONDS).orElseThrow());
    assertThat(found).isEqualTo(pool);
    assertThat(found.verifySignature()).isTrue();
    assertThat(found.creatorPeerId()).isEqualTo(creator.peerId());
    assertThat(port.findResources(SwapSigMessageTypes.POOL_RESOURCE).get(30, TimeUnit.SECONDS))
        .anySatisfy(j -> assertThat(PoolAnnouncement.decode(j).poolId()).isEqualTo(pool.poolId()));
  }

  private P2PCoordinator startNode() throws Exception {
    P2PCoordinator node =
        new P2PCoordinator(
            P2PConfig.builder()
                .listen("/ip4/127.0.0.1/tcp/0")
                .dhtServer(true)
                .monitor(MonitorConfig.fast())
                .discoverTimeout(Duration.ofSeconds(10))
                .callbackThreads(2)
                .build());
    nodes.add(node);
    node.start().get(30, TimeUnit.SECONDS);
    return node;
  }
}
