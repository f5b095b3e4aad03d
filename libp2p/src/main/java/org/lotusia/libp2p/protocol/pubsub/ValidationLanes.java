package org.lotusia.libp2p.protocol.pubsub;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The validation pool: a fixed number of threads shared by per-topic lanes. Each lane holds at most
 * {@code queuePerTopic} waiting jobs and runs at most {@code concurrencyPerTopic} of them at once,
 * so one topic with a slow validator fills its own queue (the overflow is dropped and counted)
 * while other topics keep their threads. Results go back to the router thread through {@code
 * routerThread}; the router thread never waits for a lane.
 *
 * <p>The pool's own queue holds only lane drain tasks, at most {@code concurrencyPerTopic} per
 * topic, so it is bounded by the number of this node's topics, which the network does not choose.
 * Thread-safe.
 */
final class ValidationLanes implements Validation {
  /** Jobs a drain runs before it yields its thread to other lanes. */
  static final int BATCH = 32;

  private record Entry(ValidationJob job, Consumer<ValidationJob> done) {}

  private final class Lane {
    final ArrayDeque<Entry> queue = new ArrayDeque<>();
    int active;
  }

  private final ThreadPoolExecutor pool;
  private final int queuePerTopic;
  private final int concurrencyPerTopic;
  private final Predicate<Runnable> routerThread;
  private final LongAdder dropped;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

  ValidationLanes(
      int threads,
      int queuePerTopic,
      int concurrencyPerTopic,
      ThreadFactory factory,
      Predicate<Runnable> routerThread,
      LongAdder dropped) {
    this.pool =
        new ThreadPoolExecutor(
            threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    this.queuePerTopic = queuePerTopic;
    this.concurrencyPerTopic = concurrencyPerTopic;
    this.routerThread = routerThread;
    this.dropped = dropped;
  }

  @Override
  public boolean submit(ValidationJob job, Consumer<ValidationJob> done) {
    Lane lane = lanes.computeIfAbsent(job.topic(), t -> new Lane());
    synchronized (lane) {
      if (lane.queue.size() >= queuePerTopic) {
        dropped.increment();
        return false;
      }
      lane.queue.add(new Entry(job, done));
      if (lane.active >= concurrencyPerTopic) {
        return true;
      }
      lane.active++;
    }
    start(lane);
    return true;
  }

  private void start(Lane lane) {
    try {
      pool.execute(() -> drain(lane));
    } catch (RejectedExecutionException closed) {
      synchronized (lane) {
        lane.active--;
        lane.queue.clear();
      }
    }
  }

  private void drain(Lane lane) {
    for (int i = 0; i < BATCH; i++) {
      Entry e;
      synchronized (lane) {
        e = lane.queue.poll();
        if (e == null) {
          lane.active--;
          return;
        }
      }
      e.job().run();
      routerThread.test(() -> e.done().accept(e.job()));
    }
    start(lane); // more may wait: give other lanes a turn first
  }

  /** Jobs waiting in {@code topic}'s lane (for tests). */
  int waiting(String topic) {
    Lane lane = lanes.get(topic);
    if (lane == null) {
      return 0;
    }
    synchronized (lane) {
      return lane.queue.size();
    }
  }

  /** Stops the threads; jobs still waiting are dropped. */
  void close() {
    pool.shutdownNow();
  }
}
