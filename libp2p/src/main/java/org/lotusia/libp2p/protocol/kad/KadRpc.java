package org.lotusia.libp2p.protocol.kad;

import java.io.EOFException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.libp2p.internal.framing.VarintFramer;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;

/**
 * The requesting side of kad-dht: one request per stream, as js-libp2p and go-libp2p send them.
 * Every future completes within the configured request timeout; the stream is reset on failure.
 *
 * <p>The timeout runs on the DHT's own scheduler, not through {@link CompletableFuture#orTimeout}:
 * that would start the JDK's shared delay-scheduler thread, which outlives the DHT and keeps
 * launchers that wait for an application's threads (such as {@code mvn exec:java}) from exiting.
 * {@link #close()} fails the requests still pending, since the scheduler that would time them out
 * is gone.
 *
 * <p>Thread-safe; futures complete on the host's callback executor, a timeout on the DHT's thread.
 */
final class KadRpc {
  private final Host host;
  private final KadDhtConfig config;
  private final KadMetrics metrics;
  private final ScheduledExecutorService scheduler;
  private final Set<CompletableFuture<Message>> pending = ConcurrentHashMap.newKeySet();

  KadRpc(Host host, KadDhtConfig config, KadMetrics metrics, ScheduledExecutorService scheduler) {
    this.host = host;
    this.config = config;
    this.metrics = metrics;
    this.scheduler = scheduler;
  }

  /** Fails every request still pending (their streams are reset); later requests fail at once. */
  void close() {
    IllegalStateException gone = new IllegalStateException("the DHT is closed");
    for (CompletableFuture<Message> f : List.copyOf(pending)) {
      f.completeExceptionally(gone);
    }
  }

  /** Sends {@code req} to {@code peer} and reads one answer. */
  CompletableFuture<Message> request(PeerId peer, Message req) {
    return withStream(peer, req, true);
  }

  /** Sends {@code msg} to {@code peer} without waiting for an answer (ADD_PROVIDER). */
  CompletableFuture<Void> send(PeerId peer, Message msg) {
    return withStream(peer, msg, false).thenApply(m -> null);
  }

  private CompletableFuture<Message> withStream(PeerId peer, Message msg, boolean answer) {
    CompletableFuture<Message> result = new CompletableFuture<>();
    if (!bound(result)) {
      return result;
    }
    host.newStream(peer, List.of(config.protocolId()))
        .whenComplete(
            (stream, err) -> {
              if (err != null) {
                result.completeExceptionally(err);
                return;
              }
              result.whenComplete((m, e) -> finish(stream, e));
              if (answer) {
                stream.setReader(new OneMessageReader(result, config));
              }
              stream
                  .write(KadCodec.frame(msg))
                  .whenComplete(
                      (v, e) -> {
                        if (e != null) {
                          result.completeExceptionally(e);
                        } else if (!answer) {
                          result.complete(null);
                        }
                      });
            });
    return result
        .whenComplete(
            (m, e) -> {
              if (e != null) {
                metrics.requestsFailed.increment();
              }
            });
  }

  /**
   * Registers {@code result} as pending and schedules its timeout; false (with {@code result}
   * failed) when the scheduler is shut down, that is, the DHT is closed.
   */
  private boolean bound(CompletableFuture<Message> result) {
    long millis = config.requestTimeout().toMillis();
    pending.add(result);
    ScheduledFuture<?> timer;
    try {
      timer =
          scheduler.schedule(
              () ->
                  result.completeExceptionally(
                      new TimeoutException("no DHT answer within " + millis + " ms")),
              millis,
              TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      pending.remove(result);
      result.completeExceptionally(new IllegalStateException("the DHT is closed"));
      return false;
    }
    result.whenComplete(
        (m, e) -> {
          timer.cancel(false);
          pending.remove(result);
        });
    return true;
  }

  private static void finish(Stream stream, Throwable error) {
    if (error != null) {
      stream.reset();
    } else {
      stream.close();
    }
  }

  /** Completes a future with the first framed message of a stream. */
  private static final class OneMessageReader implements StreamReader {
    private final CompletableFuture<Message> result;
    private final VarintFramer frames;
    private final int maxPeers;

    OneMessageReader(CompletableFuture<Message> result, KadDhtConfig config) {
      this.result = result;
      this.frames = new VarintFramer(config.maxMessageSize(), "kad message");
      this.maxPeers = config.maxPeersPerMessage();
    }

    @Override
    public void onData(Stream stream, byte[] chunk) {
      if (result.isDone()) {
        return;
      }
      try {
        List<byte[]> got = frames.feed(chunk);
        if (!got.isEmpty()) {
          result.complete(KadCodec.parse(got.get(0), maxPeers));
        }
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }

    @Override
    public void onEnd(Stream stream) {
      result.completeExceptionally(new EOFException("kad peer closed the stream without answer"));
    }

    @Override
    public void onError(Stream stream, Throwable cause) {
      result.completeExceptionally(cause);
    }
  }
}
