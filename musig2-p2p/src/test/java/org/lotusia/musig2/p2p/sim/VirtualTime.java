package org.lotusia.musig2.p2p.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Simulated time: a clock that only moves when tasks run, and an executor/scheduler whose tasks
 * run on the test thread in time order (FIFO at equal times). It serves as the service executor,
 * scheduler and callback executor of every manager of a simulation, so a whole network runs
 * deterministically and as fast as the computation allows. Periodic scheduling is not supported.
 */
public final class VirtualTime extends AbstractExecutorService implements ScheduledExecutorService {

  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private long nowNanos;
  private long seq;
  private boolean shutdown;
  private Throwable failure;

  /**
   * @param startMillis the initial clock value in ms since the epoch
   */
  public VirtualTime(long startMillis) {
    this.nowNanos = TimeUnit.MILLISECONDS.toNanos(startMillis);
  }

  /** A clock reading this virtual time. */
  public Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(millis());
      }

      @Override
      public long millis() {
        synchronized (VirtualTime.this) {
          return TimeUnit.NANOSECONDS.toMillis(nowNanos);
        }
      }
    };
  }

  /** Current virtual time in ms. */
  public synchronized long millis() {
    return TimeUnit.NANOSECONDS.toMillis(nowNanos);
  }

  /** Tasks waiting. */
  public synchronized int pending() {
    return queue.size();
  }

  /**
   * Runs tasks in time order until the condition holds, nothing is left, or {@code max} of virtual
   * time has passed. A task that threw makes this throw.
   *
   * @return whether the condition holds
   */
  public boolean runUntil(BooleanSupplier condition, Duration max) {
    long deadline;
    synchronized (this) {
      deadline = nowNanos + max.toNanos();
    }
    while (!condition.getAsBoolean()) {
      Task<?> t;
      synchronized (this) {
        t = queue.peek();
        if (t == null) {
          break;
        }
        if (t.due > deadline) {
          nowNanos = deadline;
          break;
        }
        queue.poll();
        nowNanos = Math.max(nowNanos, t.due);
      }
      t.run();
      rethrow();
    }
    return condition.getAsBoolean();
  }

  /** Runs every task due within {@code d} and moves the clock to the end of it. */
  public void advance(Duration d) {
    long end;
    synchronized (this) {
      end = nowNanos + d.toNanos();
    }
    runUntil(() -> false, d);
    synchronized (this) {
      nowNanos = Math.max(nowNanos, end);
    }
  }

  private void rethrow() {
    Throwable f;
    synchronized (this) {
      f = failure;
      failure = null;
    }
    if (f != null) {
      throw new AssertionError("a simulated task threw", f);
    }
  }

  private final class Task<V> implements ScheduledFuture<V>, Runnable {
    final long due;
    final long order;
    final Callable<V> body;
    final CompletableFuture<V> result = new CompletableFuture<>();

    Task(long due, Callable<V> body) {
      this.due = due;
      this.body = body;
      this.order = seq++;
    }

    @Override
    public void run() {
      if (result.isDone()) {
        return;
      }
      try {
        result.complete(body.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
        synchronized (VirtualTime.this) {
          if (failure == null) {
            failure = e;
          }
        }
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      synchronized (VirtualTime.this) {
        return unit.convert(due - nowNanos, TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public int compareTo(Delayed o) {
      Task<?> t = (Task<?>) o;
      return due != t.due ? Long.compare(due, t.due) : Long.compare(order, t.order);
    }

    @Override
    public boolean cancel(boolean mayInterrupt) {
      synchronized (VirtualTime.this) {
        queue.remove(this);
      }
      return result.cancel(false);
    }

    @Override
    public boolean isCancelled() {
      return result.isCancelled();
    }

    @Override
    public boolean isDone() {
      return result.isDone();
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
      return result.get();
    }

    @Override
    public V get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      return result.get(timeout, unit);
    }
  }

  private synchronized <V> Task<V> add(long delayNanos, Callable<V> body) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("virtual time is shut down");
    }
    Task<V> t = new Task<>(nowNanos + Math.max(0, delayNanos), body);
    queue.add(t);
    return t;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(unit.toNanos(delay), () -> {
      command.run();
      return null;
    });
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(unit.toNanos(delay), callable);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("periodic tasks are not simulated");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("periodic tasks are not simulated");
  }

  @Override
  public void execute(Runnable command) {
    add(0, () -> {
      command.run();
      return null;
    });
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    queue.clear();
    return new ArrayList<>();
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && queue.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }
}
