package org.lotusia.p2p.coordinator.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Future helpers: deadlines on the service scheduler, completion on the callback executor. */
public final class Futures {

  private Futures() {}

  /**
   * The cause inside the wrappers {@code CompletableFuture} adds.
   *
   * @param t a failure
   * @return the innermost cause
   */
  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * A future that completes like {@code f} but fails with {@link TimeoutException} after {@code
   * timeout}, and always completes on the callback executor.
   *
   * @param f the work
   * @param timeout the deadline
   * @param ctx the run (scheduler and callback executor)
   * @param what what is waited for, for the timeout's message
   * @param <T> the result type
   * @return the bounded future
   */
  public static <T> CompletableFuture<T> within(
      CompletableFuture<T> f, Duration timeout, Context ctx, String what) {
    CompletableFuture<T> out = new CompletableFuture<>();
    ScheduledFuture<?> timer =
        ctx.scheduler()
            .schedule(
                () -> {
                  TimeoutException e = new TimeoutException(what + " timed out after " + timeout);
                  f.completeExceptionally(e); // completes `out` below, on the callback executor
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    f.whenComplete(
        (v, e) -> {
          timer.cancel(false);
          execute(
              ctx.callbacks(),
              ctx.scheduler(),
              () -> {
                if (e != null) {
                  out.completeExceptionally(unwrap(e));
                } else {
                  out.complete(v);
                }
              });
        });
    return out;
  }

  /**
   * Runs a task on an executor that may refuse it for a while: a refused task is retried every 10
   * ms on the scheduler, never dropped; once the scheduler too is shut down (the coordinator was
   * closed) it runs on the calling thread, so that every future still completes.
   *
   * @param executor where the task should run
   * @param scheduler where a refused task is retried
   * @param task the task
   */
  public static void execute(Executor executor, ScheduledExecutorService scheduler, Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException refused) {
      try {
        scheduler.schedule(() -> execute(executor, scheduler, task), 10, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        task.run();
      }
    }
  }
}
