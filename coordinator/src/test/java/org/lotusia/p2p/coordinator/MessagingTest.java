package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.TestNodes.WAIT;
import static org.lotusia.p2p.coordinator.TestNodes.connect;
import static org.lotusia.p2p.coordinator.TestNodes.join;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.p2p.protocol.P2PMessage;

class MessagingTest {

  private final TestNodes nodes = new TestNodes();

  @AfterEach
  void close() {
    nodes.close();
  }

  /** A handler that records what it gets. */
  static final class Recorder implements ProtocolHandler {
    final String name;
    final List<P2PMessage> messages = new CopyOnWriteArrayList<>();
    final List<String> froms = new CopyOnWriteArrayList<>();
    final List<String> connected = new CopyOnWriteArrayList<>();

    Recorder(String name) {
      this.name = name;
    }

    @Override
    public String protocolName() {
      return name;
    }

    @Override
    public void handleMessage(P2PMessage message, PeerInfo from) {
      messages.add(message);
      froms.add(from.peerId());
    }

    @Override
    public void onPeerConnected(String peerId) {
      connected.add(peerId);
    }
  }

  @Test
  void aDirectMessageArrivesAsAnEventAndAtItsHandler() {
    P2PCoordinator alice = nodes.start();
    P2PCoordinator bob = nodes.start();
    Recorder chat = new Recorder("chat");
    bob.registerProtocol(chat);
    var received = bob.waitForEvent(P2PEvent.MessageReceived.class, e -> true, WAIT);
    connect(alice, bob);
    P2PMessage msg = alice.createMessage("greeting", Map.of("text", "hello", "n", 1), "chat");
    join(alice.sendTo(bob.peerId(), msg));

    P2PEvent.MessageReceived e = join(received);
    assertThat(e.message()).isEqualTo(msg);
    assertThat(e.from().peerId()).isEqualTo(alice.peerId());
    assertThat(e.from().connected()).isTrue();
    await().atMost(WAIT).until(() -> chat.messages.size() == 1);
    assertThat(chat.messages.get(0).payload().get("text").asText()).isEqualTo("hello");
    assertThat(chat.froms).containsExactly(alice.peerId());
    assertThat(chat.connected).contains(alice.peerId());
    assertThat(bob.getStats().messages().received()).isEqualTo(1);
    assertThat(alice.getStats().messages().sent()).isEqualTo(1);
  }

  @Test
  void aPeerWithNoKnownAddressIsFoundThroughTheDht() {
    P2PCoordinator hub = nodes.start();
    P2PCoordinator alice = nodes.start();
    P2PCoordinator bob = nodes.start();
    connect(alice, hub);
    connect(bob, hub);
    // the DHT knows bob once hub's routing table has him
    await().atMost(WAIT).until(() -> hub.getDHTStats().routingTableSize() >= 2);
    var received = bob.waitForEvent(P2PEvent.MessageReceived.class, e -> true, WAIT);

    join(alice.sendTo(bob.peerId(), alice.createMessage("greeting", Map.of("n", 1), "chat")));

    assertThat(join(received).from().peerId()).isEqualTo(alice.peerId());
    assertThat(alice.isConnected(bob.peerId())).isTrue();
  }

  @Test
  void broadcastReachesTheSelectedPeersOnceAndTheOwnHandler() {
    P2PCoordinator hub = nodes.start();
    P2PCoordinator b = nodes.start();
    P2PCoordinator c = nodes.start();
    P2PCoordinator d = nodes.start();
    Recorder own = new Recorder("news");
    hub.registerProtocol(own);
    List<Recorder> recorders = List.of(new Recorder("news"), new Recorder("news"), new Recorder("news"));
    List<P2PCoordinator> spokes = List.of(b, c, d);
    for (int i = 0; i < 3; i++) {
      spokes.get(i).registerProtocol(recorders.get(i));
      connect(hub, spokes.get(i));
    }
    BroadcastResult all = join(hub.broadcast(hub.createMessage("n1", "x", "news")));
    assertThat(all.sent()).containsExactlyInAnyOrder(b.peerId(), c.peerId(), d.peerId());
    assertThat(all.failed()).isEmpty();
    assertThat(all.selfDelivered()).isTrue();
    BroadcastResult excl =
        join(hub.broadcast(hub.createMessage("n2", "x", "news"), BroadcastOptions.excluding(c.peerId())));
    assertThat(excl.sent()).containsExactlyInAnyOrder(b.peerId(), d.peerId());
    BroadcastResult only =
        join(hub.broadcast(hub.createMessage("n3", "x", "news"), BroadcastOptions.only(d.peerId(), "12D3KooWNotConnectedButValidXxxxxxxxxxxxxxxxxxxxxxxxx")));
    assertThat(only.sent()).containsExactly(d.peerId());

    await().atMost(WAIT).until(() -> own.messages.size() == 3);
    assertThat(own.froms).containsOnly(hub.peerId());
    await().atMost(WAIT)
        .until(() -> recorders.get(0).messages.size() == 2 && recorders.get(2).messages.size() == 3);
    assertThat(recorders.get(1).messages).extracting(P2PMessage::type).containsExactly("n1");
    assertThat(recorders.get(0).messages).extracting(P2PMessage::type).containsExactly("n1", "n2");
  }

