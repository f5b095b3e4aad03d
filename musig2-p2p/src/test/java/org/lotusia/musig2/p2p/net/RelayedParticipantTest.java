package org.lotusia.musig2.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionOptions;
import org.lotusia.musig2.p2p.TransactionSigning;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.PeerInfo;

/**
 * A signer reachable only through a circuit relay: node 3 (a light wallet behind NAT: no DHT, no
 * GossipSub, its own address given to nobody) connects to the relay node 0 ({@code
 * enableRelayServer}) and nothing else. The creator (node 1) and the other signer (node 2) are
 * ordinary nodes; they reach the wallet through its circuit address. With neither the DHT nor
 * GossipSub on the wallet, no service of theirs has a reason to dial it directly, so the
 * connections stay relayed, as they would be if the wallet's address could not be dialled; the
 * test checks that they did.
 *
 * <p>The relayed connections are limited, and the host refuses {@code /lotus/message/1.0.0} on
 * them; session traffic therefore runs on {@value MuSig2Wire#PROTOCOL_ID}, which every node serves
 * on limited connections. A signer with no connection at all to the relayed one goes through the
 * creator's relay path instead.
 */
class RelayedParticipantTest {

  private static final List<Integer> SIGNERS = List.of(1, 2, 3);

  static NetCluster cluster(long seed) {
    return cluster(seed, true);
  }

  /**
   * The relay (0), the creator (1), a signer (2) and the wallet (3), which runs neither DHT nor
   * GossipSub. Without {@code dhtOnSigner2}, node 2 cannot look the wallet up either (the DHT's
   * servers, connected to the wallet, would give its relayed address).
   */
  static NetCluster cluster(long seed, boolean dhtOnSigner2) {
    return new NetCluster(
        4,
        seed,
        SessionConfig.defaults(),
        (i, b) ->
            switch (i) {
              case 0 -> b.enableRelayServer(true);
              case 2 -> b.enableDht(dhtOnSigner2);
              case 3 -> b.enableDht(false).enableGossipSub(false);
              default -> b;
            });
  }

  /** Connects the relay, the creator and node 2 directly, and the wallet to the relay only. */
  static String wire(NetCluster c) {
    P2PCoordinator relay = c.nodes.get(0);
    P2PCoordinator wallet = c.nodes.get(3);
    NetCluster.join(c.nodes.get(1).connectToPeer(NetCluster.addr(relay)));
    NetCluster.join(c.nodes.get(2).connectToPeer(NetCluster.addr(relay)));
    NetCluster.join(c.nodes.get(1).connectToPeer(NetCluster.addr(c.nodes.get(2))));
    // nobody is given the wallet's own address; it connects out to the relay only
    NetCluster.join(wallet.connectToPeer(NetCluster.addr(relay)));
    await().atMost(NetCluster.WAIT).until(wallet::hasRelayAddresses);
    return wallet.getRelayAddresses().get(0);
  }

  static void assertOnlyRelayed(P2PCoordinator node, String peer) {
    PeerInfo info = node.getPeer(peer).orElseThrow();
    assertThat(info.connected()).isTrue();
    assertThat(info.multiaddrs()).isNotEmpty().allMatch(a -> a.contains("/p2p-circuit"));
  }

  @Test
  void sessionTrafficRunsOnTheLimitedRelayedConnections() {
    try (NetCluster c = cluster(31)) {
      String circuit = wire(c);
      NetCluster.join(c.nodes.get(1).connectToPeer(circuit));
      NetCluster.join(c.nodes.get(2).connectToPeer(circuit));
      for (int i : SIGNERS) {
        c.bind(i);
      }
      c.awaitTopicPeers(1, 1); // node 2 hears the announcement; the wallet gets it out of band
      byte[] msg = NetworkSessionsTest.message("relayed wallet");
      SessionHandle h = c.create(1, SIGNERS, msg, SessionOptions.defaults());
      c.putHandle(3, NetCluster.join(c.sessions.get(3).join(h.announcement(), msg)));

      byte[] key = TransactionSigning.aggregateKey(SIGNERS.stream().map(c.publicKeys::get).toList());
      for (int i : SIGNERS) {
        assertThat(LotusSchnorr.verify(c.result(i, h.sessionId()).signature(), key, msg)).isTrue();
      }
      String wallet = c.nodes.get(3).peerId();
      assertOnlyRelayed(c.nodes.get(1), wallet);
      assertOnlyRelayed(c.nodes.get(2), wallet);
      assertOnlyRelayed(c.nodes.get(3), c.nodes.get(1).peerId());
      assertOnlyRelayed(c.nodes.get(3), c.nodes.get(2).peerId());
      for (int i : SIGNERS) {
        assertThat(c.sessions.get(i).network().limitedSends()).as("node " + i).isPositive();
        assertThat(c.sessions.get(i).manager().metrics().relayRequests()).as("node " + i).isZero();
      }
    }
  }

  @Test
  void aSignerWithNoWayToTheWalletGoesThroughTheCreator() {
    try (NetCluster c = cluster(32, false)) {
      String circuit = wire(c);
      NetCluster.join(c.nodes.get(1).connectToPeer(circuit)); // only the creator dials the wallet
      for (int i : SIGNERS) {
        c.bind(i);
      }
      c.awaitTopicPeers(1, 1);
      byte[] msg = NetworkSessionsTest.message("through the creator");
      SessionHandle h = c.create(1, SIGNERS, msg, SessionOptions.defaults());
      c.putHandle(3, NetCluster.join(c.sessions.get(3).join(h.announcement(), msg)));

      byte[] key = TransactionSigning.aggregateKey(SIGNERS.stream().map(c.publicKeys::get).toList());
      for (int i : SIGNERS) {
        assertThat(LotusSchnorr.verify(c.result(i, h.sessionId()).signature(), key, msg)).isTrue();
      }
      // node 2 and the wallet know no address of each other: each asked the creator to relay,
      // and the creator forwarded inside its own relay envelopes
      assertThat(c.nodes.get(2).isConnected(c.nodes.get(3).peerId())).isFalse();
      assertThat(c.sessions.get(2).manager().metrics().relayRequests()).isPositive();
      assertThat(c.sessions.get(3).manager().metrics().relayRequests()).isPositive();
      assertThat(c.sessions.get(1).network().wrappedForwards())
          .isEqualTo(c.sessions.get(1).manager().metrics().relayed())
          .isPositive();
    }
  }
}
