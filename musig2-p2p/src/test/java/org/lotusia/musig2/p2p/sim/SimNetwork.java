package org.lotusia.musig2.p2p.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.lotusia.musig2.p2p.SessionManager;
import org.lotusia.musig2.p2p.SessionNetwork;
import org.lotusia.p2p.protocol.JsJsonWriter;
import org.lotusia.p2p.protocol.MessageJson;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * An in-memory network of session managers on {@link VirtualTime}, with controllable delivery:
 * latency and jitter (jitter reorders), random drops, drops by predicate, pairs of peers that
 * cannot reach each other (the send fails, as a failed dial does), and silent peers (everything
 * they send or would receive is lost). Direct messages travel as the JSON bytes lotus-sdk writes
 * and are parsed again on arrival; topic messages reach every other subscriber; the DHT is a map.
 * Everything runs on the test thread.
 */
public final class SimNetwork {

  /** Receives topic messages. */
  @FunctionalInterface
  public interface TopicSink {
    void deliver(String topic, String publisher, byte[] data);
  }

  /** One message as it left its sender. */
  public record Sent(String from, String to, P2PMessage message) {}

  private final VirtualTime time;
  private final Random random;
  private final Map<String, Node> nodes = new HashMap<>();
  private final Set<String> unreachable = new HashSet<>();
  private final Set<String> silent = new HashSet<>();
  private final Map<String, Set<Node>> subscribers = new HashMap<>();
  private final Map<String, ObjectNode> dht = new HashMap<>();
  private final List<Sent> sent = new ArrayList<>();
  private final List<Predicate<Sent>> dropRules = new ArrayList<>();
  private Duration latency = Duration.ofMillis(5);
  private Duration jitter = Duration.ZERO;
  private double dropRate;

  public SimNetwork(long seed) {
    this.time = new VirtualTime(1_700_000_000_000L);
    this.random = new Random(seed);
  }

  public VirtualTime time() {
    return time;
  }

  /** Base latency and random extra delay (extra delay reorders messages). */
  public SimNetwork latency(Duration base, Duration extra) {
    this.latency = base;
    this.jitter = extra;
    return this;
  }

  /** Fraction of direct messages lost at random. */
  public SimNetwork dropRate(double rate) {
    this.dropRate = rate;
    return this;
  }

  /** Direct messages matching the rule are lost (the send still succeeds). */
  public SimNetwork dropIf(Predicate<Sent> rule) {
    dropRules.add(rule);
    return this;
  }

  /** The two peers cannot reach each other: sends between them fail. */
  public SimNetwork cut(String a, String b) {
    unreachable.add(a + "|" + b);
    unreachable.add(b + "|" + a);
    return this;
  }

  /** The peer goes silent: nothing it sends or would receive gets through. */
  public SimNetwork silence(String peer) {
    silent.add(peer);
    return this;
  }

  /** Every direct message sent so far. */
  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  /** A node with this peer ID; a new one replaces an old one of the same ID (a restart). */
  public Node node(String peerId) {
    Node n = new Node(peerId);
    Node old = nodes.put(peerId, n);
    if (old != null) {
      for (Set<Node> subs : subscribers.values()) {
        subs.remove(old);
      }
    }
    silent.remove(peerId);
    return n;
  }

  /** A manager builder wired to this simulation's time for a node. */
  public SessionManager.Builder managerBuilder(Node node) {
    return SessionManager.builder(node)
        .serviceExecutor(time)
        .scheduler(time)
        .callbackExecutor(time);
  }

  /** Injects a direct message as if {@code transportPeer} had sent it to {@code to}. */
  public void inject(String transportPeer, String to, P2PMessage message) {
    byte[] bytes = MessageJson.toBytes(message);
    time.schedule(() -> deliver(transportPeer, to, bytes), latency.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void deliver(String from, String to, byte[] bytes) {
    Node target = nodes.get(to);
    if (target == null || target.manager == null || silent.contains(to)) {
      return;
    }
    P2PMessage parsed = MessageJson.parse(bytes, 0, bytes.length);
    target.manager.deliverDirect(from, parsed);
  }

  private long delayMillis() {
    long extra = jitter.isZero() ? 0 : (long) (random.nextDouble() * jitter.toMillis());
    return latency.toMillis() + extra;
  }

  /** One peer's side of the network: the {@link SessionNetwork} its manager uses. */
  public final class Node implements SessionNetwork {
    private final String peerId;
    private SessionManager manager;
    private final List<TopicSink> sinks = new ArrayList<>();

    private Node(String peerId) {
      this.peerId = peerId;
    }

    /** Connects the manager that receives this node's messages. */
    public void attach(SessionManager m) {
      this.manager = m;
    }

    public SessionManager manager() {
      return manager;
    }

    /** Also hands this node's topic messages to {@code sink} (for example a discovery layer). */
    public void addTopicSink(TopicSink sink) {
      sinks.add(sink);
    }

    @Override
    public String localPeerId() {
      return peerId;
    }

    @Override
    public Clock clock() {
      return time.clock();
    }

    @Override
    public CompletableFuture<Void> send(String to, P2PMessage message) {
      Sent s = new Sent(peerId, to, message);
      sent.add(s);
      if (nodes.get(peerId) != this || silent.contains(peerId)) {
        return CompletableFuture.completedFuture(null); // lost, and the sender cannot tell
      }
      if (unreachable.contains(peerId + "|" + to) || !nodes.containsKey(to)) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        time.schedule(
            () -> f.completeExceptionally(new ConnectException("cannot reach " + to)),
            latency.toMillis(),
            TimeUnit.MILLISECONDS);
        return f;
      }
      for (Predicate<Sent> rule : dropRules) {
        if (rule.test(s)) {
          return CompletableFuture.completedFuture(null);
        }
      }
      if (dropRate > 0 && random.nextDouble() < dropRate) {
        return CompletableFuture.completedFuture(null);
      }
      byte[] bytes = MessageJson.toBytes(message);
      time.schedule(() -> deliver(peerId, to, bytes), delayMillis(), TimeUnit.MILLISECONDS);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, ObjectNode message) {
      if (silent.contains(peerId)) {
        return CompletableFuture.completedFuture(null);
      }
      byte[] bytes = JsJsonWriter.write(message).getBytes(StandardCharsets.UTF_8);
      for (Node n : subscribers.getOrDefault(topic, Set.of())) {
        if (n != this) {
          time.schedule(
              () -> {
                if (!silent.contains(n.peerId) && nodes.get(n.peerId) == n) {
                  if (n.manager != null) {
                    n.manager.deliverTopic(topic, peerId, bytes);
                  }
                  n.sinks.forEach(k -> k.deliver(topic, peerId, bytes));
                }
              },
              delayMillis(),
              TimeUnit.MILLISECONDS);
        }
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> subscribe(String topic) {
      subscribers.computeIfAbsent(topic, t -> new HashSet<>()).add(this);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> announceResource(
        String type, String id, ObjectNode data, long expiresAtMillis) {
      dht.put("resource:" + type + ":" + id, data.deepCopy());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> withdrawResource(String type, String id) {
      dht.remove("resource:" + type + ":" + id);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Optional<JsonNode>> findResource(String type, String id) {
      ObjectNode v = dht.get("resource:" + type + ":" + id);
      return CompletableFuture.completedFuture(Optional.ofNullable(v == null ? null : v.deepCopy()));
    }
  }

  /** Whether the DHT holds a resource. */
  public boolean dhtHas(String type, String id) {
    return dht.containsKey("resource:" + type + ":" + id);
  }
}
