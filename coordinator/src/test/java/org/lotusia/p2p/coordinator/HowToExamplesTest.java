package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

// howto:begin coordinator-imports
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.lotusia.libp2p.ProtocolNotSupportedException;
import org.lotusia.p2p.coordinator.AnnounceOptions;
import org.lotusia.p2p.coordinator.BroadcastOptions;
import org.lotusia.p2p.coordinator.BroadcastResult;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.PeerInfo;
import org.lotusia.p2p.coordinator.ProtocolHandler;
import org.lotusia.p2p.coordinator.Registration;
import org.lotusia.p2p.coordinator.RequestException;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.security.CoreSecurityManager;
import org.lotusia.p2p.security.ProtocolValidator;
// howto:end coordinator-imports

import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator examples of docs/HOWTO.md, compiled and run. The regions between the {@code
 * howto:begin} and {@code howto:end} markers are compared with the document by the node module's
 * {@code HowToDocTest}.
 */
class HowToExamplesTest {

  private final TestNodes nodes = new TestNodes();

  @AfterEach
  void close() {
    nodes.close();
  }

  @Test
  void gettingStarted() {
    // howto:begin coordinator-start
    P2PConfig config = P2PConfig.builder()
        .listen("/ip4/127.0.0.1/tcp/0") // lotus-sdk's default is /ip4/0.0.0.0/tcp/0
        .dhtServer(true) // store and serve DHT records for others (lotus-sdk's default: false)
        .build(); // every option is checked here; a bad one names itself in the exception

    P2PCoordinator node = new P2PCoordinator(config);
    node.start().join();
    System.out.println("peer ID: " + node.peerId());
    System.out.println("listening on " + node.getStats().multiaddrs());

    node.stop().join(); // ends every connection, timer and thread; start() may follow
    node.close(); // stops for good
    // howto:end coordinator-start
    assertThat(node.connectionState()).isEqualTo(ConnectionState.DISCONNECTED);
  }

  @Test
  void connectingAndMessages() {
    P2PCoordinator alice = nodes.start();
    P2PCoordinator bob = nodes.start();
    String bobAddress = TestNodes.addr(bob);
    List<String> printed = new CopyOnWriteArrayList<>();
    // howto:begin coordinator-connect
    // bobAddress is like /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...
    alice.on(P2PEvent.PeerConnected.class, e -> System.out.println("connected: " + e.peerId()));
    // wait for an event, with a deadline (lotus-sdk's waitForEvent); ask before the event can happen
    CompletableFuture<P2PEvent.PeerUpdated> identified = alice
        .waitForEvent(P2PEvent.PeerUpdated.class, e -> bobAddress.endsWith(e.peerInfo().peerId()),
            Duration.ofSeconds(30));
    PeerInfo peer = alice.connectToPeer(bobAddress).join();

    boolean connected = alice.isConnected(peer.peerId());
    List<PeerInfo> peers = alice.getConnectedPeers();
    System.out.println(peer.peerId() + " speaks " + identified.join().peerInfo().protocols());
    // howto:end coordinator-connect
    assertThat(connected).isTrue();
    assertThat(peers).hasSize(1);

    // howto:begin coordinator-messages
    // bob: every accepted direct message is an event; this listener runs off the network threads
    bob.on(P2PEvent.MessageReceived.class, e ->
        printed.add(e.message().type() + " from " + e.from().peerId()));

    // alice: one message to bob, then one to every connected peer except bob
    P2PMessage hello = alice.createMessage("greeting", Map.of("text", "hello"), "chat");
    alice.sendTo(bob.peerId(), hello).join(); // done when handed to the connection

    BroadcastResult result = alice
        .broadcast(alice.createMessage("news", Map.of("n", 1), "chat"),
            BroadcastOptions.excluding(bob.peerId()))
        .join();
    System.out.println("sent to " + result.sent() + ", failed " + result.failed());
    // howto:end coordinator-messages
    await().atMost(TestNodes.WAIT).until(() -> printed.size() == 1);
    assertThat(printed).containsExactly("greeting from " + alice.peerId());
  }

  // howto:begin coordinator-handler
  /** A protocol: messages whose "protocol" field is "chat" come here, one at a time. */
  static final class Chat implements ProtocolHandler {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public String protocolName() {
      return "chat";
    }

    @Override
    public void handleMessage(P2PMessage message, PeerInfo from) {
      lines.add(from.peerId() + ": " + message.payload().path("text").asText());
    }

    @Override
    public void onPeerDisconnected(String peerId) {
      lines.add(peerId + " left");
    }
  }
  // howto:end coordinator-handler

  @Test
  void customProtocolAndRequests() {
    P2PCoordinator alice = nodes.start();
    P2PCoordinator bob = nodes.start();
    TestNodes.connect(alice, bob);
    // howto:begin coordinator-register
    Chat chat = new Chat();
    bob.registerProtocol(chat); // a second handler of "chat" is refused
    alice.sendTo(bob.peerId(), alice.createMessage("line", Map.of("text", "hi"), "chat")).join();
    // howto:end coordinator-register
    await().atMost(TestNodes.WAIT).until(() -> chat.lines.size() == 1);

    // howto:begin coordinator-request
    // bob answers "price" requests on a protocol of its own
    Registration serving = bob.handleRequests("/example/price/1.0.0", (request, from) -> {
      String asset = request.payload().path("asset").asText();
      if (!asset.equals("XPI")) {
        throw new RequestException("unknown-asset", "no price for " + asset);
      }
      return Map.of("asset", asset, "price", 42);
    });

    // alice asks; the answer, an error answer or a timeout completes the future
    JsonNode price = alice
        .request(bob.peerId(), "/example/price/1.0.0", "price", Map.of("asset", "XPI"),
            JsonNode.class, Duration.ofSeconds(5))
        .join();
    System.out.println("price: " + price.get("price").asInt());
    // howto:end coordinator-request
    assertThat(price.get("price").asInt()).isEqualTo(42);
    serving.close();
  }

