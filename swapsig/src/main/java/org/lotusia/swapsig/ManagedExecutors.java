package org.lotusia.swapsig;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executors of a manager: those the caller supplied, and daemon single-thread defaults for the
 * rest, which the manager owns and stops on close. The service queue is unbounded because the
 * network's share of it is bounded by {@link SwapSigConfig#maxInboundQueue()} and the rest (timers,
 * chain results, API calls) by the pools in progress; the default callback executor holds at most
 * 65,536 tasks and refuses more (counted and logged).
 */
final class ManagedExecutors {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final Executor service;
  private final ScheduledExecutorService scheduler;
  private final Executor callbacks;
  private final List<ExecutorService> owned = new ArrayList<>();

  ManagedExecutors(Executor service, ScheduledExecutorService scheduler, Executor callbacks) {
    int n = COUNTER.incrementAndGet();
    if (service == null) {
      ThreadPoolExecutor e =
          new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
              daemon("swapsig-service-" + n));
      owned.add(e);
      service = e;
    }
    if (scheduler == null) {
      ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, daemon("swapsig-timers-" + n));
      s.setRemoveOnCancelPolicy(true);
      s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      owned.add(s);
      scheduler = s;
    }
    if (callbacks == null) {
      ThreadPoolExecutor c =
          new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(65_536),
              daemon("swapsig-callbacks-" + n));
      owned.add(c);
      callbacks = c;
    }
    this.service = service;
    this.scheduler = scheduler;
    this.callbacks = callbacks;
  }

  Executor service() {
    return service;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  Executor callbacks() {
    return callbacks;
  }

  void shutdownOwned() {
    for (ExecutorService e : owned) {
      e.shutdown();
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
