package org.lotusia.libp2p.internal.host;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's view of its callback executor (the host-owned pool or the one the user gave): it never
 * drops work it accepted, and it tells the host when new work cannot be taken.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>{@link #execute} is for work the host already owes: a delivery to a stream already handed
 *       out, a stream's end or error, a host event, a future's completion, a gater question for a
 *       connection this host dials. When the delegate rejects it (any {@link RuntimeException} from
 *       its {@code execute}), the task is parked in a FIFO and handed to the delegate again by a
 *       host-owned retry thread (after 1 ms, doubling up to 100 ms while the delegate keeps
 *       rejecting), in order, until taken. It is never dropped and never run on the submitting
 *       thread, so never on a network thread. The parked queue is bounded by the host's own limits:
 *       each stream and the host's event queue park at most one task (their {@link SerialExecutor}
 *       drain), and completions are bounded by the caller's pending operations; the network cannot
 *       add to it beyond that, because streams stop reading while their buffer is full (so Yamux
 *       windows push back on the remote) and new work is refused (next rule).
 *   <li>{@link #tryExecute} is for new work the network brings: an inbound stream for a handler, a
 *       gater question about an inbound connection. It returns false, and queues nothing, when
 *       tasks are parked or the delegate rejects; the caller then refuses the work visibly.
 *   <li>While the host closes ({@link #drainOnRetryThread}, once its network stopped) parked and
 *       rejected tasks run on the retry thread itself (host-owned, not a network thread), so that
 *       closing finishes even when the delegate never accepts again; after {@link #close} (the
 *       retry thread is gone) a rejected task runs on the caller's thread.
 * </ul>
 *
 * <p>Thread-safe: the parked queue and the state are guarded by {@code this}; the delegate is
 * called outside the lock. The retry thread exists only after a first rejection.
 */
final class CallbackExecutor implements Executor {

  private static final Logger LOG = LoggerFactory.getLogger(CallbackExecutor.class);
  private static final long FIRST_RETRY_MICROS = 1_000;
  private static final long MAX_RETRY_MICROS = 100_000;

  private final Executor delegate;
  private final RateLimitedLog rejectedLog;
  private final ArrayDeque<Runnable> parked = new ArrayDeque<>();
  private final LongAdder rejections = new LongAdder();

  /** The host is closing: parked tasks run on the retry thread instead of waiting. */
  private boolean draining;

  /** The retry thread is gone: a rejected task runs on the caller's thread. */
  private boolean terminated;

  private ScheduledThreadPoolExecutor retryThread;
  private CompletableFuture<Void> closed;
  private boolean retryScheduled;
  private long retryMicros = FIRST_RETRY_MICROS;

  CallbackExecutor(Executor delegate, Clock clock) {
    this.delegate = delegate;
    this.rejectedLog = new RateLimitedLog(LOG, clock, RateLimitedLog.INTERVAL);
  }

  /** Runs {@code task} on the delegate, parking it when the delegate rejects; never drops it. */
  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      if (!parked.isEmpty()) {
        // Behind the parked ones, so that one submitter's tasks keep their order.
        parked.add(task);
        return;
      }
    }
    try {
      delegate.execute(task);
    } catch (RuntimeException rejected) {
      rejections.increment();
      rejectedLog.warn(
          "callback executor rejected a task; it is kept and retried: {}", rejected.toString());
      park(task);
    }
  }

  /**
   * Runs new work from the network if the delegate takes it now.
   *
   * @return false when tasks are parked or the delegate rejected {@code task} (which is then not
   *     run); the caller must refuse the work
   */
  boolean tryExecute(Runnable task) {
    synchronized (this) {
      if (!parked.isEmpty()) {
        return false;
      }
    }
    try {
      delegate.execute(task);
      return true;
    } catch (RuntimeException rejected) {
      rejections.increment();
      return false;
    }
  }

  /** How often the delegate rejected a task since the host started. */
  long rejections() {
    return rejections.sum();
  }

  /** Tasks parked now, waiting for the delegate to take them. */
  synchronized int parked() {
    return parked.size();
  }

  /** From now on, parked and rejected tasks run on the retry thread: the host is closing. */
  void drainOnRetryThread() {
    synchronized (this) {
      draining = true;
      if (parked.isEmpty()) {
        return;
      }
    }
    schedule(0);
  }

  /**
   * Runs what is still parked on the retry thread, then stops it; later rejected tasks run on the
   * caller's thread. Completes when the retry thread stopped. Idempotent.
   */
  CompletableFuture<Void> close() {
    ScheduledThreadPoolExecutor thread;
    synchronized (this) {
      if (closed != null) {
        return closed;
      }
      closed = new CompletableFuture<>();
      draining = true;
      thread = retryThread;
      if (thread == null) {
        terminated = true;
        closed.complete(null);
        return closed;
      }
    }
    thread.execute(
        () -> {
          runParkedHere(true);
          thread.shutdown();
          closed.complete(null);
        });
    return closed;
  }

  private void park(Runnable task) {
    synchronized (this) {
      if (!terminated) {
        parked.add(task);
        task = null;
      }
    }
    if (task != null) {
      runSafely(task);
      return;
    }
    schedule(FIRST_RETRY_MICROS);
  }

  private void schedule(long delayMicros) {
    synchronized (this) {
      if (retryScheduled || terminated) {
        return;
      }
      retryScheduled = true;
      if (retryThread == null) {
        retryThread =
            new ScheduledThreadPoolExecutor(
                1,
                r -> {
                  Thread t = new Thread(r, "lotus-p2p-callback-retry");
                  t.setDaemon(true);
                  return t;
                });
      }
      retryThread.schedule(this::retry, delayMicros, TimeUnit.MICROSECONDS);
    }
  }

  /** On the retry thread: hands parked tasks to the delegate, in order, until it rejects. */
  private void retry() {
    boolean drainHere;
    synchronized (this) {
      retryScheduled = false;
      drainHere = draining;
    }
    if (drainHere) {
      runParkedHere(false);
      return;
    }
    while (true) {
      Runnable next;
      synchronized (this) {
        next = parked.peek();
        if (next == null) {
          retryMicros = FIRST_RETRY_MICROS;
          return;
        }
      }
      try {
        delegate.execute(next);
      } catch (RuntimeException rejected) {
        rejections.increment();
        long delay;
        synchronized (this) {
          delay = retryMicros;
          retryMicros = Math.min(MAX_RETRY_MICROS, retryMicros * 2);
        }
        schedule(delay);
        return;
      }
      synchronized (this) {
        parked.poll();
      }
    }
  }

  /** Runs the parked tasks on this (the retry) thread; {@code last} ends parking for good. */
  private void runParkedHere(boolean last) {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = parked.poll();
        if (next == null) {
          terminated |= last;
          return;
        }
      }
      runSafely(next);
    }
  }

  private static void runSafely(Runnable task) {
    try {
      task.run();
    } catch (Throwable t) {
      LOG.warn("callback threw; continuing", t);
    }
  }
}