  @Test
  void topics() {
    P2PCoordinator alice = nodes.start();
    P2PCoordinator bob = nodes.start();
    TestNodes.connect(alice, bob);
    List<String> got = new CopyOnWriteArrayList<>();
    // howto:begin coordinator-topics
    // bob: several handlers per topic are fine; each registration removes one
    Registration sub = bob.subscribeToTopic("lotus/discovery/my-app", message -> {
      JsonNode value = message.json(); // lotus-sdk publishes JSON.stringify(value)
      got.add(value.path("text").asText() + " from " + message.from().orElse("?"));
    }).join();

    // alice: publish a value as JSON (GossipSub, StrictSign)
    alice.subscribeToTopic("lotus/discovery/my-app", message -> { }).join();
    // ... once bob's subscription reached alice (see getTopicPeers):
    alice.publishToTopic("lotus/discovery/my-app", Map.of("text", "hello topic")).join();
    // howto:end coordinator-topics
    await().atMost(TestNodes.WAIT).until(() -> alice.getTopicPeers("lotus/discovery/my-app").contains(bob.peerId()));
    alice.publishToTopic("lotus/discovery/my-app", Map.of("text", "hello topic")).join();
    await().atMost(TestNodes.WAIT).until(() -> !got.isEmpty());
    assertThat(got.get(0)).isEqualTo("hello topic from " + alice.peerId());
    sub.close();
  }

  @Test
  void resources() {
    P2PCoordinator alice = nodes.start();
    P2PCoordinator bob = nodes.start();
    TestNodes.connect(alice, bob);
    await().atMost(TestNodes.WAIT).until(() -> alice.getDHTStats().isReady());
    // howto:begin coordinator-resources
    // announce: signed with alice's identity, stored in the DHT as resource:session:s-42,
    // renewed every 5 minutes while alice runs, gone within 10 minutes after she stops
    ResourceAnnouncement mine = alice
        .announceResource("session", "s-42", Map.of("status", "open", "signers", 3),
            AnnounceOptions.ttl(Duration.ofMinutes(10)))
        .join();

    // bob: by key (the freshest valid copy in the DHT) ...
    Optional<ResourceAnnouncement> one = bob.discoverResource("session", "s-42").join();
    // ... or every live one of a type, across the network, filtered on the data
    List<ResourceAnnouncement> open = bob
        .discoverResources("session", Map.of("status", "open"), Duration.ofSeconds(5))
        .join();
    // ... or what is cached locally, without the network
    List<ResourceAnnouncement> cached = bob.getLocalResources("session", Map.of());
    // howto:end coordinator-resources
    assertThat(one).isPresent();
    assertThat(one.get().authenticated()).isTrue();
    assertThat(open).extracting(ResourceAnnouncement::resourceId).containsExactly("s-42");
    assertThat(cached).hasSize(1);
    assertThat(mine.creatorPeerId()).isEqualTo(alice.peerId());
  }

  @Test
  void securityAndErrors() {
    P2PCoordinator node = nodes.start();
    P2PCoordinator other = nodes.start();
    TestNodes.connect(node, other);
    String somePeer = other.peerId();
    // howto:begin coordinator-security
    CoreSecurityManager security = node.securityManager();
    // refuse "chat" messages without text, from every peer (counted, and warnings escalate to bans)
    security.registerProtocolValidator("chat", new ProtocolValidator() {
      @Override
      public boolean validateMessage(P2PMessage m, String fromPeerId) {
        return m.payload() != null && m.payload().hasNonNull("text");
      }
    });
    node.on(P2PEvent.PeerBanned.class, e -> System.out.println("banned " + e.peerId() + ": " + e.reason()));
    security.banPeer(somePeer, "manual"); // disconnected now, refused from now on
    System.out.println(security.getMetrics().rejectionsByReason());
    // howto:end coordinator-security
    await().atMost(TestNodes.WAIT).until(() -> !node.isConnected(somePeer));

    // howto:begin coordinator-errors
    try {
      node.sendTo(somePeer, node.createMessage("ping", null, null)).join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TimeoutException) {
        System.out.println("no answer within sendTimeout");
      } else if (cause instanceof ProtocolNotSupportedException) {
        System.out.println("the peer does not serve /lotus/message/1.0.0");
      } else {
        System.out.println("could not send: " + cause.getMessage()); // dial refused, reset, ...
      }
    }
    try {
      node.announceResource("bad/type", "x", "data"); // caller errors are thrown at once
    } catch (IllegalArgumentException e) {
      System.out.println(e.getMessage()); // says what was wrong and what is accepted
    }
    // howto:end coordinator-errors
  }
}
