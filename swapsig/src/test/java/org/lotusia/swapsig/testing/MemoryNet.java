package org.lotusia.swapsig.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.lotusia.musig2.p2p.SessionManager;
import org.lotusia.musig2.p2p.SessionNetwork;
import org.lotusia.p2p.protocol.MessageJson;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.swapsig.SwapSigManager;
import org.lotusia.swapsig.SwapSigNetwork;
import org.lotusia.swapsig.wire.CanonicalJson;

/**
 * An in-memory network of nodes for tests, on real threads and the system clock: direct messages
 * travel as the JSON bytes lotus-sdk writes and are parsed again on arrival, topic messages reach
 * every other subscriber, the DHT is a map. Each node routes protocol {@code swapsig} to its
 * SwapSig manager and {@code musig2} to its session manager. A node can be made silent (everything
 * it sends or would receive is lost), as a participant that disappears. Every direct message and
 * topic message is recorded, so a test can inspect what the pool put on the network.
 */
public final class MemoryNet implements AutoCloseable {

  /** One message as it left its sender. */
  public record Sent(String from, String to, String type, String json) {}

  private final Map<String, Node> nodes = new ConcurrentHashMap<>();
  private final Map<String, Set<Node>> subscribers = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> dht = new ConcurrentHashMap<>();
  private final Set<String> silent = ConcurrentHashMap.newKeySet();
  private final List<java.util.function.Predicate<Sent>> drops = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
  private final ExecutorService delivery = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "memory-net");
    t.setDaemon(true);
    return t;
  });

  /** Adds a node. */
  public Node node(String peerId) {
    Node n = new Node(peerId);
    nodes.put(peerId, n);
    return n;
  }

  /** Everything the node sends or would receive from now on is lost. */
  public void silence(String peerId) {
    silent.add(peerId);
  }

  /** Direct messages matching {@code p} are recorded in {@link #sent()} but never delivered. */
  public void drop(java.util.function.Predicate<Sent> p) {
    drops.add(p);
  }

  /** Every message sent so far. */
  public List<Sent> sent() {
    return new ArrayList<>(sent);
  }

  @Override
  public void close() {
    delivery.shutdownNow();
  }

  /** A node: its two network ports and the managers they deliver to. */
  public final class Node {
    private final String peerId;
    private volatile SwapSigManager swaps;
    private volatile SessionManager sessions;
    private volatile java.util.function.BiConsumer<String, P2PMessage> raw;

    private Node(String peerId) {
      this.peerId = peerId;
    }

    public String peerId() {
      return peerId;
    }

    /** Hands every direct message to {@code handler} instead of managers (a hand-written peer). */
    public void attachRaw(java.util.function.BiConsumer<String, P2PMessage> handler) {
      this.raw = handler;
    }

    /** Sends an envelope as this node. */
    public CompletableFuture<Void> sendRaw(String to, P2PMessage m) {
      return send(to, m);
    }

    /** Connects the managers that receive this node's traffic. */
    public void attach(SwapSigManager swaps, SessionManager sessions) {
      this.swaps = swaps;
      this.sessions = sessions;
    }

    public SwapSigNetwork swapNetwork() {
      return new SwapPort();
    }

    public SessionNetwork sessionNetwork() {
      return new SessionPort();
    }

    private CompletableFuture<Void> send(String to, P2PMessage m) {
      Node target = nodes.get(to);
      if (target == null) {
        return CompletableFuture.failedFuture(new java.net.ConnectException("no peer " + to));
      }
      byte[] bytes = MessageJson.toBytes(m);
      Sent record = new Sent(peerId, to, m.type(), new String(bytes, StandardCharsets.UTF_8));
      sent.add(record);
      if (silent.contains(peerId) || silent.contains(to) || drops.stream().anyMatch(d -> d.test(record))) {
        return CompletableFuture.completedFuture(null);
      }
      delivery.execute(() -> target.receive(peerId, MessageJson.parse(bytes, 0, bytes.length)));
      return CompletableFuture.completedFuture(null);
    }

    private void receive(String from, P2PMessage m) {
      if (raw != null) {
        raw.accept(from, m);
      } else if ("swapsig".equals(m.protocol()) && swaps != null) {
        swaps.deliverDirect(from, m);
      } else if ("musig2".equals(m.protocol()) && sessions != null) {
        sessions.deliverDirect(from, m);
      }
    }

    private CompletableFuture<Void> publish(String topic, ObjectNode o) {
      byte[] bytes = o.toString().getBytes(StandardCharsets.UTF_8);
      sent.add(new Sent(peerId, "topic:" + topic, topic, o.toString()));
      if (silent.contains(peerId)) {
        return CompletableFuture.completedFuture(null);
      }
      for (Node n : subscribers.getOrDefault(topic, Set.of())) {
        if (n != this && !silent.contains(n.peerId)) {
          delivery.execute(() -> n.topicMessage(topic, peerId, bytes));
        }
      }
      return CompletableFuture.completedFuture(null);
    }

    private void topicMessage(String topic, String from, byte[] bytes) {
      if (topic.startsWith("lotus/swapsig") && swaps != null) {
        swaps.deliverTopic(topic, from, bytes);
      } else if (sessions != null) {
        sessions.deliverTopic(topic, from, bytes);
      }
    }

    private CompletableFuture<Void> subscribe(String topic) {
      subscribers.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(this);
      return CompletableFuture.completedFuture(null);
    }

    private final class SwapPort implements SwapSigNetwork {
      @Override
      public String localPeerId() {
        return peerId;
      }

      @Override
      public Clock clock() {
        return Clock.systemUTC();
      }

      @Override
      public CompletableFuture<Void> send(String to, P2PMessage m) {
        return Node.this.send(to, m);
      }

      @Override
      public CompletableFuture<Void> publish(String topic, ObjectNode m) {
        return Node.this.publish(topic, m);
      }

      @Override
      public CompletableFuture<Void> subscribe(String topic) {
        return Node.this.subscribe(topic);
      }

      @Override
      public CompletableFuture<Void> announceResource(String type, String id, ObjectNode data, long exp) {
        dht.put(type + ":" + id, data.deepCopy());
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletableFuture<Void> withdrawResource(String type, String id) {
        dht.remove(type + ":" + id);
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletableFuture<Optional<JsonNode>> findResource(String type, String id) {
        return CompletableFuture.completedFuture(Optional.ofNullable(dht.get(type + ":" + id)));
      }

      @Override
      public CompletableFuture<List<JsonNode>> findResources(String type) {
        List<JsonNode> out = new ArrayList<>();
        dht.forEach((k, v) -> {
          if (k.startsWith(type + ":")) {
            out.add(v.deepCopy());
          }
        });
        return CompletableFuture.completedFuture(out);
      }
    }

    private final class SessionPort implements SessionNetwork {
      @Override
      public String localPeerId() {
        return peerId;
      }

      @Override
      public Clock clock() {
        return Clock.systemUTC();
      }

      @Override
      public CompletableFuture<Void> send(String to, P2PMessage m) {
        return Node.this.send(to, m);
      }

      @Override
      public CompletableFuture<Void> publish(String topic, ObjectNode m) {
        return Node.this.publish(topic, m);
      }

      @Override
      public CompletableFuture<Void> subscribe(String topic) {
        return Node.this.subscribe(topic);
      }

      @Override
      public CompletableFuture<Void> announceResource(String type, String id, ObjectNode data, long exp) {
        dht.put(type + ":" + id, data.deepCopy());
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletableFuture<Void> withdrawResource(String type, String id) {
        dht.remove(type + ":" + id);
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletableFuture<Optional<JsonNode>> findResource(String type, String id) {
        return CompletableFuture.completedFuture(Optional.ofNullable(dht.get(type + ":" + id)));
      }
    }
  }

  static JsonNode parse(String json) {
    try {
      return CanonicalJson.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
