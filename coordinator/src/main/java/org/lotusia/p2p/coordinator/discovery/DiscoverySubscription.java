package org.lotusia.p2p.coordinator.discovery;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.lotusia.p2p.coordinator.Registration;
import org.lotusia.p2p.coordinator.internal.SerialQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live subscription to the advertisements of a protocol that match some criteria (lotus-sdk's
 * {@code DiscoverySubscription}). It lasts until {@link #close()} or the discoverer closes; unlike
 * lotus-sdk's it never ends because the topic was quiet, and it survives a restart of the
 * coordinator (the topic is joined again when the node comes back).
 *
 * <p>The callback runs on the coordinator's callback executor, one advertisement at a time, in
 * order; a slow callback delays only this subscription, and when it falls {@code queueCapacity}
 * advertisements behind further ones are dropped and counted ({@link #dropped()}). A callback that
 * throws is logged and keeps receiving. Thread-safe.
 */
public final class DiscoverySubscription implements Registration {

  private static final Logger LOG = LoggerFactory.getLogger(DiscoverySubscription.class);

  private final String id;
  private final DiscoveryCriteria criteria;
  private final SubscribeOptions options;
  private final long createdAt;
  private final SerialQueue queue;
  private final Consumer<DiscoveryAdvertisement> callback;
  private final Consumer<DiscoverySubscription> onClose;
  private final LongAdder delivered = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private volatile boolean active = true;

  DiscoverySubscription(
      String id,
      DiscoveryCriteria criteria,
      SubscribeOptions options,
      long createdAt,
      SerialQueue queue,
      Consumer<DiscoveryAdvertisement> callback,
      Consumer<DiscoverySubscription> onClose) {
    this.id = id;
    this.criteria = criteria;
    this.options = options;
    this.createdAt = createdAt;
    this.queue = queue;
    this.callback = Objects.requireNonNull(callback, "callback");
    this.onClose = onClose;
  }

  /** Queues an advertisement for the callback; false (a counted drop) when the queue is full. */
  boolean offer(DiscoveryAdvertisement ad) {
    if (!active) {
      return true;
    }
    boolean taken =
        queue.offer(
            () -> {
              if (active) {
                delivered.increment();
                callback.accept(ad);
              }
            });
    if (!taken) {
      dropped.increment();
      long n = dropped.sum();
      if (Long.bitCount(n) == 1) {
        LOG.warn("subscription {} is too far behind; dropped {} advertisements so far", id, n);
      }
    }
    return taken;
  }

  /**
   * The subscription's ID.
   *
   * @return for example {@code sub-3}
   */
  public String id() {
    return id;
  }

  /**
   * What it matches.
   *
   * @return the criteria
   */
  public DiscoveryCriteria criteria() {
    return criteria;
  }

  /**
   * How it was made.
   *
   * @return the options
   */
  public SubscribeOptions options() {
    return options;
  }

  /**
   * The GossipSub topic it follows.
   *
   * @return {@code lotus/discovery/<protocol>}
   */
  public String topic() {
    return criteria.topic();
  }

  /**
   * When it was made.
   *
   * @return ms since the epoch
   */
  public long createdAt() {
    return createdAt;
  }

  /**
   * Whether it still delivers.
   *
   * @return false once closed
   */
  public boolean isActive() {
    return active;
  }

  /**
   * Advertisements handed to the callback.
   *
   * @return the count
   */
  public long delivered() {
    return delivered.sum();
  }

  /**
   * Advertisements dropped because the callback was too far behind.
   *
   * @return the count
   */
  public long dropped() {
    return dropped.sum();
  }

  /** Ends the subscription; the topic is left when no other subscription needs it. */
  @Override
  public void close() {
    if (active) {
      active = false;
      onClose.accept(this);
    }
  }

  @Override
  public String toString() {
    return "DiscoverySubscription[" + id + " on " + topic() + (active ? "" : ", closed") + "]";
  }
}
