package org.lotusia.swapsig.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.lotusia.p2p.coordinator.AnnounceOptions;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.Registration;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.swapsig.SwapSigManager;
import org.lotusia.swapsig.SwapSigNetwork;

/**
 * The {@link SwapSigNetwork} of a running {@link P2PCoordinator}: direct messages with lotus-sdk's
 * framing on {@code /lotus/message/1.0.0}, pool announcements on the GossipSub topic (delivered
 * with their StrictSign author; unsigned ones are dropped and counted) and as the coordinator's
 * signed DHT resources, which also serve discovery by type.
 *
 * <p>Threading: thread-safe; every method returns at once and every returned future completes (a
 * send within the coordinator's {@code sendTimeout}).
 */
public final class CoordinatorSwapSigNetwork implements SwapSigNetwork {

  private final P2PCoordinator node;
  private final String self;
  private final List<Registration> subscriptions = new CopyOnWriteArrayList<>();
  private final LongAdder unsignedTopicMessages = new LongAdder();
  private volatile SwapSigManager manager;

  /**
   * @param node a started coordinator (its peer ID is read now)
   * @throws IllegalStateException when the coordinator was never started
   */
  public CoordinatorSwapSigNetwork(P2PCoordinator node) {
    this.node = Objects.requireNonNull(node, "node");
    this.self = node.peerId();
  }

  /**
   * Names the manager topic messages go to; call once, before it subscribes.
   *
   * @param m the manager built over this network
   */
  public void attach(SwapSigManager m) {
    this.manager = Objects.requireNonNull(m, "manager");
  }

  @Override
  public String localPeerId() {
    return self;
  }

  @Override
  public Clock clock() {
    return node.config().clock();
  }

  @Override
  public CompletableFuture<Void> send(String peerId, P2PMessage message) {
    try {
      return node.sendTo(peerId, message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Void> publish(String topic, ObjectNode message) {
    try {
      return node.publishToTopic(topic, message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Void> subscribe(String topic) {
    SwapSigManager m = manager;
    if (m == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("no SwapSig manager attached"));
    }
    try {
      return node.subscribeToTopic(
              topic,
              msg -> {
                if (msg.from().isEmpty()) {
                  unsignedTopicMessages.increment();
                  return;
                }
                m.deliverTopic(msg.topic(), msg.from().get(), msg.data());
              })
          .thenAccept(subscriptions::add);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Void> announceResource(
      String type, String id, ObjectNode data, long expiresAtMillis) {
    try {
      return node.announceResource(
              type, id, data, AnnounceOptions.until(Instant.ofEpochMilli(expiresAtMillis)))
          .thenApply(a -> null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Optional<JsonNode>> findResource(String type, String id) {
    try {
      return node.discoverResource(type, id).thenApply(o -> o.map(ResourceAnnouncement::data));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<List<JsonNode>> findResources(String type) {
    try {
      return node.discoverResources(type, java.util.Map.of(), Duration.ofSeconds(10))
          .thenApply(l -> l.stream().map(ResourceAnnouncement::data).toList());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Leaves the topics this network subscribed to. */
  void unsubscribeAll() {
    for (Registration r : subscriptions) {
      try {
        r.close();
      } catch (RuntimeException e) {
        // the node stopped: its topic handlers are gone already
      }
    }
    subscriptions.clear();
  }

  /** @return topic messages dropped because they had no StrictSign author */
  public long unsignedTopicMessages() {
    return unsignedTopicMessages.sum();
  }
}
