package org.lotusia.p2p.coordinator.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in order, on a shared executor, with a bounded backlog. One queue per
 * listener or handler isolates them: a slow one delays only its own tasks.
 *
 * <p>Back-pressure: {@link #offer(Runnable)} refuses a task when {@code capacity} tasks are waiting
 * and the caller decides what refusal means (the coordinator counts and logs it, and resets the
 * stream a refused message came on). A task once accepted is never dropped: when the executor
 * rejects the drain, it is retried on {@code retry} after a short delay. A task that throws is
 * reported to {@code onError} and the next task runs.
 *
 * <p>Thread-safe.
 */
public final class SerialQueue {

  private static final Logger LOG = LoggerFactory.getLogger(SerialQueue.class);
  private static final int BATCH = 32;

  private final String name;
  private final Executor executor;
  private final ScheduledExecutorService retry;
  private final int capacity;
  private final Consumer<Throwable> onError;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean scheduled;
  private long rejected;

  /**
   * Creates a queue.
   *
   * @param name for logs
   * @param executor where tasks run
   * @param retry where a rejected drain is retried
   * @param capacity most tasks waiting
   * @param onError receives what a task threw (must not throw)
   */
  public SerialQueue(
      String name,
      Executor executor,
      ScheduledExecutorService retry,
      int capacity,
      Consumer<Throwable> onError) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.name = name;
    this.executor = executor;
    this.retry = retry;
    this.capacity = capacity;
    this.onError = onError;
  }

  /**
   * Queues a task.
   *
   * @param task the task
   * @return false when the queue is full (the task was not taken)
   */
  public boolean offer(Runnable task) {
    synchronized (tasks) {
      if (tasks.size() >= capacity) {
        rejected++;
        return false;
      }
      tasks.add(task);
      if (scheduled) {
        return true;
      }
      scheduled = true;
    }
    schedule();
    return true;
  }

  /**
   * Whether a task would be taken now.
   *
   * @return true while fewer than {@code capacity} tasks wait
   */
  public boolean hasRoom() {
    synchronized (tasks) {
      return tasks.size() < capacity;
    }
  }

  /**
   * Tasks refused because the queue was full, since creation.
   *
   * @return the count
   */
  public long rejected() {
    synchronized (tasks) {
      return rejected;
    }
  }

  /**
   * Tasks waiting.
   *
   * @return the count
   */
  public int size() {
    synchronized (tasks) {
      return tasks.size();
    }
  }

  private void schedule() {
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      LOG.warn("executor refused the tasks of {}; retrying in 10 ms", name);
      try {
        retry.schedule(this::schedule, 10, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException shutDown) {
        synchronized (tasks) {
          LOG.debug("{}: {} tasks not run, the coordinator stopped", name, tasks.size());
          tasks.clear();
          scheduled = false;
        }
      }
    }
  }

  private void drain() {
    for (int done = 0; ; done++) {
      Runnable next;
      synchronized (tasks) {
        if (done == BATCH && !tasks.isEmpty()) {
          break; // let other queues on the same threads run
        }
        next = tasks.poll();
        if (next == null) {
          scheduled = false;
          return;
        }
      }
      try {
        next.run();
      } catch (Throwable t) {
        onError.accept(t);
      }
    }
    schedule();
  }
}
