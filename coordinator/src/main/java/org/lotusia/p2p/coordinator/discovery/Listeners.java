package org.lotusia.p2p.coordinator.discovery;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.lotusia.p2p.coordinator.Registration;
import org.lotusia.p2p.coordinator.internal.SerialQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listeners of one kind of event, each on its own bounded {@link SerialQueue} on the callback
 * executor: in order, one at a time, a slow or throwing listener affecting only itself; an event
 * for a listener {@code capacity} events behind is dropped and counted. Thread-safe.
 *
 * @param <E> the event type
 */
final class Listeners<E> {

  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  private record Entry<E>(Consumer<E> listener, SerialQueue queue) {}

  private final String what;
  private final Supplier<Executor> executor;
  private final ScheduledExecutorService retry;
  private final int capacity;
  private final List<Entry<E>> entries = new CopyOnWriteArrayList<>();
  private final LongAdder dropped = new LongAdder();

  Listeners(String what, Supplier<Executor> executor, ScheduledExecutorService retry, int capacity) {
    this.what = what;
    this.executor = executor;
    this.retry = retry;
    this.capacity = capacity;
  }

  Registration add(Consumer<E> listener) {
    Objects.requireNonNull(listener, "listener");
    Entry<E> e =
        new Entry<>(
            listener,
            new SerialQueue(
                what + " " + listener,
                executor.get(),
                retry,
                capacity,
                t -> LOG.warn("{} {} threw; it keeps receiving", what, listener, t)));
    entries.add(e);
    return () -> entries.remove(e);
  }

  void publish(E event) {
    for (Entry<E> e : entries) {
      if (!e.queue().offer(() -> e.listener().accept(event))) {
        dropped.increment();
        LOG.debug("{} {} too far behind; dropped {}", what, e.listener(), event);
      }
    }
  }

  long dropped() {
    return dropped.sum();
  }

  void clear() {
    entries.clear();
  }
}
