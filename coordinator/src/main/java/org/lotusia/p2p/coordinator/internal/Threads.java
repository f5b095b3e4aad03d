package org.lotusia.p2p.coordinator.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The coordinator's threads: a callback pool (user code, future completions, the host's callbacks)
 * and a one-thread service scheduler (timers and coordinator state, never user code). Both are
 * named daemon threads that end after a second without work, so a stopped coordinator leaves no
 * thread behind once its last timer is cancelled, and a stopped coordinator can start again.
 */
public final class Threads {

  /** Tasks the callback pool may hold waiting; producers are bounded (one drain per queue). */
  static final int POOL_QUEUE = 1 << 16;

  private Threads() {}

  /**
   * Creates the callback pool.
   *
   * @param threads its size
   * @param label part of the thread names
   * @return the pool
   */
  public static ExecutorService callbackPool(int threads, String label) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            1,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(POOL_QUEUE),
            factory("lotus-p2p-callback-" + label + "-"));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Creates the service scheduler.
   *
   * @param label part of the thread name
   * @return the scheduler
   */
  public static ScheduledThreadPoolExecutor scheduler(String label) {
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(1, factory("lotus-p2p-coordinator-" + label + "-"));
    s.setKeepAliveTime(1, TimeUnit.SECONDS);
    s.allowCoreThreadTimeOut(true);
    s.setRemoveOnCancelPolicy(true);
    s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return s;
  }

  private static ThreadFactory factory(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
