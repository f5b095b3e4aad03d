package org.lotusia.p2p.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.Registration;

class EventBusTest {

  private final ExecutorService pool = Threads.callbackPool(4, "test");
  private final ScheduledThreadPoolExecutor scheduler = Threads.scheduler("test");

  @AfterEach
  void shutdown() {
    pool.shutdownNow();
    scheduler.shutdownNow();
  }

  private static P2PEvent.PeerDisconnected event(int i) {
    return new P2PEvent.PeerDisconnected("peer-" + i, Instant.EPOCH);
  }

  @Test
  void aSlowListenerDoesNotDelayTheOthersAndEachSeesEventsInOrder() throws Exception {
    EventBus bus = new EventBus(pool, scheduler, 1000);
    CountDownLatch release = new CountDownLatch(1);
    List<String> slow = new CopyOnWriteArrayList<>();
    List<String> fast = new CopyOnWriteArrayList<>();
    bus.on(
        P2PEvent.PeerDisconnected.class,
        e -> {
          try {
            release.await();
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
          }
          slow.add(e.peerId());
        });
    bus.on(P2PEvent.PeerDisconnected.class, e -> fast.add(e.peerId()));
    for (int i = 0; i < 100; i++) {
      bus.publish(event(i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> fast.size() == 100);
    assertThat(slow).isEmpty();
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> slow.size() == 100);
    for (int i = 0; i < 100; i++) {
      assertThat(slow.get(i)).isEqualTo("peer-" + i);
      assertThat(fast.get(i)).isEqualTo("peer-" + i);
    }
  }

  @Test
  void aThrowingListenerKeepsReceivingAndOthersAreUnaffected() {
    EventBus bus = new EventBus(pool, scheduler, 1000);
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    bus.on(
        P2PEvent.class,
        e -> {
          calls.incrementAndGet();
          throw new IllegalStateException("listener bug");
        });
    bus.on(P2PEvent.class, e -> other.incrementAndGet());
    for (int i = 0; i < 10; i++) {
      bus.publish(event(i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 10 && other.get() == 10);
  }

  @Test
  void aListenerTooFarBehindLosesEventsAndTheyAreCounted() throws Exception {
    EventBus bus = new EventBus(pool, scheduler, 5);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger blocked = new AtomicInteger();
    bus.on(
        P2PEvent.class,
        e -> {
          try {
            release.await();
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
          }
          blocked.incrementAndGet();
        });
    for (int i = 0; i < 50; i++) {
      bus.publish(event(i));
    }
    // one event in the listener's hands, five queued; the rest dropped and counted
    assertThat(bus.droppedEvents()).isBetween(44L, 45L);
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> blocked.get() + bus.droppedEvents() == 50);
  }

  @Test
  void typedListenersSeeOnlyTheirKindAndRegistrationsRemove() {
    EventBus bus = new EventBus(pool, scheduler, 100);
    AtomicInteger disconnects = new AtomicInteger();
    Registration r = bus.on(P2PEvent.PeerDisconnected.class, e -> disconnects.incrementAndGet());
    bus.publish(new P2PEvent.PeerConnected("p", List.of(), Instant.EPOCH));
    bus.publish(event(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> disconnects.get() == 1);
    r.close();
    bus.publish(event(2));
    bus.publish(event(3));
    CountDownLatch seen = new CountDownLatch(1);
    bus.on(P2PEvent.PeerDisconnected.class, e -> seen.countDown());
    bus.publish(event(4));
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.getCount() == 0);
    assertThat(disconnects.get()).isEqualTo(1);
  }

  @Test
  void nextCompletesWithTheFirstMatchOrTimesOut() throws Exception {
    EventBus bus = new EventBus(pool, scheduler, 100);
    var f = bus.next(P2PEvent.PeerDisconnected.class, e -> e.peerId().equals("peer-3"), Duration.ofSeconds(10));
    for (int i = 0; i < 5; i++) {
      bus.publish(event(i));
    }
    assertThat(f.get(10, TimeUnit.SECONDS).peerId()).isEqualTo("peer-3");
    var never = bus.next(P2PEvent.DhtReady.class, e -> true, Duration.ofMillis(50));
    assertThatThrownBy(() -> never.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining("no DhtReady event within PT0.05S");
  }

  @Test
  void aRejectingExecutorDelaysTasksButNeverDropsThem() {
    AtomicInteger rejections = new AtomicInteger();
    java.util.concurrent.Executor flaky =
        task -> {
          if (rejections.incrementAndGet() % 3 != 0) {
            throw new RejectedExecutionException("busy");
          }
          pool.execute(task);
        };
    List<Integer> seen = new CopyOnWriteArrayList<>();
    SerialQueue q = new SerialQueue("test", flaky, scheduler, 1000, t -> {});
    for (int i = 0; i < 200; i++) {
      int n = i;
      assertThat(q.offer(() -> seen.add(n))).isTrue();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 200);
    for (int i = 0; i < 200; i++) {
      assertThat(seen.get(i)).isEqualTo(i);
    }
    assertThat(rejections.get()).isGreaterThan(1);
  }
}
