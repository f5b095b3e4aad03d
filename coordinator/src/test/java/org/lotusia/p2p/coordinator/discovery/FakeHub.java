package org.lotusia.p2p.coordinator.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.p2p.coordinator.Registration;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import org.lotusia.p2p.coordinator.TopicHandler;
import org.lotusia.p2p.coordinator.TopicMessage;

/**
 * An in-memory network for the discovery layer: topics deliver synchronously to every other node's
 * handlers with the publisher as the authenticated author, resources live in one shared store.
 * Callbacks run on the calling thread, so tests are deterministic.
 */
final class FakeHub {

  final Clock clock;
  private final List<Node> nodes = new CopyOnWriteArrayList<>();
  private final Map<String, ResourceAnnouncement> resources = new LinkedHashMap<>();

  FakeHub(Clock clock) {
    this.clock = clock;
  }

  Node node() {
    Node n = new Node(PeerId.fromPublicKey(Keys.generateEd25519().publicKey()).toBase58());
    nodes.add(n);
    return n;
  }

  /** Delivers bytes on a topic as if {@code author} had published them (forgeries, raw JSON). */
  void inject(String topic, byte[] data, String author) {
    for (Node n : nodes) {
      if (!n.id.equals(author)) {
        n.deliver(new TopicMessage(topic, data.clone(), Optional.ofNullable(author), author == null ? "x" : author));
      }
    }
  }

  /** Stores a resource as if {@code creator} had announced it (authenticated). */
  synchronized void putResource(String creator, String type, String id, JsonNode data, long expiresAt) {
    resources.put(
        creator + "|" + type + "|" + id,
        new ResourceAnnouncement(id, type, creator, data, clock.millis(), OptionalLong.of(expiresAt), new byte[64], true));
  }

  synchronized int resourceCount() {
    return resources.size();
  }

  /** One node of the hub. */
  final class Node implements DiscoveryNetwork {
    final String id;
    final Map<String, List<TopicHandler>> handlers = new LinkedHashMap<>();
    final List<Consumer<Boolean>> runningListeners = new CopyOnWriteArrayList<>();
    final AtomicInteger subscribeCalls = new AtomicInteger();
    final AtomicInteger publishCalls = new AtomicInteger();
    volatile boolean running = true;
    volatile int failPublishes;
    volatile boolean failAnnounce;
    Executor callbacks = Runnable::run;

    Node(String id) {
      this.id = id;
    }

    void setRunning(boolean up) {
      running = up;
      if (!up) {
        synchronized (this) {
          handlers.clear();
        }
      }
      runningListeners.forEach(l -> l.accept(up));
    }

    synchronized int handlerCount(String topic) {
      return handlers.getOrDefault(topic, List.of()).size();
    }

    void deliver(TopicMessage m) {
      List<TopicHandler> hs;
      synchronized (this) {
        hs = new ArrayList<>(handlers.getOrDefault(m.topic(), List.of()));
      }
      for (TopicHandler h : hs) {
        try {
          h.onMessage(new TopicMessage(m.topic(), m.data().clone(), m.from(), m.receivedFrom()));
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
    }

    private void requireRunning() {
      if (!running) {
        throw new IllegalStateException("node is not started");
      }
    }

    @Override
    public String selfId() {
      return id;
    }

    @Override
    public List<String> reachableAddresses() {
      requireRunning();
      return List.of("/ip4/127.0.0.1/tcp/4001/p2p/" + id);
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public Executor callbacks() {
      return callbacks;
    }

    @Override
    public boolean dhtEnabled() {
      return true;
    }

    @Override
    public Duration discoverTimeout() {
      return Duration.ofSeconds(5);
    }

    @Override
    public CompletableFuture<Registration> subscribe(String topic, TopicHandler handler) {
      requireRunning();
      subscribeCalls.incrementAndGet();
      synchronized (this) {
        handlers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(handler);
      }
      return CompletableFuture.completedFuture(
          () -> {
            synchronized (this) {
              List<TopicHandler> l = handlers.get(topic);
              if (l != null) {
                l.remove(handler);
                if (l.isEmpty()) {
                  handlers.remove(topic);
                }
              }
            }
          });
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] data) {
      requireRunning();
      publishCalls.incrementAndGet();
      if (failPublishes > 0) {
        failPublishes--;
        return CompletableFuture.failedFuture(new IllegalStateException("no route (test)"));
      }
      inject(topic, data, id);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<ResourceAnnouncement> announce(String type, String rid, JsonNode data, Instant expiresAt) {
      requireRunning();
      if (failAnnounce) {
        return CompletableFuture.failedFuture(new IllegalStateException("no DHT peer stored it (test)"));
      }
      putResource(id, type, rid, data, expiresAt.toEpochMilli());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean withdraw(String type, String rid) {
      synchronized (FakeHub.this) {
        return resources.remove(id + "|" + type + "|" + rid) != null;
      }
    }

    @Override
    public CompletableFuture<List<ResourceAnnouncement>> discoverResources(
        String type, String member, String value, Duration timeout) {
      requireRunning();
      List<ResourceAnnouncement> out = new ArrayList<>();
      synchronized (FakeHub.this) {
        for (ResourceAnnouncement r : resources.values()) {
          if (r.resourceType().equals(type)
              && !r.isExpired(clock.millis())
              && value.equals(r.data().path(member).textValue())) {
            out.add(r);
          }
        }
      }
      return CompletableFuture.completedFuture(out);
    }

    @Override
    public Registration onRunningChange(Consumer<Boolean> listener) {
      runningListeners.add(listener);
      return () -> runningListeners.remove(listener);
    }
  }
}
