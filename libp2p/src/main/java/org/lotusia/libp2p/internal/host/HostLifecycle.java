package org.lotusia.libp2p.internal.host;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.lotusia.libp2p.ConnectionClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life cycle of a {@link HostImpl}: NEW, STARTING, RUNNING, CLOSED; the futures a close must
 * fail ({@link #track}); and completions handed to the callback executor ({@link #completeLater}).
 *
 * <p>Closing fails every tracked future, stops the network (listeners, connections, upgrades,
 * event loops), lets the queued host events run, then closes the callback executor and, when the
 * host owns it, its pool; {@link #close()} completes after all that.
 *
 * <p>Thread-safe: the state is guarded by {@code this}; the tracked futures live in a concurrent
 * set.
 */
final class HostLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(HostLifecycle.class);

  private enum State {
    NEW,
    STARTING,
    RUNNING,
    CLOSED
  }

  private final HostImpl host;
  private final ExecutorService ownedCallbacks;
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private State state = State.NEW;

  /**
   * @param ownedCallbacks the pool the host created for callbacks, shut down on close; or null
   *     when the user gave the executor
   */
  HostLifecycle(HostImpl host, ExecutorService ownedCallbacks) {
    this.host = host;
    this.ownedCallbacks = ownedCallbacks;
  }

  /** See {@link org.lotusia.libp2p.Host#start()}. */
  synchronized CompletableFuture<Void> start() {
    if (state != State.NEW) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("host was already started (state " + state + ")"));
    }
    state = State.STARTING;
    CompletableFuture<Void> result = new CompletableFuture<>();
    host.network()
        .start()
        .whenComplete(
            (v, e) -> {
              synchronized (this) {
                if (e == null && state == State.STARTING) {
                  state = State.RUNNING;
                }
              }
              if (e != null) {
                close().whenComplete((x, y) -> result.completeExceptionally(unwrap(e)));
              } else {
                host.addressBook().changed();
                LOG.info("host {} listening on {}", host.peerId(), host.listenAddresses());
                result.complete(null);
              }
            });
    return result;
  }

  synchronized boolean isRunning() {
    return state == State.RUNNING || state == State.STARTING;
  }

  /** See {@link org.lotusia.libp2p.Host#close()}. */
  CompletableFuture<Void> close() {
    synchronized (this) {
      if (state == State.CLOSED) {
        return stopped;
      }
      state = State.CLOSED;
    }
    ConnectionClosedException closing =
        new ConnectionClosedException("host " + host.peerId() + " closed");
    for (CompletableFuture<?> f : List.copyOf(pending)) {
      f.completeExceptionally(closing);
    }
    CallbackExecutor callbacks = host.callbacks();
    host.network()
        .stop(host.openConnections())
        .whenComplete(
            (v, e) -> {
              // Nothing is left for the network to add: stop waiting for a rejecting executor.
              callbacks.drainOnRetryThread();
              // Let already queued callbacks (close events) run before the owned pool stops.
              host.events()
                  .afterQueued(
                      () ->
                          callbacks
                              .close()
                              .whenComplete(
                                  (x, y) -> {
                                    if (ownedCallbacks != null) {
                                      ownedCallbacks.shutdown();
                                    }
                                    stopped.complete(null);
                                  }));
            });
    return stopped;
  }

  /** Registers a future to be failed when the host closes. */
  <T> CompletableFuture<T> track(CompletableFuture<T> future) {
    // Added before the check: close() either fails it from the set or this check sees CLOSED.
    pending.add(future);
    future.whenComplete((v, e) -> pending.remove(future));
    if (!isRunning()) {
      future.completeExceptionally(
          new ConnectionClosedException("host " + host.peerId() + " closed"));
    }
    return future;
  }

  /** Completes {@code future} on the callback executor (never on the caller's thread). */
  <T> void completeLater(CompletableFuture<T> future, T value, Throwable error) {
    host.callbacks()
        .execute(
            () -> {
              if (error != null) {
                future.completeExceptionally(unwrap(error));
              } else {
                future.complete(value);
              }
            });
  }

  /** The cause inside {@link CompletionException} wrappers. */
  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
