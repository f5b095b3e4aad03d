package org.lotusia.musig2.p2p;

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
 * rest, which the manager owns and stops on close. The service executor's queue has no bound of
 * its own because the network's share of it is bounded by the manager ({@link
 * SessionConfig#maxInboundQueue()}) and the rest (timers, send outcomes, API calls) is bounded by
 * the sessions in progress; the default callback executor holds at most 65,536 tasks and refuses
 * more (counted by the manager).
 */
record ManagerExecutors(
    Executor service,
    ScheduledExecutorService scheduler,
    Executor callbacks,
    List<ExecutorService> owned) {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  static ManagerExecutors create(
      Executor service, ScheduledExecutorService scheduler, Executor callbacks) {
    int n = COUNTER.incrementAndGet();
    List<ExecutorService> owned = new ArrayList<>();
    if (service == null) {
      ThreadPoolExecutor e =
          new ThreadPoolExecutor(
              1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
              daemon("lotus-musig2-sessions-" + n));
      owned.add(e);
      service = e;
    }
    if (scheduler == null) {
      ScheduledThreadPoolExecutor s =
          new ScheduledThreadPoolExecutor(1, daemon("lotus-musig2-timers-" + n));
      s.setRemoveOnCancelPolicy(true);
      s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close stops every timer
      owned.add(s);
      scheduler = s;
    }
    if (callbacks == null) {
      ThreadPoolExecutor c =
          new ThreadPoolExecutor(
              1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(65_536),
              daemon("lotus-musig2-callbacks-" + n));
      owned.add(c);
      callbacks = c;
    }
    return new ManagerExecutors(service, scheduler, callbacks, List.copyOf(owned));
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
