package org.lotusia.musig2.p2p.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.lotusia.p2p.coordinator.AnnounceOptions;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.Registration;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;

/**
 * What the networks of the signing protocols share over a running {@link P2PCoordinator}: the local
 * peer ID and clock, topic publication, subscriptions that deliver only messages with a StrictSign
 * author (unsigned ones are dropped and counted, there is nobody to bind them to), the
 * coordinator's signed DHT resources with an expiry and their withdrawal, and leaving every
 * subscribed topic.
 *
 * <p>Threading: thread-safe; every method returns at once and every returned future completes. A
 * call the coordinator refuses at once (not started, bad argument) ends in a failed future, never
 * an exception.
 */
public abstract class CoordinatorNetworkBase {

  /** Receives a topic message with its author. */
  @FunctionalInterface
  protected interface AuthoredDelivery {
    /**
     * @param topic the topic
     * @param author the peer that signed the message
     * @param data the payload
     */
    void deliver(String topic, String author, byte[] data);
  }

  /** The coordinator. */
  protected final P2PCoordinator node;

  /** Its peer ID, read when the network was made. */
  protected final String self;

  private final List<Registration> subscriptions = new CopyOnWriteArrayList<>();
  private final LongAdder unsignedTopicMessages = new LongAdder();

  /**
   * @param node a started coordinator (its peer ID is read now)
   * @throws IllegalStateException when the coordinator was never started
   */
  protected CoordinatorNetworkBase(P2PCoordinator node) {
    this.node = Objects.requireNonNull(node, "node");
    this.self = node.peerId();
  }

  /**
   * @return this node's peer ID
   */
  public String localPeerId() {
    return self;
  }

  /**
   * @return the coordinator's clock
   */
  public Clock clock() {
    return node.config().clock();
  }

  /**
   * Publishes on a GossipSub topic.
   *
   * @param topic the topic
   * @param message the JSON object
   * @return completes when published
   */
  public CompletableFuture<Void> publish(String topic, ObjectNode message) {
    return guarded(() -> node.publishToTopic(topic, message));
  }

  /**
   * Announces a DHT resource that expires at the given time.
   *
   * @param type the resource type
   * @param id the resource ID
   * @param data its data
   * @param expiresAtMillis when it expires, epoch milliseconds
   * @return completes when stored or queued
   */
  public CompletableFuture<Void> announceResource(
      String type, String id, ObjectNode data, long expiresAtMillis) {
    return guarded(
        () ->
            node.announceResource(
                    type, id, data, AnnounceOptions.until(Instant.ofEpochMilli(expiresAtMillis)))
                .thenApply(a -> null));
  }

  /**
   * Withdraws an own DHT resource (see {@code P2PCoordinator.withdrawResource}).
   *
   * @param type the resource type
   * @param id the resource ID
   * @return completes at once
   */
  public CompletableFuture<Void> withdrawResource(String type, String id) {
    try {
      node.withdrawResource(type, id);
    } catch (IllegalStateException notRunning) {
      // nothing is republished by a stopped node
    }
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Finds a DHT resource's data: the freshest valid copy.
   *
   * @param type the resource type
   * @param id the resource ID
   * @return its data, or empty
   */
  public CompletableFuture<Optional<JsonNode>> findResource(String type, String id) {
    return guarded(
        () -> node.discoverResource(type, id).thenApply(o -> o.map(ResourceAnnouncement::data)));
  }

  /**
   * Subscribes to a topic, handing each message that has an author to {@code delivery} on the
   * coordinator's callback executor.
   *
   * @param topic the topic
   * @param delivery receives the authored messages
   * @return completes when subscribed
   */
  protected CompletableFuture<Void> subscribeAuthored(String topic, AuthoredDelivery delivery) {
    return guarded(
        () ->
            node.subscribeToTopic(
                    topic,
                    msg -> {
                      if (msg.from().isEmpty()) {
                        unsignedTopicMessages.increment();
                        return;
                      }
                      delivery.deliver(msg.topic(), msg.from().get(), msg.data());
                    })
                .thenAccept(subscriptions::add));
  }

  /** Leaves the topics this network subscribed to. */
  public void unsubscribeAll() {
    for (Registration r : subscriptions) {
      try {
        r.close();
      } catch (RuntimeException e) {
        // the node stopped: its topic handlers are gone already
      }
    }
    subscriptions.clear();
  }

  /**
   * @return topic messages dropped because they had no StrictSign author
   */
  public long unsignedTopicMessages() {
    return unsignedTopicMessages.sum();
  }

  /**
   * Runs a coordinator call, turning an exception it throws at once into a failed future.
   *
   * @param call the call
   * @param <T> its result
   * @return its future, or a failed one
   */
  protected static <T> CompletableFuture<T> guarded(Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
