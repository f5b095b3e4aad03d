package org.lotusia.p2p.coordinator.discovery;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.lotusia.p2p.coordinator.Registration;
import org.lotusia.p2p.coordinator.TopicMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topic handler per protocol topic, shared by every user of the topic (subscriptions, the
 * system's own listening) and kept while anyone needs it: reference-counted, joined again when the
 * node comes back after a stop, and retried every second while joining fails on a running node.
 * Every message goes to one sink, so an advertisement is verified once however many subscriptions
 * follow its topic. Thread-safe (guarded by this object).
 */
final class TopicFeeds {

  private static final Logger LOG = LoggerFactory.getLogger(TopicFeeds.class);
  private static final long RETRY_MILLIS = 1000;

  private static final class Feed {
    final String protocol;
    final String topic;
    int refs;
    Registration registration;
    CompletableFuture<Void> attaching;

    Feed(String protocol) {
      this.protocol = protocol;
      this.topic = DiscoveryAdvertisement.TOPIC_PREFIX + protocol;
    }
  }

  private final DiscoveryNetwork network;
  private final ScheduledExecutorService scheduler;
  private final BiConsumer<String, TopicMessage> sink;
  private final Map<String, Feed> feeds = new HashMap<>();
  private boolean running = true;
  private boolean closed;

  TopicFeeds(
      DiscoveryNetwork network,
      ScheduledExecutorService scheduler,
      BiConsumer<String, TopicMessage> sink) {
    this.network = network;
    this.scheduler = scheduler;
    this.sink = sink;
  }

  /** Takes a reference on a protocol's topic; completes once its handler is in place. */
  synchronized CompletableFuture<Void> acquire(String protocol) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new DiscoveryException(DiscoveryException.Type.CLOSED, "discovery system is closed", null));
    }
    Feed f = feeds.computeIfAbsent(protocol, Feed::new);
    f.refs++;
    return attach(f);
  }

  /** Drops a reference; the topic handler goes with the last one. */
  synchronized void release(String protocol) {
    Feed f = feeds.get(protocol);
    if (f == null || --f.refs > 0) {
      return;
    }
    feeds.remove(protocol);
    if (f.registration != null) {
      f.registration.close();
      f.registration = null;
    }
  }

  /** The node went down (its handlers are gone) or came back up (join every topic again). */
  synchronized void runningChanged(boolean up) {
    running = up;
    for (Feed f : feeds.values()) {
      if (!up) {
        f.registration = null; // belonged to the stopped run
      } else {
        attach(f);
      }
    }
  }

  synchronized void close() {
    closed = true;
    for (Feed f : feeds.values()) {
      if (f.registration != null) {
        f.registration.close();
      }
    }
    feeds.clear();
  }

  /** Whether the topic of a protocol has its handler in place. */
  synchronized boolean attached(String protocol) {
    Feed f = feeds.get(protocol);
    return f != null && f.registration != null;
  }

  private CompletableFuture<Void> attach(Feed f) {
    if (f.registration != null) {
      return CompletableFuture.completedFuture(null);
    }
    if (f.attaching != null) {
      return f.attaching;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    f.attaching = done;
    CompletableFuture<Registration> sub;
    try {
      sub = network.subscribe(f.topic, m -> sink.accept(f.protocol, m));
    } catch (RuntimeException e) {
      sub = CompletableFuture.failedFuture(e);
    }
    sub.whenComplete((reg, e) -> attached(f, done, reg, e));
    return done;
  }

  private synchronized void attached(Feed f, CompletableFuture<Void> done, Registration reg, Throwable e) {
    f.attaching = null;
    boolean wanted = !closed && feeds.get(f.protocol) == f;
    if (e != null) {
      if (wanted && running) {
        LOG.debug("joining {} failed ({}); retrying in {} ms", f.topic, e.toString(), RETRY_MILLIS);
        retryLater(f);
      }
      done.completeExceptionally(e);
      return;
    }
    if (!wanted) {
      reg.close();
    } else {
      f.registration = reg;
    }
    done.complete(null);
  }

  private void retryLater(Feed f) {
    try {
      scheduler.schedule(
          () -> {
            synchronized (this) {
              if (!closed && running && feeds.get(f.protocol) == f) {
                attach(f);
              }
            }
          },
          RETRY_MILLIS,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException shutDown) {
      // the system is closing
    }
  }
}
