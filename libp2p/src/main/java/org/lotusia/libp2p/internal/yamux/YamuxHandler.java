package org.lotusia.libp2p.internal.yamux;

import static org.lotusia.libp2p.internal.yamux.YamuxFrames.*;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.ProtocolViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Yamux session ({@value #PROTOCOL_ID}) on a connection channel, added after the secure channel.
 * Each stream is a child channel ({@link YamuxStream}) on the same event loop; inbound streams get
 * the initializer given here, outbound streams the one given to {@link #openStream}.
 *
 * <p>The client side (the connection's dialer) opens odd stream ids, the server side even ones. A
 * protocol violation by the remote (bad version, unknown type or flags, data beyond the window,
 * frames for stream ids never opened, SYN for a used id or with the wrong parity, oversized frames,
 * unrequested ping answers) sends GoAway(protocol error), fails every stream and pending operation
 * with {@link ProtocolViolationException} and closes the connection. Frames for recently closed
 * streams are ignored, as the spec allows.
 *
 * <p>Closing the connection channel sends GoAway(normal) first. An inbound GoAway stops new
 * streams: pending and later opens fail with {@link ConnectionClosedException}; open streams
 * continue.
 *
 * <p>Threading: the public methods may be called from any thread; they run on the connection's
 * event loop. Returned futures complete on the event loop.
 */
public final class YamuxHandler extends ByteToMessageDecoder implements ChannelOutboundHandler {

  /** The protocol id negotiated with multistream-select. */
  public static final String PROTOCOL_ID = "/yamux/1.0.0";

  private static final Logger LOG = LoggerFactory.getLogger(YamuxHandler.class);

  /** Data payloads from this size are sent as slices of the stream's buffer, smaller ones copied. */
  static final int SLICE_PAYLOAD_FROM = 4096;

  private final boolean client;
  private final YamuxConfig config;
  private final YamuxStreamTable streams;
  private final YamuxPings pings;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

  private volatile ChannelHandlerContext ctx;
  private boolean terminated;
  private boolean localGoAway;
  private volatile boolean remoteEndedOnPurpose;
  private boolean inRead;
  private boolean inOpen;
  private boolean needsFlush;
  private ScheduledFuture<?> keepAliveTask;
  private boolean started;

  private final YamuxFrameReader reader = new YamuxFrameReader(this);

  /**
   * Creates a session handler for one connection.
   *
   * @param client {@code true} on the side that dialed the connection (odd stream ids)
   * @param config limits
   * @param inboundInitializer handler added to each inbound stream's pipeline (typically a {@link
   *     io.netty.channel.ChannelInitializer} that adds a multistream-select responder); must be
   *     {@link ChannelHandler.Sharable} or a fresh initializer is needed per stream
   */
  public YamuxHandler(boolean client, YamuxConfig config, ChannelHandler inboundInitializer) {
    this.client = client;
    this.config = Objects.requireNonNull(config, "config");
    this.streams =
        new YamuxStreamTable(
            this,
            client,
            config,
            Objects.requireNonNull(inboundInitializer, "inboundInitializer"));
    this.pings = new YamuxPings(this, config);
  }

  /**
   * Opens an outbound stream. The SYN is sent at once (data may follow before the remote's ACK);
   * when {@link YamuxConfig#ackBacklog()} streams wait for their ACK, the open waits for one.
   *
   * @param initializer handler added to the new stream's pipeline before it becomes active
   * @return completes with the registered stream; fails with {@link ConnectionClosedException} when
   *     the session is closed or the remote sent GoAway, or {@link IllegalStateException} when
   *     {@link YamuxConfig#maxOutboundStreams()} streams are open or stream ids are exhausted
   */
  public CompletableFuture<YamuxStream> openStream(ChannelHandler initializer) {
    Objects.requireNonNull(initializer, "initializer");
    CompletableFuture<YamuxStream> f = new CompletableFuture<>();
    ChannelHandlerContext c = ctx;
    if (c == null) {
      f.completeExceptionally(new IllegalStateException("yamux handler is not in a pipeline"));
      return f;
    }
    c.executor().execute(() -> openBatched(initializer, f));
    return f;
  }

  /**
   * Opens a stream with one flush of the connection for everything the open writes: the SYN and
   * whatever the initializer writes, flushes and half-closes while the stream registers (a lazy
   * multistream-select proposal with its first data and FIN). The Noise layer encrypts per flush,
   * so such a stream costs one transport message instead of one per frame.
   */
  private void openBatched(ChannelHandler initializer, CompletableFuture<YamuxStream> f) {
    CompletableFuture<YamuxStream> opened = new CompletableFuture<>();
    boolean outer = !inOpen;
    inOpen = true;
    try {
      streams.open(initializer, opened);
    } finally {
      if (outer) {
        inOpen = false;
        if (needsFlush && !inRead && ctx != null) {
          needsFlush = false;
          ctx.flush();
        }
      }
    }
    // completed after the flush, so that the SYN is on its way when the caller gets the stream
    opened.whenComplete(
        (s, e) -> {
          if (e == null) {
            f.complete(s);
          } else {
            f.completeExceptionally(e);
          }
        });
  }

  /**
   * Sends a ping and measures the round trip.
   *
   * @return the round-trip time; fails with {@link ConnectionClosedException} when the session
   *     closes first, {@link java.util.concurrent.TimeoutException} after {@link
   *     YamuxConfig#pingTimeout()}, or {@link IllegalStateException} when {@link
   *     YamuxConfig#maxOutstandingPings()} are pending
   */
  public CompletableFuture<Duration> ping() {
    CompletableFuture<Duration> f = new CompletableFuture<>();
    ChannelHandlerContext c = ctx;
    if (c == null) {
      f.completeExceptionally(new IllegalStateException("yamux handler is not in a pipeline"));
      return f;
    }
    c.executor().execute(() -> pings.userPing(f));
    return f;
  }

  /**
   * Sends GoAway(normal): the remote may open no more streams (its SYNs are reset) and this side
   * opens none; open streams continue. Safe from any thread.
   */
  public void goAway() {
    ChannelHandlerContext c = ctx;
    if (c != null) {
      c.executor().execute(() -> sendGoAway(GO_AWAY_NORMAL));
    }
  }

  /**
   * Returns a future that completes when the session ends: normally when the connection closes, or
   * exceptionally with the {@link ProtocolViolationException} that ended it.
   *
   * @return the future
   */
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  /**
   * Returns the last measured round-trip time.
   *
   * @return the RTT, or {@code null} before the first pong
   */
  public Duration rtt() {
    long r = pings.rttNanos();
    return r < 0 ? null : Duration.ofNanos(r);
  }

  /**
   * Returns the number of streams the session tracks (open or closing). Event loop only;
   * approximate elsewhere.
   *
   * @return the count
   */
  public int streamCount() {
    return streams.size();
  }

  /**
   * Tells whether this is the client side (odd stream ids).
   *
   * @return {@code true} for the dialer's side
   */
  public boolean isClient() {
    return client;
  }

  // ---- used by streams and pings (event loop) ----

  YamuxConfig config() {
    return config;
  }

  long rttNanos() {
    return pings.rttNanos();
  }

  /**
   * Whether the remote sent GoAway(normal): it ends the session on purpose. Read from any thread.
   *
   * @return true once such a GoAway arrived
   */
  public boolean remoteEndedOnPurpose() {
    return remoteEndedOnPurpose;
  }

  boolean isTerminated() {
    return terminated;
  }

  /** Tells whether this side sent GoAway: it then opens no streams and refuses the remote's. */
  boolean sentGoAway() {
    return localGoAway;
  }

  Channel channel() {
    return ctx.channel();
  }

  io.netty.buffer.ByteBufAllocator alloc() {
    return ctx.alloc();
  }

  void schedule(Runnable task, Duration delay) {
    ctx.executor().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  void closeConnection() {
    ctx.close();
  }

  boolean parentWritable() {
    return ctx == null || ctx.channel().isWritable();
  }

  /**
   * Writes a Data frame with the {@code n} bytes at {@code src}'s reader index (not moved; the
   * caller keeps its reference). A large payload goes out as a retained slice behind its own header
   * buffer, so it is not copied here (the secure channel below reads or gathers it once); a small one
   * is copied behind the header, which costs less than a second buffer.
   */
  void sendData(int streamId, int flags, ByteBuf src, int n) {
    if (terminated) {
      return;
    }
    boolean slice = n >= SLICE_PAYLOAD_FROM;
    ByteBuf frame = ctx.alloc().directBuffer(HEADER_LENGTH + (slice ? 0 : n));
    writeHeader(frame, TYPE_DATA, flags, streamId, n);
    if (n > 0 && !slice) {
      frame.writeBytes(src, src.readerIndex(), n);
    }
    ctx.write(frame, ctx.voidPromise());
    if (slice) {
      ctx.write(src.retainedSlice(src.readerIndex(), n), ctx.voidPromise());
    }
    if (n == 0) {
      flush();
    }
  }

  void sendWindowUpdate(int streamId, int flags, long delta) {
    writeControl(header(ctx.alloc(), TYPE_WINDOW_UPDATE, flags, streamId, delta));
  }

  void sendReset(int streamId) {
    writeControl(header(ctx.alloc(), TYPE_WINDOW_UPDATE, FLAG_RST, streamId, 0));
  }

  void writeControl(ByteBuf frame) {
    if (terminated || ctx == null) {
      frame.release();
      return;
    }
    ctx.write(frame, ctx.voidPromise());
    flush();
  }

  void flush() {
    if (inOpen && !inRead) {
      needsFlush = true; // flushed once when the open returns (openBatched)
    } else if (inRead) {
      // Batched until channelReadComplete; the task is a fallback for a handler in front of us that
      // forwards reads without a read-complete event, so frames never wait for the next read.
      if (!needsFlush) {
        needsFlush = true;
        ctx.executor().execute(this::flushIfNeeded);
      }
    } else if (ctx != null) {
      needsFlush = false;
      ctx.flush();
    }
  }

  private void flushIfNeeded() {
    if (needsFlush && ctx != null) {
      needsFlush = false;
      ctx.flush();
    }
  }

  /** Ends the session because the remote broke the protocol. */
  void violation(String message) {
    if (terminated) {
      return;
    }
    ProtocolViolationException e = new ProtocolViolationException("yamux: " + message);
    LOG.debug("{} {}", ctx.channel(), e.getMessage());
    ctx.writeAndFlush(header(ctx.alloc(), TYPE_GO_AWAY, 0, 0, GO_AWAY_PROTOCOL_ERROR))
        .addListener(ChannelFutureListener.CLOSE);
    localGoAway = true;
    terminate(e);
  }

  /** Ends the session: fails everything pending and closes every stream. */
  void terminate(Throwable cause) {
    if (terminated) {
      return;
    }
    terminated = true;
    if (keepAliveTask != null) {
      keepAliveTask.cancel(false);
    }
    Throwable pendingCause =
        cause instanceof ProtocolViolationException
            ? cause
            : new ConnectionClosedException("yamux session closed", cause);
    pings.failAll(pendingCause);
    streams.closeAll(pendingCause);
    if (cause instanceof ProtocolViolationException) {
      closeFuture.completeExceptionally(cause);
    } else {
      closeFuture.complete(null);
    }
  }

  // ---- decoding (see YamuxFrameReader) ----

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    reader.read(in);
  }

  YamuxStreamTable streams() {
    return streams;
  }

  YamuxPings pings() {
    return pings;
  }

  void onGoAway(int streamId, long code) {
    if (streamId != 0) {
      violation(
          "GoAway frame with stream id " + Integer.toUnsignedString(streamId) + " (must be 0)");
      return;
    }
    LOG.debug("{} remote sent GoAway code {}", ctx.channel(), code);
    remoteEndedOnPurpose = code == GO_AWAY_NORMAL;
    streams.onRemoteGoAway(code);
  }

  private void sendGoAway(int code) {
    if (!localGoAway && !terminated) {
      localGoAway = true;
      writeControl(header(ctx.alloc(), TYPE_GO_AWAY, 0, 0, code));
    }
  }

  // ---- lifecycle ----

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      start();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start();
    super.channelActive(ctx);
  }

  private void start() {
    if (started || terminated) {
      return;
    }
    started = true;
    pings.measure();
    long k = config.keepAliveInterval().toNanos();
    if (k > 0) {
      keepAliveTask =
          ctx.executor().scheduleAtFixedRate(pings::keepAlive, k, k, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    inRead = true;
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    inRead = false;
    if (needsFlush) {
      needsFlush = false;
      ctx.flush();
    }
    super.channelReadComplete(ctx);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      pings.onWritable(); // before stream data takes the room again
    }
    for (YamuxStream s : streams.all()) {
      s.onParentWritabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    super.channelInactive(ctx);
    terminate(new ConnectionClosedException("connection closed"));
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    terminate(new ConnectionClosedException("yamux handler removed"));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("{} closing after error", ctx.channel(), cause);
    ctx.close();
  }

  // ---- outbound: pass through, GoAway before close ----

  @Override
  public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
    ctx.bind(localAddress, promise);
  }

  @Override
  public void connect(
      ChannelHandlerContext ctx,
      SocketAddress remote,
      SocketAddress local,
      ChannelPromise promise) {
    ctx.connect(remote, local, promise);
  }

  @Override
  public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.disconnect(promise);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (!terminated && !localGoAway && ctx.channel().isActive()) {
      localGoAway = true;
      ctx.writeAndFlush(header(ctx.alloc(), TYPE_GO_AWAY, 0, 0, GO_AWAY_NORMAL), ctx.voidPromise());
    }
    ctx.close(promise);
  }

  @Override
  public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.deregister(promise);
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    ctx.read();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ctx.write(msg, promise);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    ctx.flush();
  }
}
