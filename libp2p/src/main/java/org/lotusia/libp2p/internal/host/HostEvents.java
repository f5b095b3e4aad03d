package org.lotusia.libp2p.internal.host;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of a host, each with its own serial queue.
 *
 * <p>Every listener has a {@link SerialExecutor} over the callback executor: one listener's calls
 * never overlap and come in the order the events were queued, while a slow listener delays only
 * itself. Events are queued to all listeners under one lock, so every listener sees the same order.
 * Peer events are derived under that lock from the open-connection count per peer ({@link #open}),
 * so {@code peerConnected} and {@code peerDisconnected} strictly alternate however connections race
 * on the event loops. This holds as long as each connection's open event is queued before its close
 * event, which {@link ConnectionRegistry} guarantees.
 *
 * <p>Bounded: {@link #backlogged()} tells the host when a listener has {@code maxQueued} events
 * waiting; the host then refuses new inbound connections and streams (the work the network would
 * add), while the events owed for what is already open are always queued.
 *
 * <p>Thread-safe: the {@code fire} methods may be called from any thread and never run listener
 * code on the caller's thread (unless the callback executor itself does).
 */
final class HostEvents {

  private static final Logger LOG = LoggerFactory.getLogger(HostEvents.class);

  private final Executor callbacks;
  private final int maxQueued;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  /** Open connections per peer as the queued events tell it; guarded by {@code this}. */
  private final Map<PeerId, Integer> open = new HashMap<>();

  /** One listener and its queue. */
  private record Subscriber(HostListener listener, SerialExecutor queue) {}

  HostEvents(Executor callbacks, int maxQueued) {
    this.callbacks = callbacks;
    this.maxQueued = maxQueued;
  }

  synchronized void add(HostListener listener) {
    subscribers.add(
        new Subscriber(Objects.requireNonNull(listener, "listener"), new SerialExecutor(callbacks)));
  }

  synchronized void remove(HostListener listener) {
    subscribers.removeIf(s -> s.listener().equals(listener));
  }

  /** Whether a listener has {@code maxQueued} events or more waiting. */
  boolean backlogged() {
    for (Subscriber s : subscribers) {
      if (s.queue().queued() >= maxQueued) {
        return true;
      }
    }
    return false;
  }

  /** Queues {@code connectionOpened}, then {@code peerConnected} when it is the peer's first. */
  synchronized void connectionOpened(ConnectionImpl conn) {
    PeerId peer = conn.remotePeer();
    boolean first = open.merge(peer, 1, Integer::sum) == 1;
    fan(
        l -> {
          l.connectionOpened(conn);
          if (first) {
            l.peerConnected(peer);
          }
        },
        null);
  }

  /**
   * Queues the close of {@code conn}: fires {@code connectionClosed}, then {@code peerDisconnected}
   * when it was the peer's last; completes the connection's close future once every listener had
   * both. Call once per connection, after {@link #connectionOpened}.
   */
  synchronized void connectionClosed(ConnectionImpl conn) {
    PeerId peer = conn.remotePeer();
    boolean last = open.computeIfPresent(peer, (p, n) -> n == 1 ? null : n - 1) == null;
    fan(
        l -> {
          l.connectionClosed(conn);
          if (last) {
            l.peerDisconnected(peer);
          }
        },
        // last: whoever waits for the close finds the events delivered
        conn::closed);
  }

  synchronized void identifyCompleted(Connection conn, IdentifyInfo info) {
    fan(l -> l.identifyCompleted(conn, info), null);
  }

  synchronized void streamOpened(Stream stream) {
    fan(l -> l.streamOpened(stream), null);
  }

  /** Runs {@code task} on the callback executor once every listener had the events queued before. */
  synchronized void afterQueued(Runnable task) {
    fan(l -> {}, task);
  }

  /**
   * Queues {@code call} for every listener; then runs {@code after} (when given) once each of them
   * had it, on the thread of the last one. Called holding {@code this}.
   */
  private void fan(Consumer<HostListener> call, Runnable after) {
    if (subscribers.isEmpty()) {
      if (after != null) {
        callbacks.execute(after);
      }
      return;
    }
    AtomicInteger left = new AtomicInteger(subscribers.size());
    for (Subscriber s : subscribers) {
      s.queue()
          .execute(
              () -> {
                try {
                  call.accept(s.listener());
                } catch (RuntimeException e) {
                  LOG.warn("host listener {} threw; ignored", s.listener(), e);
                }
                if (after != null && left.decrementAndGet() == 0) {
                  after.run();
                }
              });
    }
  }
}
