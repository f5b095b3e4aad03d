package org.lotusia.libp2p.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TimeoutsTest {

  private static boolean timerThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("lotus-timeouts") && t.isAlive());
  }

  @Test
  void aFutureNotDoneInTimeFailsWithTimeoutOnTheSdkTimerThread() {
    AtomicReference<String> thread = new AtomicReference<>();
    // The thread that completes the future, not one that runs its callbacks: a thread waiting in
    // join() may run those itself once the future is complete (CompletableFuture's postComplete).
    CompletableFuture<String> f =
        new CompletableFuture<>() {
          @Override
          public boolean completeExceptionally(Throwable ex) {
            thread.compareAndSet(null, Thread.currentThread().getName());
            return super.completeExceptionally(ex);
          }
        };
    CompletableFuture<String> same = Timeouts.orTimeout(f, Duration.ofMillis(50));
    assertThat(same).isSameAs(f);
    assertThatThrownBy(f::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(TimeoutException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> thread.get() != null);
    assertThat(thread.get()).isEqualTo("lotus-timeouts");
  }

  @Test
  void aFutureDoneInTimeKeepsItsResultAndDropsItsTimer() {
    int before = Timeouts.pending();
    CompletableFuture<String> f = Timeouts.orTimeout(new CompletableFuture<>(), Duration.ofHours(1));
    assertThat(timerThreadAlive()).as("the timer thread runs while a timer is pending").isTrue();
    assertThat(Timeouts.pending()).isEqualTo(before + 1);
    f.complete("done");
    assertThat(f.join()).isEqualTo("done");
    // the hour-long timer went with its future, so it cannot keep the timer thread alive for an hour
    assertThat(Timeouts.pending()).isEqualTo(before);
  }

  @Test
  void aDelayedTaskRunsOnTheGivenExecutorAfterTheDelay() {
    AtomicReference<String> ranOn = new AtomicReference<>();
    Executor mine = r -> new Thread(r, "lotus-test-executor").start();
    long start = System.nanoTime();
    CompletableFuture.runAsync(
        () -> ranOn.set(Thread.currentThread().getName()),
        Timeouts.delayed(Duration.ofMillis(100), mine));
    await().atMost(Duration.ofSeconds(10)).until(() -> ranOn.get() != null);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    assertThat(ranOn.get()).isEqualTo("lotus-test-executor");
  }
}
