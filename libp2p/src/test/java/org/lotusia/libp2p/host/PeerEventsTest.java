package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.ResourceLimits;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.host.Hosts.Stack;

/** Peer events, connection state queries and disconnect, on TCP and in memory. */
class PeerEventsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Hosts hosts = new Hosts();

  @AfterEach
  void stop() {
    hosts.close();
  }

  @ParameterizedTest
  @EnumSource(
      value = Stack.class,
      names = {"MEMORY_NOISE", "TCP_NOISE"})
  void peerEventsAlternateUnderConcurrentDialsAcceptsAndCloses(Stack stack) {
    // 12 connections between one pair at once: above the default per-peer limit of 8
    ResourceLimits many = ResourceLimits.builder().maxConnectionsPerPeer(32).build();
    Host a = hosts.start(stack, x -> x.eventLoopThreads(4).resourceLimits(many));
    Host b = hosts.start(stack, x -> x.eventLoopThreads(4).resourceLimits(many));
    PeerEventRecorder atA = new PeerEventRecorder();
    PeerEventRecorder atB = new PeerEventRecorder();
    a.addListener(atA);
    b.addListener(atB);
    for (int round = 1; round <= 4; round++) {
      List<CompletableFuture<?>> work = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        boolean fromA = i % 2 == 0;
        Host dialer = fromA ? a : b;
        Host target = fromA ? b : a;
        boolean closeAtOnce = i % 3 == 0;
        // Connections open from both sides at once; some close again while others still open.
        work.add(
            dialer
                .dial(target.listenAddresses().get(0), DialOptions.FORCE)
                .thenCompose(
                    c -> closeAtOnce ? c.close() : CompletableFuture.completedFuture(null)));
      }
      for (CompletableFuture<?> f : work) {
        join(f);
      }
      assertThat(a.isConnected(b.peerId())).isTrue();
      assertThat(a.connectedPeers()).containsExactly(b.peerId());
      // Simultaneous closes from both ends.
      CompletableFuture<Void> fromA = a.disconnect(b.peerId());
      CompletableFuture<Void> fromB = b.disconnect(a.peerId());
      join(fromA);
      join(fromB);
      // A round may connect and disconnect more than once (early closes); wait until settled.
      await().atMost(WAIT).until(() -> atA.settled(b.peerId()) && atB.settled(a.peerId()));
      assertThat(a.isConnected(b.peerId())).isFalse();
      assertThat(b.isConnected(a.peerId())).isFalse();
      assertThat(a.connectedPeers()).isEmpty();
    }
    atA.assertWellOrdered(b.peerId());
    atB.assertWellOrdered(a.peerId());
    assertThat(atA.count("connected", b.peerId())).isBetween(4L, 4L * 12);
    assertThat(atA.count("open", b.peerId())).isEqualTo(atA.count("close", b.peerId()));
    assertThat(atA.count("open", b.peerId())).isGreaterThanOrEqualTo(4 * 6);
    assertThat(atB.count("open", a.peerId())).isEqualTo(atB.count("close", a.peerId()));
  }

  @ParameterizedTest
  @EnumSource(
      value = Stack.class,
      names = {"MEMORY_NOISE", "TCP_NOISE"})
  void disconnectClosesEveryConnectionToOnePeer(Stack stack) {
    Host a = hosts.start(stack);
    Host b = hosts.start(stack);
    Host c = hosts.start(stack);
    PeerEventRecorder atA = new PeerEventRecorder();
    a.addListener(atA);
    CompletableFuture<Stream> servedAtB = new CompletableFuture<>();
    b.setStreamHandler("/test/hold/1", servedAtB::complete);
    Connection first = join(a.dial(b.listenAddresses().get(0)));
    Connection second = join(a.dial(b.listenAddresses().get(0), DialOptions.FORCE));
    join(a.dial(c.listenAddresses().get(0)));
    Stream held = join(first.newStream(List.of("/test/hold/1")));
    Stream remote = join(servedAtB);
    assertThat(a.isConnected(b.peerId())).isTrue();
    Set<PeerId> snapshot = a.connectedPeers();
    assertThat(snapshot).containsExactlyInAnyOrder(b.peerId(), c.peerId());

    join(a.disconnect(b.peerId()));

    assertThat(first.isOpen()).isFalse();
    assertThat(second.isOpen()).isFalse();
    assertThat(a.connections(b.peerId())).isEmpty();
    assertThat(a.isConnected(b.peerId())).isFalse();
    assertThat(a.connectedPeers()).containsExactly(c.peerId());
    assertThat(snapshot).as("a snapshot").hasSize(2);
    // The events were delivered by the time disconnect completed.
    assertThat(atA.count("disconnected", b.peerId())).isEqualTo(1);
    atA.assertWellOrdered(b.peerId());
    await().atMost(WAIT).until(() -> held.closeFuture().isCompletedExceptionally());
    assertThat(a.isConnected(c.peerId())).isTrue();
    // The remote sees the connections and the stream go.
    await().atMost(WAIT).until(() -> !b.isConnected(a.peerId()));
    await().atMost(WAIT).until(() -> remote.closeFuture().isDone());
    assertThat(remote.closeFuture())
        .failsWithin(Duration.ZERO)
        .withThrowableThat()
        .havingRootCause()
        .isInstanceOf(ConnectionClosedException.class);
  }

  @ParameterizedTest
  @EnumSource(
      value = Stack.class,
      names = {"MEMORY_NOISE"})
  void disconnectOfAnUnconnectedPeerCompletesAtOnce(Stack stack) {
    Host a = hosts.start(stack);
    PeerId stranger = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    assertThat(a.disconnect(stranger)).isCompleted();
    assertThat(a.isConnected(stranger)).isFalse();
    assertThat(a.connectedPeers()).isEmpty();
  }
}
