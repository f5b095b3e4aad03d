package org.lotusia.p2p.coordinator;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** GossipSub topics of a running {@link P2PCoordinator}, with lotus-sdk's JSON payloads. */
public interface Topics {

  /**
   * Subscribes a handler to a GossipSub topic; a topic may have several handlers.
   *
   * @param topic the topic
   * @param handler the handler
   * @return the registration that removes this handler (and leaves the topic after the last one)
   * @throws IllegalStateException when not started or GossipSub is disabled
   */
  CompletableFuture<Registration> subscribeToTopic(String topic, TopicHandler handler);

  /**
   * Removes every handler of a topic and leaves it.
   *
   * @param topic the topic
   * @return completes when left
   */
  CompletableFuture<Void> unsubscribeFromTopic(String topic);

  /**
   * Publishes {@code JSON.stringify(value)} on a topic, as lotus-sdk does.
   *
   * @param topic the topic
   * @param value any value Jackson can write
   * @return completes when handed to GossipSub
   */
  CompletableFuture<Void> publishToTopic(String topic, Object value);

  /**
   * Peers subscribed to a topic, as far as this node knows.
   *
   * @param topic the topic
   * @return their IDs; empty when not started
   */
  List<String> getTopicPeers(String topic);

  /**
   * The last mesh measurement of a subscribed topic.
   *
   * @param topic the topic
   * @return its health, or empty
   */
  Optional<MeshHealth> getTopicMeshHealth(String topic);

  /**
   * Adds an application check of a topic's messages, applied after the security manager's and
   * before delivery and forwarding (also to messages of a topic this node does not subscribe to
   * but relays). Several validators of one topic all must accept.
   *
   * @param topic the topic
   * @param validator the check
   * @return the registration that removes it
   */
  Registration addTopicValidator(String topic, TopicMessageValidator validator);
}
