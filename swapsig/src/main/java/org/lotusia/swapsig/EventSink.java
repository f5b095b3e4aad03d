package org.lotusia.swapsig;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events and future completions to the callback executor, one event after another in the
 * order they happened. A throwing listener is logged. An event the executor refuses is counted and
 * logged; a future completion it refuses runs on the common pool, so every future completes.
 */
final class EventSink {

  private static final Logger LOG = LoggerFactory.getLogger(EventSink.class);

  private final Executor callbacks;
  private final List<SwapSigListener> listeners = new CopyOnWriteArrayList<>();
  private final LongAdder refused = new LongAdder();

  EventSink(Executor callbacks) {
    this.callbacks = callbacks;
  }

  void add(SwapSigListener l) {
    listeners.add(l);
  }

  void remove(SwapSigListener l) {
    listeners.remove(l);
  }

  long refusedEvents() {
    return refused.sum();
  }

  void emit(SwapSigEvent event) {
    if (listeners.isEmpty()) {
      return;
    }
    try {
      callbacks.execute(
          () -> {
            for (SwapSigListener l : listeners) {
              try {
                l.onEvent(event);
              } catch (RuntimeException e) {
                LOG.warn("SwapSig listener threw on {}", event.getClass().getSimpleName(), e);
              }
            }
          });
    } catch (RejectedExecutionException e) {
      refused.increment();
      LOG.warn("callback executor refused a SwapSig event {}", event);
    }
  }

  <T> void complete(CompletableFuture<T> f, T value, Throwable error) {
    Runnable r =
        () -> {
          if (error != null) {
            f.completeExceptionally(error);
          } else {
            f.complete(value);
          }
        };
    try {
      callbacks.execute(r);
    } catch (RejectedExecutionException e) {
      ForkJoinPool.commonPool().execute(r);
    }
  }
}
