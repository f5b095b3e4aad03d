package org.lotusia.libp2p.protocol.kad;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamHandler;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.libp2p.internal.framing.VarintFramer;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves inbound kad-dht streams: reads length-prefixed requests one after another, answers each in
 * order on the DHT's executor, and resets the stream on a malformed or rejected request (as
 * js-libp2p does), after {@code maxRequestsPerStream} requests, or when the peer stays silent for
 * the request timeout. At most {@value #MAX_UNANSWERED} requests, together at most {@code
 * maxMessageSize} bytes, may wait for their answers: a peer that keeps sending without reading
 * would otherwise queue up to {@code maxRequestsPerStream} messages of {@code maxMessageSize}
 * bytes per stream (js-libp2p and go-libp2p send one request and wait for its answer), so a stream
 * holds at most about twice the message limit (the decoder's partial frame and the waiting ones). {@link #closeAll()} resets the streams still open when the DHT closes.
 */
final class KadStreamHandler implements StreamHandler {
  private static final Logger LOG = LoggerFactory.getLogger(KadStreamHandler.class);

  /** Requests one stream may have queued or in progress before it is reset. */
  static final int MAX_UNANSWERED = 8;

  private final KadDhtConfig config;
  private final KadRequestHandler handler;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final KadMetrics metrics;
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  KadStreamHandler(
      KadDhtConfig config,
      KadRequestHandler handler,
      ScheduledExecutorService executor,
      Clock clock,
      KadMetrics metrics) {
    this.metrics = metrics;
    this.config = config;
    this.handler = handler;
    this.executor = executor;
    this.clock = clock;
  }

  @Override
  public void handle(Stream stream) {
    Session session = new Session(stream);
    sessions.add(session);
    if (closed) {
      session.end();
      stream.reset();
      return;
    }
    stream.closeFuture().whenComplete((v, e) -> session.end());
    stream.setReader(session);
    session.armIdleTimer();
  }

  /** Resets every inbound stream still open; later streams are reset on arrival. */
  void closeAll() {
    closed = true;
    for (Session s : List.copyOf(sessions)) {
      s.end();
      s.stream.reset();
    }
  }

  private final class Session implements StreamReader {
    private final Stream stream;
    private final PeerId from;
    private final VarintFramer frames = new VarintFramer(config.maxMessageSize(), "kad message");
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicLong unansweredBytes = new AtomicLong();
    private int requests;
    private ScheduledFuture<?> idle;

    Session(Stream stream) {
      this.stream = stream;
      this.from = stream.connection().remotePeer();
    }

    private void armIdleTimer() {
      if (!scheduleIdleTimer()) {
        // the DHT closed: nobody would answer on this stream any more
        end();
        stream.reset();
      }
    }

    /** Replaces the idle timer; false when the DHT's executor is shut down. */
    private synchronized boolean scheduleIdleTimer() {
      if (idle != null) {
        idle.cancel(false);
      }
      try {
        idle =
            executor.schedule(
                stream::reset, config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return true;
      } catch (RejectedExecutionException e) {
        return false;
      }
    }

    /** Forgets this session and cancels its idle timer. */
    void end() {
      sessions.remove(this);
      cancelIdle();
    }

    @Override
    public void onData(Stream s, byte[] chunk) {
      List<byte[]> got;
      try {
        got = frames.feed(chunk);
      } catch (ProtocolViolationException e) {
        fail(e);
        return;
      }
      for (byte[] body : got) {
        if (++requests > config.maxRequestsPerStream()) {
          fail(new ProtocolViolationException("more than the allowed requests on one kad stream"));
          return;
        }
        if (unanswered.incrementAndGet() > MAX_UNANSWERED) {
          fail(
              new ProtocolViolationException(
                  "more than " + MAX_UNANSWERED + " kad requests waiting for their answers"));
          return;
        }
        if (unansweredBytes.addAndGet(body.length) > config.maxMessageSize()) {
          fail(
              new ProtocolViolationException(
                  "kad requests waiting for their answers exceed "
                      + config.maxMessageSize()
                      + " bytes"));
          return;
        }
        armIdleTimer();
        int size = body.length;
        tail =
            tail.thenComposeAsync(v -> answer(body), executor)
                .whenComplete(
                    (v, e) -> {
                      unanswered.decrementAndGet();
                      unansweredBytes.addAndGet(-size);
                    });
      }
    }

    private CompletableFuture<Void> answer(byte[] body) {
      if (!stream.isOpen()) {
        return CompletableFuture.completedFuture(null);
      }
      Optional<Message> res;
      try {
        Message req = KadCodec.parse(body, config.maxPeersPerMessage());
        res = handler.handle(from, req, clock.instant());
        metrics.requestsServed.increment();
      } catch (RuntimeException e) {
        fail(e);
        return CompletableFuture.completedFuture(null);
      }
      if (res.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      return stream
          .write(KadCodec.frame(res.get()))
          .handle(
              (v, e) -> {
                if (e != null) {
                  stream.reset();
                }
                return null;
              });
    }

    private void fail(Exception e) {
      if (!(e instanceof RecordRefusedException)) {
        metrics.protocolViolations.increment();
      }
      LOG.debug("kad request from {} refused: {}", from, e.getMessage());
      end();
      stream.reset();
    }

    private synchronized void cancelIdle() {
      if (idle != null) {
        idle.cancel(false);
      }
    }

    @Override
    public void onEnd(Stream s) {
      end();
      tail.whenComplete((v, e) -> stream.close());
    }

    @Override
    public void onError(Stream s, Throwable cause) {
      end();
    }
  }
}
