package org.lotusia.libp2p.internal.host;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host-owned callback executor: daemon threads and a bounded queue. A full queue rejects
 * ({@link ThreadPoolExecutor.AbortPolicy}); the host's {@link CallbackExecutor} turns that into
 * parked, retried work or a visible refusal of new work, never a silent drop.
 */
final class CallbackPool {

  /** Queue capacity; serial executors keep at most one task per stream in it. */
  static final int QUEUE = 1 << 16;

  private CallbackPool() {}

  static ExecutorService create(int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "lotus-p2p-callback-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            factory,
            new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
