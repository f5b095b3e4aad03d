package org.lotusia.p2p.coordinator.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.protocol.pubsub.GossipSub;
import org.lotusia.libp2p.protocol.pubsub.PubsubListener;
import org.lotusia.libp2p.protocol.pubsub.PubsubMessage;
import org.lotusia.libp2p.protocol.pubsub.TopicValidationResult;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.Registration;
import org.lotusia.p2p.coordinator.TopicHandler;
import org.lotusia.p2p.coordinator.TopicMessage;
import org.lotusia.p2p.coordinator.TopicMessageValidator;
import org.lotusia.p2p.security.SecurityDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GossipSub topics for the coordinator. Unlike lotus-sdk, a topic may have several handlers (each
 * {@link Registration} removes one), and every received message first passes the security manager
 * as a topic validator: bans of the forwarding peer and of the author, the size limit and the
 * author's rate limit. A refused message is not delivered and not forwarded; an oversized or
 * rate-limited one is rejected (GossipSub scores the forwarder down), a banned one ignored.
 *
 * <p>Publishing writes the bytes given, or {@code JSON.stringify} of a value (lotus-sdk's payload
 * encoding). Topic membership of other peers is kept from GossipSub's subscription events so that
 * {@link #topicPeers(String)} answers at once.
 *
 * <p>Thread-safe.
 */
public final class TopicService implements PubsubListener {

  private static final Logger LOG = LoggerFactory.getLogger(TopicService.class);

  private final Context ctx;
  private final GossipSub gossip;
  private final Map<String, List<SerialQueueHandler>> handlers = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> peersByTopic = new ConcurrentHashMap<>();
  private final Map<String, List<TopicMessageValidator>> validators = new ConcurrentHashMap<>();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder dropped = new LongAdder();

  private record SerialQueueHandler(TopicHandler handler, SerialQueue queue) {}

  /**
   * Creates the service for one run.
   *
   * @param ctx the run
   * @param gossip the router
   */
  public TopicService(Context ctx, GossipSub gossip) {
    this.ctx = ctx;
    this.gossip = gossip;
    gossip.addListener(this);
  }

  @Override
  public void peerSubscribed(PeerId peer, String topic) {
    peersByTopic.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(peer.toBase58());
  }

  @Override
  public void peerUnsubscribed(PeerId peer, String topic) {
    Set<String> s = peersByTopic.get(topic);
    if (s != null) {
      s.remove(peer.toBase58());
    }
  }

  /**
   * Adds a handler of a topic, subscribing to the topic when it is the first.
   *
   * @param topic the topic
   * @param handler the handler
   * @return the registration, once the subscription is in place
   */
  public CompletableFuture<Registration> subscribe(String topic, TopicHandler handler) {
    checkTopic(topic);
    SerialQueueHandler h =
        new SerialQueueHandler(
            handler,
            new SerialQueue(
                "topic " + topic,
                ctx.callbacks(),
                ctx.scheduler(),
                ctx.config().handlerQueueCapacity(),
                t -> LOG.warn("handler of topic {} threw; it keeps receiving", topic, t)));
    boolean[] first = new boolean[1];
    handlers.compute(
        topic,
        (t, list) -> {
          if (list == null) {
            first[0] = true;
            list = new CopyOnWriteArrayList<>();
          }
          list.add(h);
          return list;
        });
    Registration reg = () -> remove(topic, h);
    if (!first[0]) {
      return CompletableFuture.completedFuture(reg);
    }
    gossip.addValidator(topic, this::validate); // replaces the same one set by addValidator
    return gossip
        .subscribe(topic, this::dispatch)
        .thenApply(v -> reg)
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                handlers.remove(topic);
                if (!validators.containsKey(topic)) {
                  gossip.removeValidator(topic);
                }
              }
            });
  }

  private void remove(String topic, SerialQueueHandler h) {
    boolean[] last = new boolean[1];
    handlers.computeIfPresent(
        topic,
        (t, list) -> {
          list.remove(h);
          last[0] = list.isEmpty();
          return list.isEmpty() ? null : list;
        });
    if (last[0]) {
      if (!validators.containsKey(topic)) {
        gossip.removeValidator(topic);
      }
      gossip.unsubscribe(topic);
    }
  }

  /**
   * Removes every handler of a topic and leaves it (lotus-sdk's {@code unsubscribeFromTopic}).
   *
   * @param topic the topic
   * @return completes when GossipSub left the topic
   */
  public CompletableFuture<Void> unsubscribeAll(String topic) {
    if (handlers.remove(topic) == null) {
      return CompletableFuture.completedFuture(null);
    }
    if (!validators.containsKey(topic)) {
      gossip.removeValidator(topic);
    }
    return gossip.unsubscribe(topic);
  }

  /**
   * Publishes bytes on a topic.
   *
   * @param topic the topic
   * @param data the bytes
   * @return completes when the message was handed to GossipSub
   */
  public CompletableFuture<Void> publish(String topic, byte[] data) {
    checkTopic(topic);
    return gossip.publish(topic, data).thenApply(r -> null);
  }

  /**
   * Peers known to be subscribed to a topic.
   *
   * @param topic the topic
   * @return their peer IDs
   */
  public List<String> topicPeers(String topic) {
    Set<String> s = peersByTopic.get(topic);
    return s == null ? List.of() : List.copyOf(s);
  }

  /**
   * Topics this node has handlers for.
   *
   * @return the topics
   */
  public Set<String> topics() {
    return Set.copyOf(handlers.keySet());
  }

  /**
   * Adds an application validator of a topic.
   *
   * @param topic the topic
   * @param validator the validator
   * @return the registration that removes it
   */
  public Registration addValidator(String topic, TopicMessageValidator validator) {
    checkTopic(topic);
    boolean[] first = new boolean[1];
    validators.compute(
        topic,
        (t, list) -> {
          if (list == null) {
            first[0] = true;
            list = new CopyOnWriteArrayList<>();
          }
          list.add(validator);
          return list;
        });
    if (first[0] && !handlers.containsKey(topic)) {
      gossip.addValidator(topic, this::validate); // also for a topic only relayed
    }
    return () ->
        validators.computeIfPresent(
            topic,
            (t, list) -> {
              list.remove(validator);
              return list.isEmpty() ? null : list;
            });
  }

  private TopicValidationResult validate(PubsubMessage m) {
    String author = m.author().map(PeerId::toBase58).orElse(null);
    SecurityDecision d =
        ctx.security()
            .checkTopicMessage(m.receivedFrom().toBase58(), author, m.topic(), m.data().length);
    if (!d.accepted()) {
      refused.increment();
      LOG.debug("topic message on {} refused: {} ({})", m.topic(), d.reason().code(), d.detail());
      return d.reason().isViolation() ? TopicValidationResult.REJECT : TopicValidationResult.IGNORE;
    }
    List<TopicMessageValidator> checks = validators.get(m.topic());
    if (checks == null) {
      return TopicValidationResult.ACCEPT;
    }
    TopicMessage msg = toMessage(m);
    for (TopicMessageValidator v : checks) {
      TopicMessageValidator.Verdict verdict;
      try {
        verdict = v.validate(msg);
      } catch (RuntimeException e) {
        LOG.warn("validator of topic {} threw; message ignored", m.topic(), e);
        verdict = TopicMessageValidator.Verdict.IGNORE;
      }
      if (verdict != TopicMessageValidator.Verdict.ACCEPT) {
        refused.increment();
        return verdict == TopicMessageValidator.Verdict.REJECT
            ? TopicValidationResult.REJECT
            : TopicValidationResult.IGNORE;
      }
    }
    return TopicValidationResult.ACCEPT;
  }

  private static TopicMessage toMessage(PubsubMessage m) {
    return new TopicMessage(
        m.topic(), m.data(), m.author().map(PeerId::toBase58), m.receivedFrom().toBase58());
  }

  private void dispatch(PubsubMessage m) {
    List<SerialQueueHandler> list = handlers.get(m.topic());
    if (list == null) {
      return;
    }
    TopicMessage msg = toMessage(m);
    delivered.increment();
    ctx.events().publish(new P2PEvent.TopicMessageReceived(msg, ctx.now()));
    for (SerialQueueHandler h : list) {
      TopicMessage copy =
          new TopicMessage(msg.topic(), msg.data().clone(), msg.from(), msg.receivedFrom());
      if (!h.queue().offer(() -> run(h.handler(), copy))) {
        dropped.increment();
      }
    }
  }

  private static void run(TopicHandler h, TopicMessage m) {
    try {
      h.onMessage(m);
    } catch (Exception e) {
      throw new HandlerRegistry.HandlerException(e);
    }
  }

  private static void checkTopic(String topic) {
    if (topic == null || topic.isEmpty() || topic.length() > 256) {
      throw new IllegalArgumentException(
          "topic must have 1 to 256 characters, got " + (topic == null ? "null" : topic.length()));
    }
  }

  /**
   * Messages delivered to handlers, refused by the security manager, and dropped because a
   * handler was too far behind, since this run started.
   *
   * @return the three counts
   */
  public TopicCounters counters() {
    return new TopicCounters(delivered.sum(), refused.sum(), dropped.sum());
  }

  /**
   * Topic message counts.
   *
   * @param delivered accepted and delivered
   * @param refused refused by the security manager
   * @param dropped dropped for a full handler queue
   */
  public record TopicCounters(long delivered, long refused, long dropped) {}

  /** Releases the router listener at stop. */
  public void close() {
    gossip.removeListener(this);
  }
}
