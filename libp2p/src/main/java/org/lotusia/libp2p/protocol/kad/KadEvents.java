package org.lotusia.libp2p.protocol.kad;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.host.SerialExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the routing table (as its {@link RoutingTable.Observer}, on the DHT's thread), publishes
 * its sizes to the metrics and hands each change to the {@link KadListener}s on the host's callback
 * executor, in order, one event at a time. The hand-over queue is bounded by {@value #MAX_QUEUED}
 * events; beyond it events are dropped and counted, never queued without bound.
 */
final class KadEvents implements RoutingTable.Observer {
  private static final Logger LOG = LoggerFactory.getLogger(KadEvents.class);

  /** Events waiting for delivery before further ones are dropped. */
  static final int MAX_QUEUED = 10_000;

  private final List<KadListener> listeners = new CopyOnWriteArrayList<>();
  private final Executor delivery;
  private final KadMetrics metrics;
  private final AtomicInteger queued = new AtomicInteger();
  private RoutingTable table;

  KadEvents(Executor callbacks, KadMetrics metrics) {
    this.delivery = new SerialExecutor(callbacks);
    this.metrics = metrics;
  }

  /** Binds the table whose sizes are published; called once, before the table changes. */
  void watch(RoutingTable table) {
    this.table = table;
    metrics.tableChanged(table);
  }

  void addListener(KadListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  void removeListener(KadListener listener) {
    listeners.remove(listener);
  }

  @Override
  public void added(PeerId peer) {
    changed(peer, KadListener::peerAdded);
  }

  @Override
  public void removed(PeerId peer) {
    changed(peer, KadListener::peerRemoved);
  }

  /** A lookup ended; any thread. */
  void queryCompleted(java.time.Duration elapsed, boolean succeeded) {
    if (!listeners.isEmpty()) {
      hand(null, (l, p) -> l.queryCompleted(elapsed, succeeded));
    }
  }

  private void changed(PeerId peer, BiConsumer<KadListener, PeerId> event) {
    if (table != null) {
      metrics.tableChanged(table);
    }
    if (!listeners.isEmpty()) {
      hand(peer, event);
    }
  }

  private void hand(PeerId peer, BiConsumer<KadListener, PeerId> event) {
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      metrics.listenerEventsDropped.increment();
      LOG.warn("DHT listeners fall behind: an event ({}) was dropped", peer == null ? "query" : peer);
      return;
    }
    try {
      delivery.execute(() -> deliver(peer, event));
    } catch (RejectedExecutionException e) {
      queued.decrementAndGet();
      metrics.listenerEventsDropped.increment();
      LOG.debug("callback executor refused a DHT event: {}", e.toString());
    }
  }

  private void deliver(PeerId peer, BiConsumer<KadListener, PeerId> event) {
    queued.decrementAndGet();
    for (KadListener l : listeners) {
      try {
        event.accept(l, peer);
      } catch (RuntimeException e) {
        LOG.warn("DHT listener {} threw", l, e);
      }
    }
  }
}
