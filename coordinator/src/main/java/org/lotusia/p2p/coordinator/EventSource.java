package org.lotusia.p2p.coordinator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Typed events of a {@link P2PCoordinator}. Listeners run on the callback executor, one event at a
 * time per listener and in order; a slow or throwing listener does not delay the others.
 */
public interface EventSource {

  /**
   * Listens to one kind of event.
   *
   * @param type the event class
   * @param listener the listener
   * @param <E> the event type
   * @return the registration that removes it
   */
  <E extends P2PEvent> Registration on(Class<E> type, Consumer<? super E> listener);

  /**
   * Listens to every event.
   *
   * @param listener the listener
   * @return the registration that removes it
   */
  Registration addListener(Consumer<P2PEvent> listener);

  /**
   * The next event of a kind that matches (lotus-sdk's {@code waitForEvent}).
   *
   * @param type the event class
   * @param match the condition
   * @param timeout the deadline
   * @param <E> the event type
   * @return the event, or {@link java.util.concurrent.TimeoutException}
   */
  <E extends P2PEvent> CompletableFuture<E> waitForEvent(
      Class<E> type, Predicate<? super E> match, Duration timeout);
}
