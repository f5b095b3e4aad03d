package org.lotusia.libp2p.internal.host;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor. Used per stream and for host
 * events so callbacks never overlap while many streams share a few callback threads.
 *
 * <p>At most one drain of this executor is ever submitted to the delegate at a time, so the
 * delegate holds at most one task per serial executor. The queue here is bounded in practice by its
 * producers: streams stop reading from the network while their buffered bytes exceed the stream
 * limit, and host events are bounded by the connection and stream limits. A task that throws is
 * logged and the next task still runs. After {@value #BATCH} tasks the drain yields the thread by
 * submitting itself again, so one busy stream cannot starve the others.
 *
 * <p>Nothing queued is ever dropped. The host's delegate is a {@link CallbackExecutor}, which parks
 * and retries a drain its own executor rejected, so the queued tasks simply wait. With any other
 * delegate that throws, the tasks stay queued and the next {@link #execute} submits the drain again
 * (the rejection is logged).
 *
 * <p>Thread-safe.
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
    submitDrain();
  }

  /** Number of tasks waiting. */
  public int queued() {
    synchronized (tasks) {
      return tasks.size();
    }
  }

  private void submitDrain() {
    try {
      delegate.execute(this::drain);
    } catch (RuntimeException e) {
      synchronized (tasks) {
        // Keep every task: the next execute() submits the drain again.
        running = false;
      }
      LOG.error("executor rejected a serial drain; {} tasks stay queued", queued(), e);
    }
  }

  private void drain() {
    for (int done = 0; ; done++) {
      Runnable next;
      synchronized (tasks) {
        if (done == BATCH && !tasks.isEmpty()) {
          // Give other serial executors on the same threads a turn; still running.
          next = null;
        } else {
          next = tasks.poll();
          if (next == null) {
            running = false;
            return;
          }
        }
      }
      if (next == null) {
        submitDrain();
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
