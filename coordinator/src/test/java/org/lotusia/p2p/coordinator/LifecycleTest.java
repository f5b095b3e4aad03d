package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.TestNodes.WAIT;
import static org.lotusia.p2p.coordinator.TestNodes.connect;
import static org.lotusia.p2p.coordinator.TestNodes.join;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {

  private final TestNodes nodes = new TestNodes();

  @AfterEach
  void close() {
    nodes.close();
  }

  @Test
  void theStateFollowsPeersAndTheRoutingTableUpAndDown() {
    P2PCoordinator a = new P2PCoordinator(TestNodes.config().monitor(MonitorConfig.fast().withFullyOperationalPeers(2)).build());
    List<ConnectionState> seen = new CopyOnWriteArrayList<>();
    a.on(P2PEvent.StateChanged.class, e -> seen.add(e.current()));
    try {
      join(a.start());
      assertThat(a.connectionState()).isEqualTo(ConnectionState.CONNECTING);
      P2PCoordinator b = nodes.start();
      P2PCoordinator c = nodes.start();
      connect(a, b);
      await().atMost(WAIT).until(() -> a.connectionState() == ConnectionState.DHT_READY);
      connect(a, c);
      await().atMost(WAIT).until(() -> a.connectionState() == ConnectionState.FULLY_OPERATIONAL);
      join(b.stop());
      join(c.stop());
      await().atMost(WAIT).until(() -> a.connectionState() == ConnectionState.CONNECTING);
      join(a.stop());
      await().atMost(WAIT).until(() -> seen.contains(ConnectionState.DISCONNECTED));
      assertThat(seen)
          .containsSubsequence(
              ConnectionState.CONNECTING,
              ConnectionState.DHT_READY,
              ConnectionState.FULLY_OPERATIONAL,
              ConnectionState.CONNECTING,
              ConnectionState.DISCONNECTED);
    } finally {
      a.close();
    }
  }

  @Test
  void stopEndsEveryThreadTheCoordinatorStarted() {
    P2PCoordinator a = nodes.start();
    P2PCoordinator b = nodes.start();
    connect(a, b);
    join(a.subscribeToTopic("t", m -> {}));
    join(a.stop());
    join(b.stop());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        Thread.getAllStackTraces().keySet().stream()
                            .map(Thread::getName)
                            .filter(n -> n.startsWith("lotus-"))
                            .toList())
                    .as("threads left after stop")
                    .isEmpty());
  }

  @Test
  void aStoppedNodeStartsAgainWithTheSameIdentityAndListeners() {
    P2PCoordinator a = nodes.start();
    String id = a.peerId();
    List<String> connects = new CopyOnWriteArrayList<>();
    a.on(P2PEvent.PeerConnected.class, e -> connects.add(e.peerId()));
    join(a.stop());
    join(a.start());
    assertThat(a.peerId()).isEqualTo(id);
    P2PCoordinator b = nodes.start();
    connect(b, a);
    await().atMost(WAIT).until(() -> connects.contains(b.peerId()));
  }

  @Test
  void theIdentityFileIsCreatedOnceAndReused(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("node.key");
    String first;
    try (P2PCoordinator a = new P2PCoordinator(TestNodes.config().identityFile(key).build())) {
      join(a.start());
      first = a.peerId();
    }
    assertThat(Files.exists(key)).isTrue();
    assertThat(Files.getPosixFilePermissions(key))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    try (P2PCoordinator b = new P2PCoordinator(TestNodes.config().identityFile(key).build())) {
      join(b.start());
      assertThat(b.peerId()).isEqualTo(first);
    }
  }

  @Test
  void aStartThatCannotListenEndsInErrorWithTheReason() {
    P2PCoordinator a = nodes.start();
    String port = TestNodes.addr(a).split("/")[4];
    P2PCoordinator b = new P2PCoordinator(TestNodes.config().listen("/ip4/127.0.0.1/tcp/" + port).build());
    try {
      var failed = b.start();
      await().atMost(WAIT).until(failed::isDone);
      assertThat(failed).isCompletedExceptionally();
      assertThat(b.connectionState()).isEqualTo(ConnectionState.ERROR);
      assertThat(b.connectionStateError()).isPresent();
    } finally {
      b.close();
    }
  }

  @Test
  void peerEventsAndQueriesTrackConnections() {
    P2PCoordinator a = nodes.start();
    P2PCoordinator b = nodes.start();
    var connected = a.waitForEvent(P2PEvent.PeerConnected.class, e -> e.peerId().equals(b.peerId()), WAIT);
    var updated = a.waitForEvent(P2PEvent.PeerUpdated.class, e -> e.peerInfo().peerId().equals(b.peerId()), WAIT);
    connect(a, b);
    assertThat(join(connected).multiaddrs()).isNotEmpty();
    assertThat(join(updated).peerInfo().protocols()).contains(ProtocolIds.MESSAGE, "/lotus/kad/1.0.0");
    assertThat(a.isConnected(b.peerId())).isTrue();
    assertThat(a.getConnectedPeers()).extracting(PeerInfo::peerId).containsExactly(b.peerId());
    assertThat(a.getPeer(b.peerId()).get().agentVersion()).contains("lotus-p2p-java/0.1.0");
    var gone = a.waitForEvent(P2PEvent.PeerDisconnected.class, e -> e.peerId().equals(b.peerId()), WAIT);
    join(a.disconnectFromPeer(b.peerId()));
    join(gone);
    assertThat(a.isConnected(b.peerId())).isFalse();
    assertThat(a.getPeer(b.peerId()).get().connected()).isFalse();
    assertThat(a.getStats().peers().connected()).isZero();
  }
}