  @Test
  void theSameMessageTwiceIsDeliveredOnce() {
    P2PCoordinator a = nodes.start();
    P2PCoordinator b = nodes.start();
    Recorder r = new Recorder("dup");
    b.registerProtocol(r);
    connect(a, b);
    P2PMessage m = a.createMessage("t", null, "dup");
    join(a.sendTo(b.peerId(), m));
    join(a.sendTo(b.peerId(), m));
    join(a.sendTo(b.peerId(), a.createMessage("t2", null, "dup")));
    await().atMost(WAIT).until(() -> r.messages.size() == 2);
    assertThat(r.messages).extracting(P2PMessage::type).containsExactly("t", "t2");
    assertThat(b.securityManager().getMetrics().rejectionsByReason())
        .containsEntry(org.lotusia.p2p.security.RejectReason.DUPLICATE, 1L);
  }

  @Test
  void protocolRegistrationFollowsLotusSdk() {
    P2PCoordinator a = nodes.start();
    a.registerProtocol(new Recorder("p"));
    assertThatThrownBy(() -> a.registerProtocol(new Recorder("p")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Protocol already registered: p");
    assertThat(a.unregisterProtocol("p")).isTrue();
    assertThat(a.unregisterProtocol("p")).isFalse();
    a.registerProtocol(new Recorder("p"));
  }

  @Test
  void aHandlerWithAStreamProtocolGetsRawStreams() throws Exception {
    P2PCoordinator a = nodes.start();
    P2PCoordinator b = nodes.start();
    List<String> got = new CopyOnWriteArrayList<>();
    b.registerProtocol(
        new ProtocolHandler() {
          @Override
          public String protocolName() {
            return "raw";
          }

          @Override
          public void handleMessage(P2PMessage message, PeerInfo from) {}

          @Override
          public java.util.Optional<String> streamProtocolId() {
            return java.util.Optional.of("/lotus/raw/1.0.0");
          }

          @Override
          public void handleStream(org.lotusia.libp2p.Stream stream, PeerInfo from) {
            stream.readAll(1000).thenAccept(bytes -> got.add(from.peerId() + ":" + new String(bytes)));
          }
        });
    connect(a, b);
    join(a.sendTo(b.peerId(), a.createMessage("x", "y", null), "/lotus/raw/1.0.0"));
    await().atMost(WAIT).until(() -> got.size() == 1);
    assertThat(got.get(0)).startsWith(a.peerId() + ":{\"type\":\"x\"");
    b.unregisterProtocol("raw");
    assertThatThrownBy(
            () -> a.sendTo(b.peerId(), a.createMessage("x", "y", null), "/lotus/raw/1.0.0").get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(org.lotusia.libp2p.ProtocolNotSupportedException.class);
  }

  @Test
  void callsBeforeStartSayTheNodeIsNotStarted() {
    P2PCoordinator idle = new P2PCoordinator(TestNodes.config().build());
    try {
      assertThatThrownBy(idle::peerId).isInstanceOf(IllegalStateException.class).hasMessage("node is not started");
      assertThatThrownBy(() -> idle.sendTo("x", null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("node is not started");
      assertThatThrownBy(() -> idle.announceResource("t", "i", "d"))
          .hasMessage("node is not started");
      assertThatThrownBy(() -> idle.subscribeToTopic("t", m -> {})).hasMessage("node is not started");
      assertThatThrownBy(() -> idle.connectToPeer("/ip4/127.0.0.1/tcp/1")).hasMessage("node is not started");
      assertThat(idle.getConnectedPeers()).isEmpty();
      assertThat(idle.isConnected("12D3KooWQYV9dGMFoRzNStwpXztXaBUjtPqi6aU76ZgUriHhKust")).isFalse();
      assertThat(idle.getStats().peerId()).isEqualTo("not-started");
      assertThat(idle.getDHTStats()).isEqualTo(DhtStats.DISABLED);
      assertThat(idle.connectionState()).isEqualTo(ConnectionState.DISCONNECTED);
    } finally {
      idle.close();
    }
  }

  @Test
  void requestAndResponseWithErrorsAsExceptions() {
    P2PCoordinator a = nodes.start();
    P2PCoordinator b = nodes.start();
    b.handleRequests(
        "/test/add/1.0.0",
        (req, from) -> {
          if (req.type().equals("fail")) {
            throw new RequestException("not-found", "nothing called " + req.payload().asText());
          }
          JsonNode p = req.payload();
          return Map.of("sum", p.get("a").asInt() + p.get("b").asInt(), "from", from.peerId());
        });
    connect(a, b);
    JsonNode r =
        join(a.request(b.peerId(), "/test/add/1.0.0", "add", Map.of("a", 2, "b", 3), JsonNode.class, WAIT));
    assertThat(r.get("sum").asInt()).isEqualTo(5);
    assertThat(r.get("from").asText()).isEqualTo(a.peerId());
    assertThatThrownBy(
            () -> a.request(b.peerId(), "/test/add/1.0.0", "fail", "x", JsonNode.class, WAIT).get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(RequestException.class)
        .cause()
        .hasMessage("nothing called x")
        .extracting(t -> ((RequestException) t).code())
        .isEqualTo("not-found");
    b.handleRequests("/test/slow/1.0.0", (req, from) -> new java.util.concurrent.CompletableFuture<>());
    assertThatThrownBy(
            () ->
                a.request(b.peerId(), "/test/slow/1.0.0", "slow", 1, JsonNode.class, Duration.ofMillis(300))
                    .get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
  }
}
