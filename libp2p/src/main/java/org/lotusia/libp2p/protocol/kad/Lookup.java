package org.lotusia.libp2p.protocol.kad;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one {@link QueryState} over the network: sends the request to the peers it names, feeds
 * the answers back, wakes up for timeouts, and reports progress to an optional {@link
 * QueryListener} on a serial view of the host's callback executor. Runs on the DHT's executor; its
 * result completes there too, after the listener saw {@link QueryListener#finished}.
 */
final class Lookup {
  private static final Logger LOG = LoggerFactory.getLogger(Lookup.class);

  /** Sees every answer of the lookup; may call {@link QueryState#stop()}. */
  interface Hook {
    void onAnswer(PeerId from, Message answer, QueryState query);
  }

  /** Learns from every answer (the answering peer, the addresses of the peers it names). */
  interface Responders {
    /** Returns the IDs of the closer peers {@code answer} names. */
    List<PeerId> learn(PeerId from, Message answer);
  }

  private final QueryState query;
  private final Message request;
  private final Hook hook;
  private final KadRpc rpc;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final Responders responders;
  private final QueryListener listener;
  private final Executor events;
  private final CompletableFuture<List<PeerId>> result = new CompletableFuture<>();
  private final Instant started;
  private ScheduledFuture<?> wakeUp;
  private boolean finishing;

  /**
   * @param listener progress listener, or null
   * @param events serial executor for the listener's events (unused without a listener)
   */
  Lookup(
      QueryState query,
      Message request,
      Hook hook,
      KadRpc rpc,
      ScheduledExecutorService executor,
      Clock clock,
      Responders responders,
      QueryListener listener,
      Executor events) {
    this.query = query;
    this.request = request;
    this.hook = hook;
    this.rpc = rpc;
    this.executor = executor;
    this.clock = clock;
    this.responders = responders;
    this.listener = listener;
    this.events = events;
    this.started = clock.instant();
  }

  /** Starts the lookup; the future holds the closest peers that answered, closest first. */
  CompletableFuture<List<PeerId>> run() {
    executor.execute(this::pump);
    return result;
  }

  private void pump() {
    if (result.isDone() || finishing) {
      return;
    }
    Instant now = clock.instant();
    query.expire(now);
    // next() may find that the remaining candidates belong to other paths: check again after it
    List<PeerId> ask = query.isFinished(now) ? List.of() : query.next(now);
    if (query.isFinished(now)) {
      if (wakeUp != null) {
        wakeUp.cancel(false);
      }
      finish();
      return;
    }
    for (PeerId p : ask) {
      int round = query.round(p);
      emit(l -> l.peerQueried(p, round));
      rpc.request(p, request)
          .whenCompleteAsync((answer, err) -> answered(p, round, answer, err), executor);
    }
    if (wakeUp != null) {
      wakeUp.cancel(false);
    }
    long delay = Math.max(1, query.nextTimeout().toEpochMilli() - clock.instant().toEpochMilli());
    wakeUp = executor.schedule(this::pump, delay, TimeUnit.MILLISECONDS);
  }

  private void answered(PeerId p, int round, Message answer, Throwable err) {
    if (err != null) {
      query.onFailure(p);
      emit(l -> l.peerFailed(p, round));
    } else {
      List<PeerId> closer = responders.learn(p, answer);
      query.onResponse(p, closer);
      emit(l -> l.peerResponded(p, round, closer));
      try {
        hook.onAnswer(p, answer, query);
      } catch (RuntimeException e) {
        query.stop();
        result.completeExceptionally(e);
      }
    }
    pump();
  }

  private void finish() {
    finishing = true;
    List<PeerId> closest = query.closestSucceeded();
    if (listener == null) {
      result.complete(closest);
      return;
    }
    Instant now = clock.instant();
    QueryStats stats =
        new QueryStats(
            query.rounds(),
            query.queried(),
            query.succeeded(),
            query.failed(),
            Duration.between(started, now),
            query.stoppedEarly(now));
    emit(l -> l.finished(stats));
    try {
      // complete on the DHT's thread (dependent stages use its state), after the listener ran
      events.execute(() -> runOnExecutor(() -> result.complete(closest)));
    } catch (RejectedExecutionException e) {
      result.complete(closest);
    }
  }

  private void runOnExecutor(Runnable r) {
    try {
      executor.execute(r);
    } catch (RejectedExecutionException e) {
      r.run(); // the DHT closed: its pending futures have already failed
    }
  }

  private interface Event {
    void deliver(QueryListener l);
  }

  private void emit(Event e) {
    if (listener == null) {
      return;
    }
    try {
      events.execute(
          () -> {
            try {
              e.deliver(listener);
            } catch (RuntimeException ex) {
              LOG.warn("query listener {} threw", listener, ex);
            }
          });
    } catch (RejectedExecutionException ex) {
      LOG.debug("callback executor refused a query event: {}", ex.toString());
    }
  }
}
