package org.lotusia.libp2p.protocol.pubsub;

import org.lotusia.libp2p.PeerId;

/**
 * Observes which remote peers join and leave topics. Every method has an empty default.
 *
 * <p>Threading: called on the callback executor of the {@link GossipSub} it was added to, never on
 * the router thread, one event at a time and in the order the router saw them. An exception thrown
 * by a listener is logged and ignored. Events wait in a bounded queue ({@link
 * GossipSubConfig#eventQueueSize()}); when slow listeners let it fill, further events are dropped
 * and counted by {@link GossipSubStats#droppedEvents()}.
 */
public interface PubsubListener {

  /** {@code peer} announced a subscription to {@code topic}. */
  default void peerSubscribed(PeerId peer, String topic) {}

  /**
   * {@code peer} left {@code topic}: it announced so, or its pubsub streams are gone (it
   * disconnected or stopped speaking pubsub), which ends all its subscriptions.
   */
  default void peerUnsubscribed(PeerId peer, String topic) {}
}
