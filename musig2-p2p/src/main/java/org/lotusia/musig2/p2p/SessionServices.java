package org.lotusia.musig2.p2p;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.protocol.P2PProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sessions of one manager share: the network port, configuration, store, executors,
 * events and counters. Built once by {@link SessionManager}; its fields are final and the
 * collaborators thread-safe, so sessions (all confined to the manager's thread) use it freely.
 */
final class SessionServices {

  private static final Logger LOG = LoggerFactory.getLogger(SessionServices.class);

  final SessionNetwork network;
  final SessionConfig config;
  final SessionStore store;
  final Clock clock;
  final Executor service;
  final ScheduledExecutorService scheduler;
  final EventSink events;
  final Broadcaster broadcaster;
  final SecureRandom random;
  final P2PProtocol protocol;
  final SessionMetrics metrics;
  final String localPeerId;
  /** Told when a session reaches COMPLETE or ABORTED, on the manager's thread. */
  final Consumer<ActiveSession> onFinished;

  SessionServices(
      SessionNetwork network,
      SessionConfig config,
      SessionStore store,
      Executor service,
      ScheduledExecutorService scheduler,
      EventSink events,
      Broadcaster broadcaster,
      SecureRandom random,
      SessionMetrics metrics,
      Consumer<ActiveSession> onFinished) {
    this.network = network;
    this.config = config;
    this.store = store;
    this.clock = network.clock();
    this.service = service;
    this.scheduler = scheduler;
    this.events = events;
    this.broadcaster = broadcaster;
    this.random = random;
    this.metrics = metrics;
    this.localPeerId = network.localPeerId();
    this.onFinished = onFinished;
    this.protocol =
        P2PProtocol.builder().clock(clock).maxClockSkew(config.maxClockSkew()).random(random).build();
  }

  long now() {
    return clock.millis();
  }

  /** Runs {@code task} on the manager's thread after {@code delay}. */
  ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    return scheduler.schedule(
        () -> onService(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs {@code task} on the manager's thread. If the executor refuses it (the manager is closed,
   * or a caller-supplied executor is full) the task is counted in {@link
   * SessionMetrics#tasksRefused()} and logged.
   */
  void onService(Runnable task) {
    try {
      service.execute(task);
    } catch (RejectedExecutionException e) {
      metrics.tasksRefused.increment();
      LOG.debug("the service executor refused a task (closed or full)");
    }
  }

  /**
   * Sends through the port; a send that throws is turned into a failed future, so every send has
   * one outcome.
   */
  CompletableFuture<Void> send(String peerId, P2PMessage message) {
    try {
      CompletableFuture<Void> f = network.send(peerId, message);
      return f != null ? f : CompletableFuture.failedFuture(new IllegalStateException("null"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
