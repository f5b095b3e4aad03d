package org.lotusia.swapsig;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.lotusia.musig2.p2p.SessionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pools of one manager share: the ports, the service thread, timers, events and
 * randomness. Every pool's state is confined to the service thread; {@link #hop} and {@link
 * #after} bring asynchronous results and timers back onto it.
 */
final class Services {

  private static final Logger LOG = LoggerFactory.getLogger(Services.class);

  final SwapSigNetwork network;
  final SessionManager sessions;
  final ChainOps chain;
  final SwapSigConfig config;
  final ScheduledExecutorService scheduler;
  final Executor service;
  final EventSink events;
  final SecureRandom random;
  final Clock clock;
  final Outbox outbox;
  /** Where signed refunds are recorded before a setup transaction leaves the node; or null. */
  final RefundJournal journal;

  Services(
      SwapSigNetwork network,
      SessionManager sessions,
      ChainOps chain,
      SwapSigConfig config,
      ScheduledExecutorService scheduler,
      Executor service,
      EventSink events,
      SecureRandom random,
      Outbox.Loopback loopback) {
    this(network, sessions, chain, config, scheduler, service, events, random, loopback, null);
  }

  Services(
      SwapSigNetwork network,
      SessionManager sessions,
      ChainOps chain,
      SwapSigConfig config,
      ScheduledExecutorService scheduler,
      Executor service,
      EventSink events,
      SecureRandom random,
      Outbox.Loopback loopback,
      RefundJournal journal) {
    this.network = network;
    this.sessions = sessions;
    this.chain = chain;
    this.config = config;
    this.scheduler = scheduler;
    this.service = service;
    this.events = events;
    this.random = random;
    this.clock = network.clock();
    this.outbox = new Outbox(network, clock, random, loopback);
    this.journal = journal;
  }

  long now() {
    return clock.millis();
  }

  /** Runs on the service thread; an exception is logged, never lost silently. */
  void run(Runnable r) {
    try {
      service.execute(
          () -> {
            try {
              r.run();
            } catch (RuntimeException | Error e) {
              LOG.error("SwapSig service task failed", e);
            }
          });
    } catch (RejectedExecutionException e) {
      LOG.debug("SwapSig service is closed; task dropped at shutdown");
    }
  }

  /** Continues on the service thread once {@code f} completes. */
  <T> void hop(CompletableFuture<T> f, BiConsumer<T, Throwable> k) {
    f.whenComplete((v, e) -> run(() -> k.accept(v, e == null ? null : ChainOps.unwrap(e))));
  }

  /** Runs {@code r} on the service thread after {@code d}. */
  ScheduledFuture<?> after(Duration d, Runnable r) {
    try {
      return scheduler.schedule(() -> run(r), Math.max(0, d.toMillis()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }
}
