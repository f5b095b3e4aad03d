package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.TestNodes.WAIT;
import static org.lotusia.p2p.coordinator.TestNodes.connect;
import static org.lotusia.p2p.coordinator.TestNodes.join;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.p2p.coordinator.MessagingTest.Recorder;

/** Circuit relay through the coordinator: relay addresses, their event, and relay-only peers. */
class RelayTest {

  private final TestNodes nodes = new TestNodes();

  @AfterEach
  void close() {
    nodes.close();
  }

  @Test
  void aNodeGetsRelayAddressesAndIsReachedThroughThem() {
    P2PCoordinator relay = nodes.start(b -> b.enableRelayServer(true));
    P2PCoordinator alice = nodes.start();
    var changed =
        alice.waitForEvent(P2PEvent.RelayAddressesChanged.class, e -> !e.relayAddresses().isEmpty(), WAIT);
    connect(alice, relay);
    P2PEvent.RelayAddressesChanged e = join(changed);
    String circuit = e.relayAddresses().get(0);
    assertThat(circuit).contains("/p2p/" + relay.peerId() + "/p2p-circuit/p2p/" + alice.peerId());
    assertThat(alice.hasRelayAddresses()).isTrue();
    assertThat(alice.getReachableAddresses()).containsExactlyElementsOf(alice.getRelayAddresses());

    // bob dials alice's relay address: a limited connection, on which /lotus/message/1.0.0 does not
    // run; a direct message finds her direct address (learnt through identify) and connects
    // directly, as js-libp2p does
    P2PCoordinator bob = nodes.start();
    Recorder r = new Recorder("app");
    alice.registerProtocol(r);
    var identified =
        bob.waitForEvent(P2PEvent.PeerUpdated.class, u -> u.peerInfo().peerId().equals(alice.peerId()), WAIT);
    PeerInfo viaRelay = join(bob.connectToPeer(circuit));
    assertThat(viaRelay.peerId()).isEqualTo(alice.peerId());
    join(identified); // identify over the relayed connection told bob alice's direct addresses
    assertThat(bob.isConnected(alice.peerId())).isTrue();
    join(bob.sendTo(alice.peerId(), bob.createMessage("direct", Map.of("n", 1), "app")));
    await().atMost(WAIT).until(() -> r.messages.size() == 1);
    assertThat(r.froms).containsExactly(bob.peerId());
    List<PeerInfo> peers = bob.getConnectedPeers();
    assertThat(peers).extracting(PeerInfo::peerId).contains(alice.peerId(), relay.peerId());
  }
}
