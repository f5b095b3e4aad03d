package org.lotusia.p2p.coordinator.threads;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.lotusia.p2p.coordinator.MonitorConfig;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.coordinator.P2PConfigBuilder;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;

/**
 * Runs two coordinators with every service on (DHT server, GossipSub, relay client and server,
 * AutoNAT, DCUtR), connects them, uses the DHT and a topic, stops and closes both, and then reports
 * the threads left. It runs in a JVM of its own (see {@link ThreadsAfterCloseTest}) and the
 * scenario in a thread group of its own, the way {@code mvn exec:java} runs a program: every thread
 * the SDK starts, and the JDK's shared delay-scheduler thread if SDK code starts it, lands in that
 * group.
 *
 * <p>Prints {@code started: NAMES} (the group's threads while the nodes ran), then {@code left: NAMES}
 * (after closing and waiting up to the deadline for them to end); exits 0 when the scenario
 * completed, 1 when it failed.
 */
public final class ThreadsAfterCloseMain {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private ThreadsAfterCloseMain() {}

  /**
   * Entry point.
   *
   * @param args {@code [seconds]}: how long to wait for threads to end after closing (default 30)
   * @throws Exception on interruption
   */
  public static void main(String[] args) throws Exception {
    long waitSeconds = args.length > 0 ? Long.parseLong(args[0]) : 30;
    ThreadGroup group = new ThreadGroup("sdk-under-test");
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<List<String>> started = new AtomicReference<>(List.of());
    Thread runner =
        new Thread(
            group,
            () -> {
              try {
                started.set(scenario(group));
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "scenario");
    runner.start();
    runner.join();
    System.out.println("started: " + String.join(",", new TreeSet<>(started.get())));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
    List<String> left = names(group);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100); // polling the group: there is no event for "a thread of this group ended"
      left = names(group);
    }
    System.out.println("left: " + String.join(",", left));
    if (failure.get() != null) {
      failure.get().printStackTrace(System.out);
      System.exit(1);
    }
    System.exit(0);
  }

  private static List<String> scenario(ThreadGroup group) throws Exception {
    P2PCoordinator a = new P2PCoordinator(config().build());
    P2PCoordinator b = new P2PCoordinator(config().build());
    try {
      join(a.start());
      join(b.start());
      join(a.connectToPeer(b.getStats().multiaddrs().get(0)));
      CountDownLatch got = new CountDownLatch(1);
      join(b.subscribeToTopic("threads", m -> got.countDown()));
      join(a.subscribeToTopic("threads", m -> {}));
      ResourceAnnouncement mine = join(a.announceResource("probe", "r-1", Map.of("k", "v")));
      Optional<ResourceAnnouncement> found = join(b.discoverResource("probe", "r-1"));
      if (found.isEmpty() || !found.get().equals(mine)) {
        throw new AssertionError("resource not found through the DHT: " + found);
      }
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (got.getCount() > 0 && System.nanoTime() < deadline) {
        // the mesh forms after a heartbeat: publish until bob's handler ran
        a.publishToTopic("threads", Map.of("n", 1)).exceptionally(e -> null);
        got.await(200, TimeUnit.MILLISECONDS);
      }
      if (got.getCount() > 0) {
        throw new AssertionError("topic message not delivered within " + WAIT);
      }
      List<String> running = names(group);
      join(a.stop());
      join(b.stop());
      return running;
    } finally {
      a.close();
      b.close();
    }
  }

  private static P2PConfigBuilder config() {
    return P2PConfig.builder()
        .listen("/ip4/127.0.0.1/tcp/0")
        .dhtServer(true)
        .enableGossipSub(true)
        .enableRelay(true)
        .enableRelayServer(true)
        .enableAutoNat(true)
        .enableDcutr(true)
        .monitor(MonitorConfig.fast())
        .discoverTimeout(Duration.ofSeconds(10))
        .callbackThreads(2);
  }

  private static List<String> names(ThreadGroup group) {
    Thread[] threads = new Thread[group.activeCount() + 16];
    int n = group.enumerate(threads, true);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (threads[i] != Thread.currentThread() && threads[i].isAlive()) {
        out.add(threads[i].getName());
      }
    }
    return out;
  }

  private static <T> T join(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }
}
