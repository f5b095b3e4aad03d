package org.lotusia.p2p.coordinator.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link P2PEvent}s to listeners, each listener through its own {@link SerialQueue} on the
 * callback executor: events reach a listener in publication order, a slow listener delays only
 * itself, and a throwing one is logged and keeps receiving. When a listener falls {@code capacity}
 * events behind, further events for it are dropped, counted ({@link #droppedEvents()}) and logged:
 * the network cannot grow a queue without bound because an application stopped reading.
 *
 * <p>Thread-safe; {@link #publish} never blocks and may be called from any thread.
 */
public final class EventBus {

  private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

  private final Executor callbacks;
  private final ScheduledExecutorService scheduler;
  private final int capacity;
  private final List<Entry<?>> entries = new CopyOnWriteArrayList<>();
  private final AtomicLong dropped = new AtomicLong();

  private final class Entry<E extends P2PEvent> {
    final Class<E> type;
    final Consumer<? super E> listener;
    final SerialQueue queue;

    Entry(Class<E> type, Consumer<? super E> listener) {
      this.type = type;
      this.listener = listener;
      this.queue =
          new SerialQueue(
              "listener " + listener,
              callbacks,
              scheduler,
              capacity,
              t -> LOG.warn("event listener {} threw; it keeps receiving events", listener, t));
    }

    void offer(P2PEvent event) {
      if (!type.isInstance(event)) {
        return;
      }
      E e = type.cast(event);
      if (!queue.offer(() -> listener.accept(e))) {
        long n = dropped.incrementAndGet();
        if (Long.bitCount(n) == 1) { // 1, 2, 4, 8 ...: visible without flooding the log
          LOG.warn(
              "listener {} is {} events behind; dropped {} (total dropped {})",
              listener,
              queue.size(),
              event.getClass().getSimpleName(),
              n);
        }
      }
    }
  }

  /**
   * Creates a bus.
   *
   * @param callbacks where listeners run
   * @param scheduler for timeouts and retries
   * @param capacity events a listener may fall behind before events for it are dropped
   */
  public EventBus(Executor callbacks, ScheduledExecutorService scheduler, int capacity) {
    this.callbacks = callbacks;
    this.scheduler = scheduler;
    this.capacity = capacity;
  }

  /**
   * Adds a listener for one kind of event.
   *
   * @param type the event class ({@code P2PEvent.class} for all)
   * @param listener the listener
   * @param <E> the event type
   * @return the handle that removes it
   */
  public <E extends P2PEvent> Registration on(Class<E> type, Consumer<? super E> listener) {
    Entry<E> e = new Entry<>(type, listener);
    entries.add(e);
    return () -> entries.remove(e);
  }

  /**
   * Delivers an event to every matching listener.
   *
   * @param event the event
   */
  public void publish(P2PEvent event) {
    for (Entry<?> e : entries) {
      e.offer(event);
    }
  }

  /**
   * The first event of a kind that matches, within a time limit.
   *
   * @param type the event class
   * @param match the condition
   * @param timeout how long to wait
   * @param <E> the event type
   * @return a future completed with the event, or with {@link TimeoutException}
   */
  public <E extends P2PEvent> CompletableFuture<E> next(
      Class<E> type, Predicate<? super E> match, Duration timeout) {
    CompletableFuture<E> result = new CompletableFuture<>();
    Registration reg =
        on(
            type,
            e -> {
              boolean hit;
              try {
                hit = match.test(e);
              } catch (RuntimeException ex) {
                result.completeExceptionally(ex);
                return;
              }
              if (hit) {
                result.complete(e);
              }
            });
    ScheduledFuture<?> timer =
        scheduler.schedule(
            () ->
                Futures.execute(
                    callbacks,
                    scheduler,
                    () ->
                        result.completeExceptionally(
                            new TimeoutException(
                                "no " + type.getSimpleName() + " event within " + timeout))),
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    result.whenComplete(
        (v, e) -> {
          reg.close();
          timer.cancel(false);
        });
    return result;
  }

  /**
   * Events dropped because a listener was too far behind, since creation.
   *
   * @return the count
   */
  public long droppedEvents() {
    return dropped.get();
  }
}
