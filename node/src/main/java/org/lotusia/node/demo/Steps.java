package org.lotusia.node.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.Registration;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import org.lotusia.p2p.protocol.P2PMessage;

/** The steps of {@code lotus-p2p demo}, in the order they run. */
public final class Steps {

  static final String TOPIC = "lotus-demo";
  static final String RESOURCE_TYPE = "demo-service";

  private Steps() {}

  /**
   * The demo's steps for {@code n} nodes.
   *
   * @param n the number of nodes
   * @return the steps, in order
   */
  public static List<DemoStep> all(int n) {
    return List.of(start(n), bootstrap(), resource(), topic(), direct(), musig2());
  }

  /** Starts {@code n} nodes on loopback. */
  static DemoStep start(int n) {
    return step(
        "start",
        "start " + n + " nodes on loopback",
        (net, p) -> {
          List<Object> ids = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            p.update((i) + " of " + n + " nodes started");
            ids.add(net.startNode().peerId());
          }
          return StepResult.passed(n + " nodes listening on 127.0.0.1", Map.of("peerIds", ids));
        });
  }

  /** Waits until every node has DHT peers in its routing table. */
  static DemoStep bootstrap() {
    return step(
        "bootstrap",
        "join the DHT through node 0, then look up each node's own ID",
        (net, p) -> {
          List<P2PCoordinator> nodes = net.nodes();
          net.awaitCondition(
              "every node to have node 0 in its routing table",
              () -> nodes.stream().allMatch(x -> x.getDHTStats().routingTableSize() >= 1),
              () -> nodes.stream().filter(x -> x.getDHTStats().routingTableSize() >= 1).count()
                  + " of " + nodes.size() + " nodes reached node 0",
              p);
          // a lookup of its own ID fills each routing table with the peers near it (Kademlia's join)
          List<java.util.concurrent.CompletableFuture<?>> lookups = new ArrayList<>();
          for (P2PCoordinator x : nodes) {
            x.networkComponents().flatMap(c -> c.dht()).ifPresent(d -> lookups.add(d.bootstrap()));
          }
          p.update("every node looks up its own ID");
          net.await(
              java.util.concurrent.CompletableFuture.allOf(lookups.toArray(java.util.concurrent.CompletableFuture[]::new)),
              "the self lookups");
          int want = Math.min(nodes.size() - 1, 3);
          net.awaitCondition(
              "every node to have " + want + " DHT peers",
              () -> nodes.stream().allMatch(x -> x.getDHTStats().routingTableSize() >= want),
              () -> nodes.stream().filter(x -> x.getDHTStats().routingTableSize() >= want).count()
                  + " of " + nodes.size() + " nodes have " + want + "+ DHT peers",
              p);
          List<Object> sizes = new ArrayList<>();
          nodes.forEach(x -> sizes.add(x.getDHTStats().routingTableSize()));
          return StepResult.passed(
              "every node has at least " + want + " peers in its routing table",
              Map.of("routingTableSizes", sizes));
        });
  }

  /** The last node announces a resource; node 1 discovers it through the DHT. */
  static DemoStep resource() {
    return step(
        "resource",
        "announce a resource and discover it through the DHT",
        (net, p) -> {
          List<P2PCoordinator> nodes = net.nodes();
          P2PCoordinator owner = nodes.get(nodes.size() - 1);
          P2PCoordinator finder = nodes.get(1 % nodes.size() == nodes.size() - 1 ? 0 : 1);
          Map<String, Object> data = Map.of("endpoint", "demo", "capacity", 3);
          p.update("announcing " + RESOURCE_TYPE + "/svc-1");
          ResourceAnnouncement announced =
              net.await(owner.announceResource(RESOURCE_TYPE, "svc-1", data), "the announcement");
          p.update("discovering " + RESOURCE_TYPE + "/svc-1 from another node");
          Optional<ResourceAnnouncement> found =
              net.await(
                  finder.discoverResource(RESOURCE_TYPE, "svc-1", Duration.ofSeconds(15)), "the discovery");
          ResourceAnnouncement r =
              found.orElseThrow(() -> new IllegalStateException("the resource was not found"));
          check(r.creatorPeerId().equals(owner.peerId()), "the creator is " + r.creatorPeerId() + ", not the announcer");
          check(r.authenticated(), "the discovered announcement's signature was not verified");
          check(r.data().path("capacity").asInt() == 3, "the data differ: " + r.data());
          return StepResult.passed(
              "node " + (nodes.indexOf(finder)) + " found " + r.key() + ", signed by node " + (nodes.size() - 1),
              details("key", r.key(), "creator", r.creatorPeerId(), "data", r.data().toString(),
                  "signatureBytes", announced.signature().length));
        });
  }

  /** Every node subscribes to a topic; node 0 publishes; every other node receives it. */
  static DemoStep topic() {
    return step(
        "topic",
        "exchange a GossipSub topic message",
        (net, p) -> {
          List<P2PCoordinator> nodes = net.nodes();
          Map<String, String> received = new ConcurrentHashMap<>();
          List<Registration> subs = new ArrayList<>();
          try {
            for (P2PCoordinator n : nodes) {
              subs.add(net.await(n.subscribeToTopic(TOPIC, m -> received.put(n.peerId(), m.text())), "a subscription"));
            }
            P2PCoordinator sender = nodes.get(0);
            net.awaitCondition(
                "node 0 to know subscribers of " + TOPIC,
                () -> !sender.getTopicPeers(TOPIC).isEmpty(),
                () -> sender.getTopicPeers(TOPIC).size() + " subscribers known to node 0",
                p);
            String text = "{\"hello\":\"from node 0\"}";
            Map<String, Object> value = Map.of("hello", "from node 0");
            // GossipSub delivers over meshes that form at heartbeats; publish again until all have it
            long lastPublish = 0;
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
            while (received.size() < nodes.size() - 1) {
              if (System.nanoTime() - lastPublish > 2_000_000_000L) {
                net.await(sender.publishToTopic(TOPIC, value), "the publication");
                lastPublish = System.nanoTime();
              }
              p.update(received.size() + " of " + (nodes.size() - 1) + " nodes received the message");
              check(java.time.Instant.now().isBefore(deadline),
                  "only " + received.size() + " of " + (nodes.size() - 1) + " nodes received the topic message");
              Thread.sleep(50);
            }
            check(received.values().stream().allMatch(text::equals), "a node received other data: " + received);
            return StepResult.passed(
                "all " + (nodes.size() - 1) + " other nodes received node 0's message on " + TOPIC,
                details("topic", TOPIC, "data", text, "receivers", received.size()));
          } finally {
            subs.forEach(Registration::close);
          }
        });
  }

  /** Each node sends a direct message to the next one; each checks what it received. */
  static DemoStep direct() {
    return step(
        "direct",
        "send direct messages around the ring of nodes",
        (net, p) -> {
          List<P2PCoordinator> nodes = net.nodes();
          List<P2PEvent.MessageReceived> got = new CopyOnWriteArrayList<>();
          List<Registration> regs = new ArrayList<>();
          List<String> ids = new ArrayList<>();
          try {
            for (P2PCoordinator n : nodes) {
              regs.add(n.on(P2PEvent.MessageReceived.class, e -> {
                if ("demo-hello".equals(e.message().type())) {
                  got.add(e);
                }
              }));
            }
            for (int i = 0; i < nodes.size(); i++) {
              P2PCoordinator from = nodes.get(i);
              P2PCoordinator to = nodes.get((i + 1) % nodes.size());
              P2PMessage m = from.createMessage("demo-hello", Map.of("n", i), "demo");
              ids.add(m.messageId());
              net.await(from.sendTo(to.peerId(), m), "node " + i + "'s message");
            }
            net.awaitCondition(
                "every message to arrive",
                () -> got.size() >= nodes.size(),
                () -> got.size() + " of " + nodes.size() + " messages arrived",
                p);
            for (P2PEvent.MessageReceived e : got) {
              int i = e.message().payload().path("n").asInt();
              check(e.from().peerId().equals(nodes.get(i).peerId()), "message " + i + " came from the wrong peer");
              check(ids.get(i).equals(e.message().messageId()), "message " + i + " has another ID");
            }
            return StepResult.passed(
                nodes.size() + " messages, each from the authenticated sender",
                details("messages", nodes.size(), "type", "demo-hello", "messageIds", ids));
          } finally {
            regs.forEach(Registration::close);
          }
        });
  }

  /**
   * The 3-of-3 MuSig2 signing session. The session manager of musig2-p2p is not wired to the
   * coordinator in this build, so the step reports itself unavailable; once the wiring exists this
   * method returns the step that runs the session.
   */
  static DemoStep musig2() {
    return step(
        "musig2",
        "sign a message in a 3-of-3 MuSig2 session",
        (net, p) ->
            StepResult.unavailable(
                "not available in this build: MuSig2 sessions are not yet wired to the coordinator"));
  }

  private interface Body {
    StepResult run(DemoNetwork net, DemoStep.Progress p) throws Exception;
  }

  private static DemoStep step(String name, String description, Body body) {
    return new DemoStep() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String description() {
        return description;
      }

      @Override
      public StepResult run(DemoNetwork network, Progress progress) throws Exception {
        return body.run(network, progress);
      }
    };
  }

  static void check(boolean ok, String failure) {
    if (!ok) {
      throw new IllegalStateException(failure);
    }
  }

  private static Map<String, Object> details(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
