package org.lotusia.libp2p.protocol.pubsub;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's topics as the application sees them: the handlers of each topic and the serial lane
 * that delivers its messages on the callback executor, in the order the router accepted them. A
 * topic's lane is bounded; a message arriving while it is full is dropped and counted. Thread-safe:
 * changed by API calls, read by the router thread.
 */
final class Subscriptions {
  private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);

  private static final class Topic {
    final List<Consumer<PubsubMessage>> handlers = new CopyOnWriteArrayList<>();
    final Callbacks.Lane lane;

    Topic(Callbacks.Lane lane) {
      this.lane = lane;
    }
  }

  private final Map<String, Topic> topics = new ConcurrentHashMap<>();
  private final Callbacks callbacks;
  private final int queueSize;
  private final Counters counters;

  Subscriptions(Callbacks callbacks, int queueSize, Counters counters) {
    this.callbacks = callbacks;
    this.queueSize = queueSize;
    this.counters = counters;
  }

  /** Adds {@code handler} to {@code topic}, creating the topic. */
  void add(String topic, Consumer<PubsubMessage> handler) {
    topics
        .computeIfAbsent(
            topic, t -> new Topic(callbacks.lane(queueSize, counters.droppedDeliveries)))
        .handlers
        .add(handler);
  }

  /** Removes {@code topic} with its handlers; messages still queued for it are not delivered. */
  void remove(String topic) {
    Topic t = topics.remove(topic);
    if (t != null) {
      t.lane.close();
    }
  }

  /** A snapshot of the topics. */
  Set<String> topics() {
    return Set.copyOf(topics.keySet());
  }

  /** Queues {@code message} for the handlers of its topic. */
  void deliver(PubsubMessage message) {
    Topic t = topics.get(message.topic());
    if (t == null) {
      return;
    }
    t.lane.offer(
        () -> {
          if (topics.get(message.topic()) != t) {
            return; // unsubscribed meanwhile
          }
          for (Consumer<PubsubMessage> h : t.handlers) {
            try {
              h.accept(message);
            } catch (RuntimeException e) {
              LOG.warn("pubsub handler of topic {} threw", message.topic(), e);
            }
          }
        });
  }

  /** Stops every lane. */
  void close() {
    topics.values().forEach(t -> t.lane.close());
    topics.clear();
  }
}
