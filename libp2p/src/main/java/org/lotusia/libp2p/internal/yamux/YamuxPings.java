package org.lotusia.libp2p.internal.yamux;

import static org.lotusia.libp2p.internal.yamux.YamuxFrames.*;

import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.ConnectionClosedException;

/**
 * Ping bookkeeping of a {@link YamuxHandler}: answers the remote's pings, measures round trips for
 * the window auto-tuning, runs keep-alive and serves {@link YamuxHandler#ping()}. Event loop only.
 *
 * <p>A ping that arrives while the connection is unwritable (a bulk transfer keeps it at its
 * high-water mark most of the time) is answered as soon as it drains: the remote's keep-alive
 * closes a connection whose ping stays unanswered for its interval, so an answer must never be
 * dropped for a healthy peer. At most {@link YamuxConfig#maxOutstandingPings()} answers wait; a
 * remote with more pings outstanding is flooding and its further pings get no answer, so what a
 * remote that does not read can make us queue stays bounded.
 */
final class YamuxPings {

  private final YamuxHandler session;
  private final YamuxConfig config;
  private final IntObjectMap<Outstanding> outstanding = new IntObjectHashMap<>();
  private int nextOpaque = 1;
  private int userPings;
  private long rttNanos = -1;
  private int keepAliveOpaque;
  /** Opaque values of remote pings received while the connection was unwritable, oldest first. */
  private final ArrayDeque<Long> deferredAnswers = new ArrayDeque<>();

  private record Outstanding(long startNanos, CompletableFuture<Duration> future) {}

  YamuxPings(YamuxHandler session, YamuxConfig config) {
    this.session = session;
    this.config = config;
  }

  long rttNanos() {
    return rttNanos;
  }

  /** Sends an internal ping whose answer only updates the RTT. */
  void measure() {
    send(null);
  }

  void userPing(CompletableFuture<Duration> f) {
    if (session.isTerminated()) {
      f.completeExceptionally(new ConnectionClosedException("yamux session is closed"));
      return;
    }
    if (userPings >= config.maxOutstandingPings()) {
      f.completeExceptionally(
          new IllegalStateException(
              "yamux: " + userPings + " pings are already outstanding (maxOutstandingPings)"));
      return;
    }
    userPings++;
    int opaque = send(f);
    session.schedule(() -> timeOut(opaque), config.pingTimeout());
  }

  /**
   * Fails a user ping that got no answer. Its record stays, so a late answer is not taken for one
   * that was never asked; a remote that leaves too many pings unanswered is treated as gone.
   */
  private void timeOut(int opaque) {
    Outstanding o = outstanding.get(opaque);
    if (o == null || o.future == null) {
      return;
    }
    outstanding.put(opaque, new Outstanding(o.startNanos, null));
    userPings--;
    o.future.completeExceptionally(
        new java.util.concurrent.TimeoutException(
            "yamux ping unanswered after " + config.pingTimeout()));
    if (outstanding.size() > 2 * config.maxOutstandingPings() + 2 && !session.isTerminated()) {
      session.terminate(
          new ConnectionClosedException(
              "yamux remote left " + outstanding.size() + " pings unanswered"));
      session.closeConnection();
    }
  }

  /** Keep-alive tick: a keep-alive ping still unanswered means the connection is dead. */
  void keepAlive() {
    if (session.isTerminated()) {
      return;
    }
    if (keepAliveOpaque != 0 && outstanding.containsKey(keepAliveOpaque)) {
      session.terminate(
          new ConnectionClosedException(
              "yamux keep-alive ping unanswered for " + config.keepAliveInterval()));
      session.closeConnection();
      return;
    }
    keepAliveOpaque = send(null);
  }

  private int send(CompletableFuture<Duration> f) {
    int opaque = nextOpaque;
    nextOpaque = nextOpaque == Integer.MAX_VALUE ? 1 : nextOpaque + 1;
    Outstanding previous =
        outstanding.put(opaque, new Outstanding(config.nanoTicker().getAsLong(), f));
    if (previous != null && previous.future != null) {
      userPings--;
      previous.future.completeExceptionally(new IllegalStateException("yamux ping id reused"));
    }
    session.writeControl(header(session.alloc(), TYPE_PING, FLAG_SYN, 0, opaque));
    return opaque;
  }

  void onPing(int flags, int streamId, long opaque) {
    if (streamId != 0) {
      session.violation(
          "Ping frame with stream id " + Integer.toUnsignedString(streamId) + " (must be 0)");
      return;
    }
    if (flags == FLAG_SYN) {
      if (session.parentWritable() && deferredAnswers.isEmpty()) {
        answer(opaque);
      } else if (deferredAnswers.size() < config.maxOutstandingPings()) {
        deferredAnswers.add(opaque); // answered by onWritable, in order
      }
      return;
    }
    if (flags != FLAG_ACK) {
      session.violation("Ping frame with invalid flags 0x" + Integer.toHexString(flags));
      return;
    }
    Outstanding o = outstanding.remove((int) opaque);
    if (o == null) {
      session.violation("Ping answer with opaque value " + opaque + " that was never sent");
      return;
    }
    long rtt = Math.max(0, config.nanoTicker().getAsLong() - o.startNanos);
    rttNanos = rtt;
    if (o.future != null) {
      userPings--;
      o.future.complete(Duration.ofNanos(rtt));
    }
  }

  /** The connection drained below its low-water mark: answers the pings that waited for it. */
  void onWritable() {
    Long opaque;
    while (!session.isTerminated() && (opaque = deferredAnswers.poll()) != null) {
      answer(opaque);
    }
  }

  private void answer(long opaque) {
    session.writeControl(header(session.alloc(), TYPE_PING, FLAG_ACK, 0, opaque));
  }

  void failAll(Throwable cause) {
    deferredAnswers.clear();
    for (Outstanding o : new ArrayList<>(outstanding.values())) {
      if (o.future != null) {
        o.future.completeExceptionally(cause);
      }
    }
    outstanding.clear();
    userPings = 0;
  }
}
