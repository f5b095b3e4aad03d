package org.lotusia.p2p.coordinator;

import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.TestNodes.WAIT;
import static org.lotusia.p2p.coordinator.TestNodes.join;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Peers lost to a failing link are redialled, as after a partition; peers that either side let go
 * on purpose are not.
 */
class LostPeersTest {

  /** Fast back-off: 100 ms doubling to 800 ms. */
  private static final BootstrapConfig FAST =
      new BootstrapConfig(
          Duration.ofMillis(100), Duration.ofMillis(800), 0.3, Integer.MAX_VALUE, Duration.ofMillis(500));

  /** Long enough for several redials at the fast back-off, had there been any. */
  private static final Duration QUIET = Duration.ofSeconds(3);

  private final TestNodes nodes = new TestNodes();

  @AfterEach
  void close() {
    nodes.close();
  }

  @Test
  void aPeerLostToAFailingLinkIsRedialledThroughItsKnownAddresses() throws Exception {
    P2PCoordinator a = nodes.start(b -> b.bootstrap(FAST));
    P2PCoordinator b = nodes.start(c -> c.bootstrap(FAST));
    try (CuttableLink link = new CuttableLink(port(b))) {
      // a meets b through the link only; b's own address reaches a through identify
      join(a.connectToPeer("/ip4/127.0.0.1/tcp/" + link.port() + "/p2p/" + b.peerId()));
      identified(a, b);
      var lost = a.waitForEvent(P2PEvent.PeerDisconnected.class, e -> e.peerId().equals(b.peerId()), WAIT);
      var back = a.waitForEvent(P2PEvent.PeerConnected.class, e -> e.peerId().equals(b.peerId()), WAIT);

      link.cut();

      join(lost);
      join(back);
      // a's event tells of a's end only: each end finishes its upgrade of the new connection on
      // its own, in no fixed order, so b may count it a moment later
      await().atMost(WAIT).until(() -> a.isConnected(b.peerId()) && b.isConnected(a.peerId()));
    }
  }

  @Test
  void withRedialOfLostPeersOffOnlyBootstrapPeersComeBack() throws Exception {
    BootstrapConfig off = FAST.withLostPeerRedial(0, Duration.ofMinutes(5));
    P2PCoordinator a = nodes.start(b -> b.bootstrap(off));
    P2PCoordinator b = nodes.start(c -> c.bootstrap(off));
    try (CuttableLink link = new CuttableLink(port(b))) {
      join(a.connectToPeer("/ip4/127.0.0.1/tcp/" + link.port() + "/p2p/" + b.peerId()));
      identified(a, b);
      var lost = a.waitForEvent(P2PEvent.PeerDisconnected.class, e -> e.peerId().equals(b.peerId()), WAIT);
      link.cut();
      join(lost);
      await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> !a.isConnected(b.peerId()));
    }
  }

  @Test
  void aPeerThatDisconnectsOnPurposeIsNotRedialledByEitherSide() {
    P2PCoordinator a = nodes.start(b -> b.bootstrap(FAST));
    P2PCoordinator b = nodes.start(c -> c.bootstrap(FAST));
    TestNodes.connect(a, b);
    identified(a, b);
    var lostAtB = b.waitForEvent(P2PEvent.PeerDisconnected.class, e -> e.peerId().equals(a.peerId()), WAIT);

    join(a.disconnectFromPeer(b.peerId()));
    join(lostAtB);

    await()
        .during(QUIET)
        .atMost(QUIET.plusSeconds(5))
        .until(() -> !a.isConnected(b.peerId()) && !b.isConnected(a.peerId()));
  }

  /**
   * Waits until each knows the other's protocols (identify done both ways), so that nothing is in
   * flight when one side closes: a goodbye overtaken by a TCP reset looks like a failed link (see
   * {@code Connection.closedByRemote()}).
   */
  private static void identified(P2PCoordinator a, P2PCoordinator b) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                a.getPeer(b.peerId()).map(p -> !p.protocols().isEmpty()).orElse(false)
                    && b.getPeer(a.peerId()).map(p -> !p.protocols().isEmpty()).orElse(false));
  }

  private static int port(P2PCoordinator node) {
    return Integer.parseInt(TestNodes.addr(node).split("/")[4]);
  }
}
