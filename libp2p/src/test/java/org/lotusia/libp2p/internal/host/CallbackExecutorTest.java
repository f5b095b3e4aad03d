package org.lotusia.libp2p.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The never-drop, refuse-new-work rules of {@link CallbackExecutor} and {@link SerialExecutor}. */
class CallbackExecutorTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ExecutorService pool = Executors.newSingleThreadExecutor();
  private final AtomicBoolean rejecting = new AtomicBoolean();
  private final Executor delegate =
      task -> {
        if (rejecting.get()) {
          throw new RejectedExecutionException("rejecting");
        }
        pool.execute(task);
      };
  private final CallbackExecutor callbacks = new CallbackExecutor(delegate, Clock.systemUTC());
  private final List<Integer> ran = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    callbacks.close().get(30, TimeUnit.SECONDS);
    pool.shutdownNow();
  }

  @Test
  void rejectedTasksAreKeptAndRunInOrderOnceTheDelegateTakesWorkAgain() {
    rejecting.set(true);
    for (int i = 0; i < 100; i++) {
      int n = i;
      callbacks.execute(() -> ran.add(n));
    }
    assertThat(callbacks.parked()).isEqualTo(100);
    assertThat(callbacks.rejections()).isPositive();
    // New work is refused while work is parked, and does not run.
    assertThat(callbacks.tryExecute(() -> ran.add(-1))).isFalse();
    assertThat(ran).isEmpty();

    rejecting.set(false);
    await().atMost(WAIT).until(() -> ran.size() == 100);
    assertThat(ran).isSorted().doesNotContain(-1);
    assertThat(callbacks.parked()).isZero();
    assertThat(callbacks.tryExecute(() -> ran.add(100))).isTrue();
    await().atMost(WAIT).until(() -> ran.size() == 101);
  }

  @Test
  void aSerialExecutorOverARejectingExecutorLosesNothing() {
    SerialExecutor serial = new SerialExecutor(callbacks);
    rejecting.set(true);
    // More than one batch, so the drain also resubmits itself while rejected.
    for (int i = 0; i < 200; i++) {
      int n = i;
      serial.execute(() -> ran.add(n));
    }
    assertThat(serial.queued()).isEqualTo(200);
    rejecting.set(false);
    await().atMost(WAIT).until(() -> ran.size() == 200);
    assertThat(ran).isSorted();
  }

  @Test
  void aSerialExecutorOverAThrowingExecutorKeepsItsTasksForTheNextSubmission() {
    AtomicBoolean fail = new AtomicBoolean(true);
    SerialExecutor serial =
        new SerialExecutor(
            task -> {
              if (fail.get()) {
                throw new RejectedExecutionException("no");
              }
              task.run();
            });
    serial.execute(() -> ran.add(1));
    serial.execute(() -> ran.add(2));
    assertThat(serial.queued()).isEqualTo(2);
    fail.set(false);
    serial.execute(() -> ran.add(3));
    assertThat(ran).containsExactly(1, 2, 3);
  }

  @Test
  void whileClosingParkedTasksRunOnTheRetryThread() throws Exception {
    rejecting.set(true);
    List<String> threads = new CopyOnWriteArrayList<>();
    callbacks.execute(() -> threads.add(Thread.currentThread().getName()));
    callbacks.drainOnRetryThread();
    await().atMost(WAIT).until(() -> threads.size() == 1);
    callbacks.close().get(30, TimeUnit.SECONDS);
    // After close a rejected task runs on the caller's thread rather than being lost.
    callbacks.execute(() -> threads.add(Thread.currentThread().getName()));
    assertThat(threads)
        .containsExactly("lotus-p2p-callback-retry", Thread.currentThread().getName());
  }
}
