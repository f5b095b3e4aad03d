package org.lotusia.libp2p.protocol.pubsub;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the service's user-visible work (future completions, message handlers, listeners, the
 * application score) on the callback executor, never on the router thread.
 *
 * <p>An executor that refuses a task does not lose it: the task is offered again after {@value
 * #RETRY_MILLIS} ms on the retry scheduler, and each refusal is counted. Only when the scheduler
 * itself is gone (the service closed) does a future complete on the calling thread, so that every
 * future still completes. Thread-safe.
 */
final class Callbacks {
  private static final Logger LOG = LoggerFactory.getLogger(Callbacks.class);

  /** Delay before a refused task is offered to the executor again. */
  static final long RETRY_MILLIS = 10;

  private final Executor executor;
  private final ScheduledExecutorService retry;
  private final LongAdder refusals;

  Callbacks(Executor executor, ScheduledExecutorService retry, LongAdder refusals) {
    this.executor = executor;
    this.retry = retry;
    this.refusals = refusals;
  }

  /** Completes {@code future} with {@code value}, or with {@code error} when not null. */
  <T> void complete(CompletableFuture<T> future, T value, Throwable error) {
    Runnable r =
        () -> {
          if (error != null) {
            future.completeExceptionally(error);
          } else {
            future.complete(value);
          }
        };
    if (!submit(r)) {
      r.run(); // the service is closing: completing here is better than never
    }
  }

  /**
   * Hands {@code task} to the executor, retrying later when it is refused.
   *
   * @return false when it was refused and no retry can be scheduled (the service is closed)
   */
  boolean submit(Runnable task) {
    try {
      executor.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      refusals.increment();
      try {
        retry.schedule(
            () -> {
              if (!submit(task)) {
                LOG.debug("callback executor refused a task after close; dropped");
              }
            },
            RETRY_MILLIS,
            TimeUnit.MILLISECONDS);
        return true;
      } catch (RejectedExecutionException closed) {
        return false;
      }
    }
  }

  /** A new serial lane holding at most {@code capacity} tasks. */
  Lane lane(int capacity, LongAdder dropped) {
    return new Lane(capacity, dropped);
  }

  /**
   * Tasks run one at a time in the order offered, on the callback executor. At most {@code
   * capacity} wait; a task offered to a full lane is refused and counted. A drain runs at most
   * {@value #BATCH} tasks before it yields the thread to other work.
   */
  final class Lane {
    static final int BATCH = 64;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final int capacity;
    private final LongAdder dropped;
    private boolean scheduled;
    private boolean closed;

    private Lane(int capacity, LongAdder dropped) {
      this.capacity = capacity;
      this.dropped = dropped;
    }

    /** Queues {@code task}; false (and counted) when the lane is full or closed. */
    boolean offer(Runnable task) {
      synchronized (this) {
        if (closed || queue.size() >= capacity) {
          dropped.increment();
          return false;
        }
        queue.add(task);
        if (scheduled) {
          return true;
        }
        scheduled = true;
      }
      schedule();
      return true;
    }

    /** Refuses new tasks and forgets the waiting ones. */
    void close() {
      synchronized (this) {
        closed = true;
        queue.clear();
      }
    }

    synchronized int size() {
      return queue.size();
    }

    private void schedule() {
      if (!submit(this::drain)) {
        synchronized (this) {
          scheduled = false;
          queue.clear();
        }
      }
    }

    private void drain() {
      for (int i = 0; i < BATCH; i++) {
        Runnable next;
        synchronized (this) {
          next = queue.poll();
          if (next == null) {
            scheduled = false;
            return;
          }
        }
        try {
          next.run();
        } catch (RuntimeException e) {
          LOG.warn("pubsub callback threw", e);
        }
      }
      schedule(); // more are waiting: yield, then go on
    }
  }
}
