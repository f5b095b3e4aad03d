package org.lotusia.chain.monitor;

import java.time.Duration;
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

/**
 * A scheduler whose clock only moves when a test calls {@link #advance(Duration)}; due tasks then
 * run on the test thread in time order. Periodic scheduling is not supported.
 */
final class SteppingScheduler extends AbstractExecutorService implements ScheduledExecutorService {

  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private long nowNanos;
  private long seq;
  private boolean shutdown;

  private final class Task<V> implements ScheduledFuture<V> {
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
    public long getDelay(TimeUnit unit) {
      synchronized (SteppingScheduler.this) {
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
      synchronized (SteppingScheduler.this) {
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

    void run() {
      try {
        result.complete(body.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    }
  }

  /** Moves the clock forward, running every task that falls due, in order. */
  void advance(Duration d) {
    long target;
    synchronized (this) {
      target = nowNanos + d.toNanos();
    }
    while (true) {
      Task<?> next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due > target) {
          nowNanos = target;
          return;
        }
        queue.poll();
        nowNanos = Math.max(nowNanos, next.due);
      }
      next.run();
    }
  }

  synchronized int pending() {
    return queue.size();
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable r, long delay, TimeUnit unit) {
    return schedule(
        () -> {
          r.run();
          return null;
        },
        delay,
        unit);
  }

  @Override
  public synchronized <V> ScheduledFuture<V> schedule(Callable<V> c, long delay, TimeUnit unit) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    Task<V> t = new Task<>(nowNanos + unit.toNanos(Math.max(0, delay)), c);
    queue.add(t);
    return t;
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable r, long i, long p, TimeUnit u) {
    throw new UnsupportedOperationException("not used by the monitor");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable r, long i, long d, TimeUnit u) {
    throw new UnsupportedOperationException("not used by the monitor");
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
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
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }
}
