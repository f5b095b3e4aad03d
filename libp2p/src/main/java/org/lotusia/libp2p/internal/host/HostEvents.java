package org.lotusia.libp2p.internal.host;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of a host and the one serial queue their events run on.
 *
 * <p>Every event is queued on a {@link SerialExecutor} over the callback executor, so listeners
 * never run concurrently and see events in the order they were queued. Peer events are derived on
 * that queue, not where connections change: the open-connection count per peer ({@link #open}) is
 * confined to the queue's tasks, so {@code peerConnected} and {@code peerDisconnected} strictly
 * alternate however connections race on the event loops. This holds as long as each connection's
 * open event is queued before its close event, which {@link ConnectionRegistry} guarantees.
 *
 * <p>Thread-safe: the {@code fire} methods may be called from any thread and never run listener
 * code on the caller's thread (unless the callback executor itself does).
 */
final class HostEvents {

  private static final Logger LOG = LoggerFactory.getLogger(HostEvents.class);

  private final SerialExecutor queue;
  private final List<HostListener> listeners = new CopyOnWriteArrayList<>();

  /** Open connections per peer as the delivered events tell it; touched only by queued tasks. */
  private final Map<PeerId, Integer> open = new HashMap<>();

  HostEvents(Executor callbacks) {
    this.queue = new SerialExecutor(callbacks);
  }

  void add(HostListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  void remove(HostListener listener) {
    listeners.remove(listener);
  }

  /** Queues {@code connectionOpened}, then {@code peerConnected} when it is the peer's first. */
  void connectionOpened(ConnectionImpl conn) {
    PeerId peer = conn.remotePeer();
    queue.execute(
        () -> {
          each(l -> l.connectionOpened(conn));
          if (open.merge(peer, 1, Integer::sum) == 1) {
            each(l -> l.peerConnected(peer));
          }
        });
  }

  /**
   * Queues the close of {@code conn}: fires {@code connectionClosed}, then {@code peerDisconnected}
   * when it was the peer's last, then completes the connection's close future. Call once per
   * connection, after {@link #connectionOpened}.
   */
  void connectionClosed(ConnectionImpl conn) {
    PeerId peer = conn.remotePeer();
    queue.execute(
        () -> {
          each(l -> l.connectionClosed(conn));
          Integer left = open.computeIfPresent(peer, (p, n) -> n == 1 ? null : n - 1);
          if (left == null) {
            each(l -> l.peerDisconnected(peer));
          }
          // last: whoever waits for the close finds the events delivered
          conn.closed();
        });
  }

  void identifyCompleted(Connection conn, IdentifyInfo info) {
    queue.execute(() -> each(l -> l.identifyCompleted(conn, info)));
  }

  void streamOpened(Stream stream) {
    queue.execute(() -> each(l -> l.streamOpened(stream)));
  }

  /** Runs {@code task} on the queue after every event queued before it. */
  void afterQueued(Runnable task) {
    queue.execute(task);
  }

  private void each(Consumer<HostListener> call) {
    for (HostListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("host listener {} threw; ignored", l, e);
      }
    }
  }
}
