package org.lotusia.libp2p.host;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A callback executor for tests that rejects every task while switched to rejecting. */
final class RejectingExecutor implements Executor, AutoCloseable {

  private final ExecutorService pool =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "test-callbacks");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean rejecting = new AtomicBoolean();
  private final AtomicInteger rejected = new AtomicInteger();

  @Override
  public void execute(Runnable task) {
    if (rejecting.get()) {
      rejected.incrementAndGet();
      throw new RejectedExecutionException("test executor is rejecting");
    }
    pool.execute(task);
  }

  void reject(boolean on) {
    rejecting.set(on);
  }

  int rejected() {
    return rejected.get();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
