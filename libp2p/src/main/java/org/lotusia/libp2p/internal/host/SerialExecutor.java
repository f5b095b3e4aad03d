package org.lotusia.libp2p.internal.host;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor. Used per stream and for host
 * events so callbacks never overlap while many streams share a few callback threads.
 *
 * <p>The queue is bounded in practice by its producers: streams stop reading from the network while
 * their buffered bytes exceed the stream limit, so each stream has a bounded number of tasks queued.
 * A task that throws is logged and the next task still runs.
 */
public final class SerialExecutor implements Executor {

  private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

  /** Tasks run in one go before the executor is handed back to other work. */
  private static final int BATCH = 64;

  private final Executor delegate;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean running;

  /** Creates a serial view of {@code delegate}. */
  public SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (tasks) {
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    try {
      delegate.execute(this::drain);
    } catch (RuntimeException e) {
      synchronized (tasks) {
        running = false;
        tasks.clear();
      }
      LOG.error("callback executor rejected a task; callbacks dropped", e);
    }
  }

  private void drain() {
    for (int done = 0; ; done++) {
      Runnable next;
      synchronized (tasks) {
        next = tasks.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      if (done == BATCH) {
        // Give other serial executors on the same threads a turn.
        synchronized (tasks) {
          tasks.addFirst(next);
        }
        try {
          delegate.execute(this::drain);
        } catch (RuntimeException e) {
          synchronized (tasks) {
            running = false;
            tasks.clear();
          }
          LOG.error("callback executor rejected a task; callbacks dropped", e);
        }
        return;
      }
      try {
        next.run();
      } catch (Throwable t) {
        LOG.warn("callback threw; continuing", t);
      }
    }
  }
}
