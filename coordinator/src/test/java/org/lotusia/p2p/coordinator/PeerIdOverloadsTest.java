package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.TestNodes.WAIT;
import static org.lotusia.p2p.coordinator.TestNodes.connect;
import static org.lotusia.p2p.coordinator.TestNodes.join;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * The {@link PeerId} overloads of the coordinator reach the same peer as the base58-string calls
 * they stand for, on two coordinators over loopback.
 */
class PeerIdOverloadsTest {

  private final TestNodes nodes = new TestNodes();

  @AfterEach
  void close() {
    nodes.close();
  }

  @Test
  void queriesAnswerForAPeerIdAsForItsString() {
    P2PCoordinator alice = nodes.start();
    P2PCoordinator bob = nodes.start();
    PeerId bobId = PeerId.parse(bob.peerId());
    PeerId stranger = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());

    assertThat(alice.isConnected(bobId)).isFalse();
    connect(alice, bob);

    assertThat(alice.isConnected(bobId)).isTrue().isEqualTo(alice.isConnected(bob.peerId()));
    assertThat(alice.getPeer(bobId)).isPresent();
    assertThat(alice.getPeer(bobId).orElseThrow().peerId()).isEqualTo(bob.peerId());
    assertThat(alice.getPeer(bobId).orElseThrow().multiaddrs())
        .isEqualTo(alice.getPeer(bob.peerId()).orElseThrow().multiaddrs());
    assertThat(alice.isConnected(stranger)).isFalse();
    assertThat(alice.getPeer(stranger)).isEmpty().isEqualTo(alice.getPeer(stranger.toBase58()));
    assertThatThrownBy(() -> alice.isConnected((PeerId) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("peer");
  }

  @Test
  void messagesAndRequestsToAPeerIdArriveAtThatPeer() {
    P2PCoordinator alice = nodes.start();
    P2PCoordinator bob = nodes.start();
    P2PCoordinator carol = nodes.start();
    MessagingTest.Recorder atBob = new MessagingTest.Recorder("chat");
    MessagingTest.Recorder atCarol = new MessagingTest.Recorder("chat");
    bob.registerProtocol(atBob);
    carol.registerProtocol(atCarol);
    bob.handleRequests("/test/whoami/1.0.0", (req, from) -> Map.of("me", bob.peerId(), "you", from.peerId()));
    connect(alice, bob);
    connect(alice, carol);
    PeerId bobId = PeerId.parse(bob.peerId());

    P2PMessage first = alice.createMessage("greeting", Map.of("n", 1), "chat");
    join(alice.sendTo(bobId, first));
    P2PMessage second = alice.createMessage("greeting", Map.of("n", 2), "chat");
    join(alice.sendTo(bobId, second, ProtocolIds.MESSAGE));
    await().atMost(WAIT).until(() -> atBob.messages.size() == 2);
    assertThat(atBob.messages).containsExactly(first, second);
    assertThat(atBob.froms).containsOnly(alice.peerId());
    assertThat(atCarol.messages).as("nothing went to the other peer").isEmpty();

    JsonNode answer =
        join(alice.request(bobId, "/test/whoami/1.0.0", "whoami", Map.of(), JsonNode.class, WAIT));
    assertThat(answer.get("me").asText()).isEqualTo(bob.peerId());
    assertThat(answer.get("you").asText()).isEqualTo(alice.peerId());
  }

  @Test
  void disconnectingAPeerIdClosesTheConnectionsToThatPeerOnly() {
    P2PCoordinator alice = nodes.start();
    P2PCoordinator bob = nodes.start();
    P2PCoordinator carol = nodes.start();
    connect(alice, bob);
    connect(alice, carol);

    join(alice.disconnectFromPeer(PeerId.parse(bob.peerId())));

    assertThat(alice.isConnected(bob.peerId())).isFalse();
    await().atMost(WAIT).until(() -> !bob.isConnected(alice.peerId()));
    assertThat(alice.isConnected(carol.peerId())).as("the other peer stays connected").isTrue();
  }
}
