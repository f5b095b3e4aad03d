package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.TestNodes.WAIT;
import static org.lotusia.p2p.coordinator.TestNodes.join;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;

class BootstrapTest {

  private static final BootstrapConfig FAST =
      new BootstrapConfig(Duration.ofMillis(100), Duration.ofMillis(800), 0.3, Integer.MAX_VALUE, Duration.ofMillis(500));

  private final TestNodes nodes = new TestNodes();

  @AfterEach
  void close() {
    nodes.close();
  }

  @Test
  void aLostBootstrapPeerIsRedialledWithBackoffUntilItIsBack() {
    IdentityPrivateKey key = Keys.generateEd25519();
    P2PCoordinator seed = nodes.start(b -> b.identity(key));
    String seedAddr = TestNodes.addr(seed);
    String port = seedAddr.split("/")[4];
    List<P2PEvent> events = new CopyOnWriteArrayList<>();
    P2PCoordinator node =
        new P2PCoordinator(TestNodes.config().bootstrapPeers(seedAddr).bootstrap(FAST).build());
    node.addListener(
        e -> {
          if (e.getClass().getSimpleName().startsWith("Bootstrap") || e instanceof P2PEvent.StateChanged) {
            events.add(e);
          }
        });
    try {
      join(node.start());
      assertThat(node.isConnected(seed.peerId())).isTrue();
      await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e instanceof P2PEvent.BootstrapConnected));

      join(seed.stop());
      await().atMost(WAIT).until(() -> node.connectionState() == ConnectionState.RECONNECTING);
      await()
          .atMost(WAIT)
          .until(() -> events.stream().filter(e -> e instanceof P2PEvent.BootstrapReconnecting).count() >= 3);
      List<P2PEvent.BootstrapReconnecting> retries =
          events.stream()
              .filter(e -> e instanceof P2PEvent.BootstrapReconnecting)
              .map(e -> (P2PEvent.BootstrapReconnecting) e)
              .toList();
      // base 100 ms doubling, capped at 800 ms, each within +-15 %
      for (P2PEvent.BootstrapReconnecting r : retries) {
        long base = Math.min(800, 100L << Math.min(r.attempt() - 1, 10));
        assertThat(r.delayMillis()).isBetween(Math.round(base * 0.85) - 1, Math.round(base * 1.15) + 1);
      }

      P2PCoordinator again = nodes.start(b -> b.identity(key).listen("/ip4/127.0.0.1/tcp/" + port));
      await().atMost(WAIT).until(() -> node.isConnected(again.peerId()));
      await().atMost(WAIT).until(() -> node.connectionState() != ConnectionState.RECONNECTING);
      assertThat(events.stream().filter(e -> e instanceof P2PEvent.BootstrapConnected).count()).isEqualTo(2);
      assertThat(events.stream().anyMatch(e -> e instanceof P2PEvent.BootstrapDisconnected)).isTrue();
    } finally {
      node.close();
    }
  }

  @Test
  void aBootstrapPeerThatNeverAnswersIsGivenUpAfterTheConfiguredAttempts() {
    String nobody = "/ip4/127.0.0.1/tcp/1/p2p/" + org.lotusia.libp2p.PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    P2PCoordinator node =
        new P2PCoordinator(
            TestNodes.config()
                .bootstrapPeers(nobody)
                .bootstrap(new BootstrapConfig(Duration.ofMillis(50), Duration.ofMillis(100), 0, 3, Duration.ofSeconds(30)))
                .build());
    try {
      var failure = node.waitForEvent(P2PEvent.BootstrapFailed.class, e -> true, WAIT);
      join(node.start());
      P2PEvent.BootstrapFailed failed = join(failure);
      assertThat(failed.attempts()).isEqualTo(3);
      assertThat(failed.error()).isNotBlank();
      assertThat(node.connectionState()).isEqualTo(ConnectionState.CONNECTING);
    } finally {
      node.close();
    }
  }
}
