package org.lotusia.libp2p.internal.yamux;

import static org.lotusia.libp2p.internal.yamux.YamuxFrames.*;

import io.netty.channel.ChannelHandler;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.lotusia.libp2p.ConnectionClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stream table of a {@link YamuxHandler}: the streams it tracks by id, the allocation of local
 * stream ids (odd on the client side, even on the server side), the checks of the remote's SYNs
 * (parity, ids never reused), the limits {@link YamuxConfig#maxInboundStreams()} and {@link
 * YamuxConfig#maxOutboundStreams()}, and the outbound opens that wait for a free slot of {@link
 * YamuxConfig#ackBacklog()}. Event loop only.
 */
final class YamuxStreamTable {

  // the session's logger, so that one logger configuration covers the whole session
  private static final Logger LOG = LoggerFactory.getLogger(YamuxHandler.class);

  private final YamuxHandler session;
  private final boolean client;
  private final YamuxConfig config;
  private final ChannelHandler inboundInitializer;
  private final IntObjectMap<YamuxStream> streams = new IntObjectHashMap<>();
  private final ArrayDeque<PendingOpen> pendingOpens = new ArrayDeque<>();
  private long nextLocalId;
  private long highestRemoteId;
  private int inboundCount;
  private int outboundCount;
  private int unacked;
  private boolean remoteGoAway;

  private record PendingOpen(ChannelHandler initializer, CompletableFuture<YamuxStream> future) {}

  YamuxStreamTable(
      YamuxHandler session, boolean client, YamuxConfig config, ChannelHandler inboundInitializer) {
    this.session = session;
    this.client = client;
    this.config = config;
    this.inboundInitializer = inboundInitializer;
    this.nextLocalId = client ? 1 : 2;
  }

  int size() {
    return streams.size();
  }

  YamuxStream get(int id) {
    return streams.get(id);
  }

  /** A copy of the streams, safe to iterate while their callbacks remove them. */
  List<YamuxStream> all() {
    return new ArrayList<>(streams.values());
  }

  // ---- opening streams ----

  /** Opens an outbound stream now, or when an ACK backlog slot frees (see {@link #drain}). */
  void open(ChannelHandler initializer, CompletableFuture<YamuxStream> future) {
    if (session.isTerminated() || remoteGoAway || session.sentGoAway()) {
      future.completeExceptionally(
          new ConnectionClosedException(
              session.isTerminated()
                  ? "yamux session is closed"
                  : "yamux session is going away; no new streams"));
      return;
    }
    if (outboundCount + pendingOpens.size() >= config.maxOutboundStreams()) {
      future.completeExceptionally(
          new IllegalStateException(
              "yamux: "
                  + config.maxOutboundStreams()
                  + " outbound streams are open (maxOutboundStreams)"));
      return;
    }
    pendingOpens.add(new PendingOpen(initializer, future));
    drain();
  }

  private void drain() {
    while (!session.isTerminated() && unacked < config.ackBacklog() && !pendingOpens.isEmpty()) {
      PendingOpen p = pendingOpens.poll();
      if (nextLocalId > 0xFFFF_FFFFL) {
        p.future.completeExceptionally(new IllegalStateException("yamux: stream ids exhausted"));
        continue;
      }
      int id = (int) nextLocalId;
      nextLocalId += 2;
      YamuxStream s = new YamuxStream(session, session.channel(), id, true, config.initialWindow());
      streams.put(id, s);
      outboundCount++;
      unacked++;
      session.sendWindowUpdate(id, FLAG_SYN, config.initialWindow() - DEFAULT_WINDOW);
      register(
          s,
          p.initializer,
          cause -> {
            if (cause == null) {
              p.future.complete(s);
            } else {
              p.future.completeExceptionally(cause);
            }
          });
    }
  }

  /**
   * Registers the stream a remote SYN opens.
   *
   * @return the stream, or {@code null} when it was refused (reset) or broke the protocol
   */
  YamuxStream accept(int id) {
    boolean remoteParityOdd = !client;
    if (((id & 1) == 1) != remoteParityOdd) {
      session.violation(
          "SYN for stream "
              + Integer.toUnsignedString(id)
              + " has the wrong parity (remote is the "
              + (client ? "server, even ids" : "client, odd ids")
              + ")");
      return null;
    }
    long uid = Integer.toUnsignedLong(id);
    if (streams.containsKey(id) || uid <= highestRemoteId) {
      session.violation("SYN for stream " + uid + " which was already opened");
      return null;
    }
    highestRemoteId = uid;
    if (session.sentGoAway() || inboundCount >= config.maxInboundStreams()) {
      LOG.debug(
          "{} refusing inbound stream {} ({} inbound open, goAway={})",
          session.channel(),
          uid,
          inboundCount,
          session.sentGoAway());
      if (session.parentWritable()) {
        session.sendReset(id);
      }
      return null;
    }
    YamuxStream s = new YamuxStream(session, session.channel(), id, false, config.initialWindow());
    streams.put(id, s);
    inboundCount++;
    // no ACK yet: the stream's first outbound frame carries it (see YamuxStream#ackFlag)
    register(
        s,
        inboundInitializer,
        cause -> {
          if (cause != null) {
            LOG.debug("{} could not register inbound stream {}", session.channel(), uid, cause);
          }
        });
    return s;
  }

  /**
   * Adds the initializer to a new stream's pipeline and registers the stream on the connection's
   * event loop; {@code outcome} gets {@code null} once the stream is registered, or the failure,
   * after which the stream is reset.
   */
  private void register(YamuxStream s, ChannelHandler initializer, Consumer<Throwable> outcome) {
    s.pipeline().addLast(initializer);
    session
        .channel()
        .eventLoop()
        .register(s)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                s.onRegistered();
                outcome.accept(null);
              } else {
                outcome.accept(f.cause());
                s.reset();
              }
            });
  }

  /** Tells whether a stream id was ever opened, by either side (its frames are then ignored). */
  boolean wasOpened(int id) {
    long uid = Integer.toUnsignedLong(id);
    boolean local = ((id & 1) == 1) == client;
    return local ? uid < nextLocalId : uid <= highestRemoteId;
  }

  // ---- stream lifecycle ----

  void remove(YamuxStream s) {
    if (streams.remove(s.streamId()) != null) {
      if (s.isOutbound()) {
        outboundCount--;
        if (!s.acked()) {
          unacked--; // refused or reset before the ACK: free its backlog slot
        }
      } else {
        inboundCount--;
      }
    }
    drain();
  }

  void onAcked() {
    unacked--;
    drain();
  }

  /** The remote sent GoAway: no new outbound streams; the waiting opens fail. */
  void onRemoteGoAway(long code) {
    remoteGoAway = true;
    failPendingOpens(
        () -> new ConnectionClosedException("yamux remote sent GoAway (code " + code + ")"));
  }

  /** The session ended: fails the waiting opens, then closes every stream. */
  void closeAll(Throwable cause) {
    failPendingOpens(() -> cause);
    List<YamuxStream> all = all();
    streams.clear();
    for (YamuxStream s : all) {
      s.onSessionClosed(cause);
    }
  }

  private void failPendingOpens(Supplier<Throwable> cause) {
    PendingOpen p;
    while ((p = pendingOpens.poll()) != null) {
      p.future.completeExceptionally(cause.get());
    }
  }
}
