package org.lotusia.p2p.coordinator.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.lotusia.p2p.coordinator.Registration;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import org.lotusia.p2p.coordinator.TopicHandler;

/**
 * What the discovery layer needs from a node: its identity, topics, resources, callback executor
 * and clock. {@link CoordinatorNetwork} provides it from a {@code P2PCoordinator}; tests provide an
 * in-memory one. Implementations are thread-safe; futures complete on the callback executor.
 */
interface DiscoveryNetwork {

  /** This node's peer ID; {@link IllegalStateException} before the node first started. */
  String selfId();

  /** Addresses others can reach this node at; {@link IllegalStateException} when not running. */
  List<String> reachableAddresses();

  /** The node's clock. */
  Clock clock();

  /** Where application callbacks run. */
  Executor callbacks();

  /** Whether the node has a DHT. */
  boolean dhtEnabled();

  /** The default deadline of a DHT search. */
  Duration discoverTimeout();

  /** Adds a topic handler; {@link IllegalStateException} when not running. */
  CompletableFuture<Registration> subscribe(String topic, TopicHandler handler);

  /** Publishes bytes on a topic; {@link IllegalStateException} when not running. */
  CompletableFuture<Void> publish(String topic, byte[] data);

  /** Announces a resource that ends at {@code expiresAt}; {@link IllegalStateException} when not running. */
  CompletableFuture<ResourceAnnouncement> announce(String type, String id, JsonNode data, Instant expiresAt);

  /** Stops announcing a resource; false when it was not announced or the node is not running. */
  boolean withdraw(String type, String id);

  /** Every live resource of a type whose data has {@code member} equal to {@code value}. */
  CompletableFuture<List<ResourceAnnouncement>> discoverResources(
      String type, String member, String value, Duration timeout);

  /**
   * Reports the node going down ({@code false}) and coming up again ({@code true}); topic handlers
   * do not survive a stop.
   */
  Registration onRunningChange(Consumer<Boolean> listener);
}
