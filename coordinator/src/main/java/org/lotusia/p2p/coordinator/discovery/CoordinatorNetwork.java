package org.lotusia.p2p.coordinator.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.lotusia.p2p.coordinator.AnnounceOptions;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.Registration;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import org.lotusia.p2p.coordinator.TopicHandler;

/** The {@link DiscoveryNetwork} of a {@link P2PCoordinator}. Thread-safe. */
final class CoordinatorNetwork implements DiscoveryNetwork {

  private final P2PCoordinator node;

  CoordinatorNetwork(P2PCoordinator node) {
    this.node = node;
  }

  @Override
  public String selfId() {
    return node.peerId();
  }

  @Override
  public List<String> reachableAddresses() {
    return node.getReachableAddresses();
  }

  @Override
  public Clock clock() {
    return node.config().clock();
  }

  @Override
  public Executor callbacks() {
    return node.callbackExecutor();
  }

  @Override
  public boolean dhtEnabled() {
    return node.config().enableDht();
  }

  @Override
  public Duration discoverTimeout() {
    return node.config().discoverTimeout();
  }

  @Override
  public CompletableFuture<Registration> subscribe(String topic, TopicHandler handler) {
    return node.subscribeToTopic(topic, handler);
  }

  @Override
  public CompletableFuture<Void> publish(String topic, byte[] data) {
    return node.publishToTopic(topic, data);
  }

  @Override
  public CompletableFuture<ResourceAnnouncement> announce(
      String type, String id, JsonNode data, Instant expiresAt) {
    return node.announceResource(type, id, data, AnnounceOptions.until(expiresAt));
  }

  @Override
  public boolean withdraw(String type, String id) {
    try {
      return node.withdrawResource(type, id);
    } catch (IllegalStateException notRunning) {
      return false;
    }
  }

  @Override
  public CompletableFuture<List<ResourceAnnouncement>> discoverResources(
      String type, String member, String value, Duration timeout) {
    return node.discoverResources(type, Map.of(member, value), timeout);
  }

  @Override
  public Registration onRunningChange(Consumer<Boolean> listener) {
    return node.on(
        P2PEvent.StateChanged.class,
        e -> {
          if (e.current().isRunning() != e.previous().isRunning()) {
            listener.accept(e.current().isRunning());
          }
        });
  }
}
