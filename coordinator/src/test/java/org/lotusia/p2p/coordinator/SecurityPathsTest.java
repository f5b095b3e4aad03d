package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.TestNodes.WAIT;
import static org.lotusia.p2p.coordinator.TestNodes.connect;
import static org.lotusia.p2p.coordinator.TestNodes.join;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.Stream;
import org.lotusia.p2p.coordinator.MessagingTest.Recorder;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.protocol.P2PProtocol;
import org.lotusia.p2p.security.RejectReason;
import org.lotusia.p2p.security.SecurityLimits;

/**
 * Bad input on every receive path, sent by a raw libp2p host that writes whatever it likes: each
 * message is refused and counted with its reason, escalates to a ban as configured, and the node
 * keeps serving honest peers.
 */
class SecurityPathsTest {

  private final TestNodes nodes = new TestNodes();
  private Host attacker;

  @AfterEach
  void close() {
    if (attacker != null) {
      attacker.closeAsync().join();
    }
    nodes.close();
  }

  private Host attacker() {
    attacker = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
    attacker.start().join();
    return attacker;
  }

  /** Writes raw bytes on a /lotus/message/1.0.0 stream and closes its write side. */
  private static void send(Host from, P2PCoordinator to, byte[] bytes) {
    Stream s =
        join(from.newStream(Multiaddr.parse(TestNodes.addr(to)), List.of(ProtocolIds.MESSAGE)));
    s.write(bytes).thenCompose(v -> s.closeWrite());
    s.closeFuture().handle((v, e) -> null).orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static byte[] json(P2PMessage m) {
    return P2PProtocol.defaults().serialize(m);
  }

  private static long rejected(P2PCoordinator node, RejectReason reason) {
    return node.securityManager().getMetrics().rejectionsByReason().getOrDefault(reason, 0L);
  }

  @Test
  void everyKindOfBadMessageIsRefusedAndCounted() {
    P2PCoordinator node = nodes.start();
    Recorder r = new Recorder("app");
    node.registerProtocol(r);
    Host evil = attacker();
    String evilId = evil.peerId().toBase58();
    P2PProtocol protocol = P2PProtocol.defaults();

    // the sender field names another peer
    send(evil, node, json(protocol.createMessage("t", null, "12D3KooWQYV9dGMFoRzNStwpXztXaBUjtPqi6aU76ZgUriHhKust", null, "app", null)));
    await().atMost(WAIT).until(() -> rejected(node, RejectReason.SENDER_MISMATCH) == 1);
    // not JSON
    send(evil, node, "{not json".getBytes(StandardCharsets.UTF_8));
    await().atMost(WAIT).until(() -> rejected(node, RejectReason.MESSAGE_MALFORMED) == 1);
    // over the size limit
    byte[] big = ("{\"type\":\"t\",\"payload\":\"" + "x".repeat(100_001) + "\"}").getBytes(StandardCharsets.UTF_8);
    send(evil, node, big);
    await().atMost(WAIT).until(() -> rejected(node, RejectReason.MESSAGE_OVERSIZED) == 1);
    // a timestamp outside the 5-minute window (an old message replayed)
    P2PMessage old =
        new P2PMessage("t", evilId, null, null, System.currentTimeMillis() - 400_000, "old-1", null, "app");
    send(evil, node, json(old));
    await().atMost(WAIT).until(() -> rejected(node, RejectReason.MESSAGE_INVALID) == 1);
    // a valid message, then the same message again
    P2PMessage ok = protocol.createMessage("t", null, evilId, null, "app", null);
    send(evil, node, json(ok));
    send(evil, node, json(ok));
    await().atMost(WAIT).until(() -> rejected(node, RejectReason.DUPLICATE) == 1);
    await().atMost(WAIT).until(() -> r.messages.size() == 1);
    assertThat(node.securityManager().warningCount(evilId)).isEqualTo(4);
    assertThat(node.getStats().messages().received()).isEqualTo(1);
  }

  @Test
  void repeatedViolationsBanThePeerWhichIsDisconnectedAndRefused() {
    P2PCoordinator node =
        nodes.start(
            b ->
                b.securityLimits(
                    SecurityLimits.builder().warningsBeforeTempBan(3).warningsBeforeBan(6).build()));
    P2PCoordinator honest = nodes.start();
    Recorder r = new Recorder("app");
    node.registerProtocol(r);
    connect(honest, node);
    Host evil = attacker();
    String evilId = evil.peerId().toBase58();
    var banned = node.waitForEvent(P2PEvent.PeerBanned.class, e -> e.peerId().equals(evilId), WAIT);
    for (int i = 0; i < 3; i++) {
      send(evil, node, ("{bad " + i).getBytes(StandardCharsets.UTF_8));
    }
    P2PEvent.PeerBanned e = join(banned);
    assertThat(e.until()).isPresent(); // a temporary ban first
    await().atMost(WAIT).until(() -> !node.isConnected(evilId));
    assertThatThrownBy(
            () -> evil.dial(Multiaddr.parse(TestNodes.addr(node))).thenCompose(c -> c.newStream(List.of(ProtocolIds.MESSAGE))).get(30, TimeUnit.SECONDS))
        .isInstanceOf(java.util.concurrent.ExecutionException.class);
    assertThat(rejected(node, RejectReason.PEER_TEMP_BANNED)).isPositive();

    // the honest peer is served throughout
    join(honest.sendTo(node.peerId(), honest.createMessage("hi", Map.of("n", 1), "app")));
    await().atMost(WAIT).until(() -> r.messages.size() == 1);
    assertThat(r.froms).containsExactly(honest.peerId());
  }

  @Test
  void aBusyHandlerRefusesMessagesVisiblyInsteadOfQueueingWithoutBound() throws Exception {
    P2PCoordinator node = nodes.start(b -> b.handlerQueueCapacity(2));
    P2PCoordinator sender = nodes.start();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
    node.registerProtocol(
        new ProtocolHandler() {
          @Override
          public String protocolName() {
            return "slow";
          }

          @Override
          public void handleMessage(P2PMessage message, PeerInfo from) throws Exception {
            release.await();
            got.add(message.type());
          }
        });
    connect(sender, node);
    for (int i = 0; i < 10; i++) {
      join(sender.sendTo(node.peerId(), sender.createMessage("m" + i, null, "slow")));
    }
    await().atMost(WAIT).until(() -> node.getStats().messages().refusedBusy() > 0);
    release.countDown();
    await().atMost(WAIT).until(() -> got.size() + node.getStats().messages().refusedBusy() == 10);
    assertThat(got.size()).isBetween(2, 3);
  }
}
