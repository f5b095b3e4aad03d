package org.lotusia.libp2p.protocol.kad;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;

/**
 * Drives one {@link QueryState} over the network: sends the request to the peers it names, feeds
 * the answers back, and wakes up for timeouts. Runs on the DHT's executor.
 */
final class Lookup {

  /** Sees every answer of the lookup; may call {@link QueryState#stop()}. */
  interface Hook {
    void onAnswer(PeerId from, Message answer, QueryState query);
  }

  private final QueryState query;
  private final Message request;
  private final Hook hook;
  private final KadRpc rpc;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final Responders responders;
  private final CompletableFuture<List<PeerId>> result = new CompletableFuture<>();
  private ScheduledFuture<?> wakeUp;

  /** Learns from every answer (the answering peer, the addresses of the peers it names). */
  interface Responders {
    /** Returns the IDs of the closer peers {@code answer} names. */
    List<PeerId> learn(PeerId from, Message answer);
  }

  Lookup(
      QueryState query,
      Message request,
      Hook hook,
      KadRpc rpc,
      ScheduledExecutorService executor,
      Clock clock,
      Responders responders) {
    this.query = query;
    this.request = request;
    this.hook = hook;
    this.rpc = rpc;
    this.executor = executor;
    this.clock = clock;
    this.responders = responders;
  }

  /** Starts the lookup; the future holds the closest peers that answered, closest first. */
  CompletableFuture<List<PeerId>> run() {
    executor.execute(this::pump);
    return result;
  }

  private void pump() {
    if (result.isDone()) {
      return;
    }
    query.expire(clock.instant());
    if (query.isFinished(clock.instant())) {
      if (wakeUp != null) {
        wakeUp.cancel(false);
      }
      result.complete(query.closestSucceeded());
      return;
    }
    for (PeerId p : query.next(clock.instant())) {
      rpc.request(p, request)
          .whenCompleteAsync(
              (answer, err) -> {
                if (err != null) {
                  query.onFailure(p);
                } else {
                  List<PeerId> closer = responders.learn(p, answer);
                  query.onResponse(p, closer);
                  try {
                    hook.onAnswer(p, answer, query);
                  } catch (RuntimeException e) {
                    query.stop();
                    result.completeExceptionally(e);
                  }
                }
                pump();
              },
              executor);
    }
    if (wakeUp != null) {
      wakeUp.cancel(false);
    }
    long delay = Math.max(1, query.nextTimeout().toEpochMilli() - clock.instant().toEpochMilli());
    wakeUp = executor.schedule(this::pump, delay, TimeUnit.MILLISECONDS);
  }
}
