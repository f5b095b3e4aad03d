package org.lotusia.libp2p.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Timeouts and delays on the SDK's own timer thread instead of {@link
 * CompletableFuture#orTimeout} and {@link CompletableFuture#delayedExecutor}. Those use the JDK's
 * shared delay-scheduler thread, which, once started, lives as long as the JVM: a launcher that
 * waits for every thread of a program ({@code mvn exec:java}) then waits for it too. The thread here
 * is a named daemon thread ({@code lotus-timeouts}) that ends a second after the last pending timer,
 * so nothing of it is left once the SDK is closed.
 *
 * <p>Thread-safe. Timeouts complete futures on the timer thread (as {@code orTimeout} does on the
 * JDK's); a timer is cancelled and dropped as soon as its future completes, so a completed future
 * keeps nothing alive.
 */
public final class Timeouts {

  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private Timeouts() {}

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "lotus-timeouts");
              t.setDaemon(true);
              return t;
            });
    s.setKeepAliveTime(1, TimeUnit.SECONDS);
    s.allowCoreThreadTimeOut(true);
    s.setRemoveOnCancelPolicy(true);
    return s;
  }

  /**
   * Completes {@code future} with a {@link TimeoutException} unless it completes within {@code
   * timeout}, exactly like {@link CompletableFuture#orTimeout}.
   *
   * @param future the future to bound; completed in place
   * @param timeout how long to wait; positive
   * @param <T> the result type
   * @return {@code future}
   */
  public static <T> CompletableFuture<T> orTimeout(CompletableFuture<T> future, Duration timeout) {
    if (future.isDone()) {
      return future;
    }
    long nanos = timeout.toNanos();
    ScheduledFuture<?> timer =
        TIMER.schedule(
            () ->
                future.completeExceptionally(
                    new TimeoutException("timed out after " + timeout.toMillis() + " ms")),
            nanos,
            TimeUnit.NANOSECONDS);
    future.whenComplete((v, e) -> timer.cancel(false));
    return future;
  }

  /** The timers pending now (for tests: a completed future's timer is gone). */
  static int pending() {
    return TIMER.getQueue().size();
  }

  /**
   * An executor that runs each task on {@code executor} after {@code delay}, like {@link
   * CompletableFuture#delayedExecutor(long, TimeUnit, Executor)}.
   *
   * @param delay how long to wait before handing a task over
   * @param executor where the task runs (a rejection there is thrown on the timer thread, as with
   *     the JDK's delayed executor)
   * @return the delaying executor
   */
  public static Executor delayed(Duration delay, Executor executor) {
    // the timer is never shut down, so scheduling is never refused
    return task -> TIMER.schedule(() -> executor.execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
  }
}
