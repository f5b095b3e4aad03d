package org.lotusia.musig2.p2p;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events and results to application code on the callback executor, never on the manager's
 * thread. A listener that throws is logged. An event the executor refuses is counted and logged; a
 * result the executor refuses is completed on the common pool instead, so result futures always
 * complete. Thread-safe.
 */
final class EventSink {

  private static final Logger LOG = LoggerFactory.getLogger(EventSink.class);

  private final Executor callbacks;
  private final SessionMetrics metrics;
  private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();

  EventSink(Executor callbacks, SessionMetrics metrics) {
    this.callbacks = callbacks;
    this.metrics = metrics;
  }

  void add(SessionListener l) {
    listeners.add(l);
  }

  void remove(SessionListener l) {
    listeners.remove(l);
  }

  void emit(SessionEvent event) {
    if (listeners.isEmpty()) {
      return;
    }
    try {
      callbacks.execute(
          () -> {
            for (SessionListener l : listeners) {
              try {
                l.onEvent(event);
              } catch (RuntimeException e) {
                LOG.warn("session listener {} threw on {}", l, event, e);
              }
            }
          });
    } catch (RejectedExecutionException e) {
      metrics.eventsRefused.increment();
      LOG.warn("callback executor refused event {}; it is not delivered", event);
    }
  }

  /** Completes {@code target} from the callback executor (or the common pool if it refuses). */
  <T> void complete(CompletableFuture<T> target, T value, Throwable error) {
    Runnable r =
        () -> {
          if (error != null) {
            target.completeExceptionally(error);
          } else {
            target.complete(value);
          }
        };
    try {
      callbacks.execute(r);
    } catch (RejectedExecutionException e) {
      metrics.callbacksRerouted.increment();
      ForkJoinPool.commonPool().execute(r);
    }
  }

  /** Runs application code on the callback executor (or the common pool if it refuses). */
  void run(Runnable r) {
    try {
      callbacks.execute(r);
    } catch (RejectedExecutionException e) {
      metrics.callbacksRerouted.increment();
      ForkJoinPool.commonPool().execute(r);
    }
  }
}
