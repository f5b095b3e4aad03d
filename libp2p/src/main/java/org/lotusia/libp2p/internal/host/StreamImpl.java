package org.lotusia.libp2p.internal.host;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;
import java.io.EOFException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Libp2pException;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.libp2p.StreamResetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Stream} over one muxer child channel.
 *
 * <p>Inbound bytes are copied out of Netty buffers on the event loop into a queue bounded by {@code
 * maxBuffered} bytes; when the queue is full, auto-read is switched off so the muxer stops granting
 * receive window, and switched on again once the reader drained half of it. Delivery to the reader
 * or pending read runs on a per-stream {@link SerialExecutor}; future completions of writes run on
 * the plain callback executor, so a reader may wait for a write without deadlocking.
 */
public final class StreamImpl implements Stream {

  private static final Logger LOG = LoggerFactory.getLogger(StreamImpl.class);

  private final Channel channel;
  private final Connection connection;
  private final Direction direction;
  private final StreamControl control;
  private final Executor callbacks;
  private final SerialExecutor events;
  private final int maxBuffered;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private volatile String protocol;

  private final Object lock = new Object();
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private final ArrayDeque<CompletableFuture<Void>> writeWaiters = new ArrayDeque<>();
  private int buffered;
  private boolean paused;
  private boolean inputEnded;
  private Throwable error;
  private boolean terminalDelivered;
  private boolean drainScheduled;
  private boolean writeClosed;
  private boolean closedLocally;
  private StreamReader reader;
  private PendingRead pending;

  /**
   * Creates the stream; call {@link #handler()} and add it to the child pipeline.
   *
   * @param maxBuffered inbound bytes buffered before reading pauses
   */
  public StreamImpl(
      Channel channel,
      Connection connection,
      Direction direction,
      StreamControl control,
      Executor callbacks,
      int maxBuffered) {
    this.channel = channel;
    this.connection = connection;
    this.direction = direction;
    this.control = control;
    this.callbacks = callbacks;
    this.events = new SerialExecutor(callbacks);
    this.maxBuffered = maxBuffered;
  }

  /** Sets the negotiated protocol (once, before the stream is handed out). */
  public void protocol(String protocol) {
    this.protocol = protocol;
  }

  /** The Netty handler feeding this stream; belongs at the end of the child pipeline. */
  public ChannelInboundHandlerAdapter handler() {
    return new Bridge();
  }

  /** The child channel; internal use only. */
  public Channel channel() {
    return channel;
  }

  /**
   * Ends delivery to readers and returns the bytes received but not yet read, for a new owner of
   * the channel (a relayed connection takes its carrier stream over). Call on the event loop after
   * removing {@link #handler()}, so that nothing arrives in between.
   */
  public List<byte[]> takeBuffered() {
    synchronized (lock) {
      terminalDelivered = true;
      List<byte[]> out = new ArrayList<>(chunks);
      chunks.clear();
      buffered = 0;
      paused = false;
      return out;
    }
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public Connection connection() {
    return connection;
  }

  @Override
  public Direction direction() {
    return direction;
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  // --- writing

  @Override
  public CompletableFuture<Void> write(byte[] data) {
    Objects.requireNonNull(data, "data");
    synchronized (lock) {
      // a reset also closes the write side; report the reset, not a misuse
      if (error != null) {
        return CompletableFuture.failedFuture(error);
      }
      if (writeClosed) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("stream " + protocol + ": write after closeWrite"));
      }
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    if (data.length == 0) {
      result.complete(null);
      return result;
    }
    ByteBuf buf = channel.alloc().buffer(data.length).writeBytes(data);
    channel
        .writeAndFlush(buf)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                completeLater(result, writeFailure(f.cause()));
              } else if (channel.isWritable()) {
                completeLater(result, null);
              } else {
                synchronized (lock) {
                  writeWaiters.add(result);
                }
                if (channel.isWritable() || !channel.isActive()) {
                  releaseWaiters();
                }
              }
            });
    return result;
  }

  private Throwable writeFailure(Throwable cause) {
    synchronized (lock) {
      if (error != null) {
        return error;
      }
    }
    if (cause instanceof Libp2pException) {
      return cause;
    }
    return closedCause();
  }

  /** Why the channel closed without a clean end: reset, or the connection went away. */
  private Throwable closedCause() {
    if (control.isReset(channel) || connection.isOpen()) {
      return new StreamResetException("stream " + protocol + " was reset");
    }
    return new ConnectionClosedException("connection to " + connection.remotePeer() + " closed");
  }

  private void releaseWaiters() {
    List<CompletableFuture<Void>> ready;
    Throwable failure = null;
    synchronized (lock) {
      ready = new ArrayList<>(writeWaiters);
      writeWaiters.clear();
      if (!channel.isActive()) {
        failure = error != null ? error : closedCause();
      }
    }
    for (CompletableFuture<Void> f : ready) {
      completeLater(f, failure);
    }
  }

  private void completeLater(CompletableFuture<Void> f, Throwable failure) {
    try {
      callbacks.execute(
          () -> {
            if (failure == null) {
              f.complete(null);
            } else {
              f.completeExceptionally(failure);
            }
          });
    } catch (RuntimeException e) {
      f.completeExceptionally(e);
    }
  }

  @Override
  public CompletableFuture<Void> closeWrite() {
    synchronized (lock) {
      if (writeClosed) {
        return CompletableFuture.completedFuture(null);
      }
      writeClosed = true;
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    control
        .closeWrite(channel)
        .addListener(f -> completeLater(result, f.isSuccess() ? null : writeFailure(f.cause())));
    return result;
  }

  @Override
  public CompletableFuture<Void> close() {
    synchronized (lock) {
      writeClosed = true;
      closedLocally = true;
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    channel.close().addListener(f -> completeLater(result, null));
    return result;
  }

  @Override
  public void reset() {
    fail(new StreamResetException("stream " + protocol + " reset locally"));
    control.reset(channel);
  }

  // --- reading

  @Override
  public void setReader(StreamReader newReader) {
    Objects.requireNonNull(newReader, "reader");
    synchronized (lock) {
      if (reader != null || pending != null) {
        throw new IllegalStateException("stream already has a reader or a pending read");
      }
      reader = newReader;
    }
    scheduleDrain();
  }

  @Override
  public CompletableFuture<byte[]> read(int length) {
    if (length < 0 || length > maxBuffered) {
      throw new IllegalArgumentException(
          "read length must be in [0, " + maxBuffered + "], got " + length);
    }
    return startRead(new PendingRead(length, -1, 0));
  }

  @Override
  public CompletableFuture<byte[]> readSome(int maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
    }
    return startRead(new PendingRead(-1, -1, maxBytes));
  }

  @Override
  public java.io.InputStream inputStream() {
    return new StreamInputStream(this);
  }

  @Override
  public CompletableFuture<byte[]> readAll(int maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
    }
    return startRead(new PendingRead(-1, maxBytes, 0));
  }

  private CompletableFuture<byte[]> startRead(PendingRead read) {
    synchronized (lock) {
      if (reader != null || pending != null) {
        throw new IllegalStateException("stream already has a reader or a pending read");
      }
      pending = read;
    }
    scheduleDrain();
    return read.future;
  }

  private void onInbound(byte[] bytes) {
    synchronized (lock) {
      if (inputEnded || error != null) {
        return;
      }
      chunks.add(bytes);
      buffered += bytes.length;
      if (buffered >= maxBuffered && !paused) {
        paused = true;
        channel.config().setAutoRead(false);
      }
    }
    scheduleDrain();
  }

  private void onInputEnd() {
    synchronized (lock) {
      if (inputEnded || error != null) {
        return;
      }
      inputEnded = true;
    }
    scheduleDrain();
  }

  /** Ends the inbound side with {@code cause} unless it already ended cleanly or failed. */
  void fail(Throwable cause) {
    synchronized (lock) {
      if (error != null) {
        return;
      }
      error = cause;
      writeClosed = true;
    }
    scheduleDrain();
  }

  private void scheduleDrain() {
    synchronized (lock) {
      if (drainScheduled) {
        return;
      }
      drainScheduled = true;
    }
    events.execute(this::drain);
  }

  private void drain() {
    for (int i = 0; i < 64; i++) {
      Runnable action;
      synchronized (lock) {
        action = nextAction();
        if (action == null) {
          drainScheduled = false;
          return;
        }
      }
      action.run();
    }
    // More to do: continue in a new task so other streams sharing the threads get a turn.
    events.execute(this::drain);
  }

  /** The next delivery step, or null when there is nothing to do. Called holding {@code lock}. */
  private Runnable nextAction() {
    if (terminalDelivered) {
      chunks.clear();
      buffered = 0;
      return null;
    }
    if (reader != null) {
      StreamReader r = reader;
      byte[] chunk = chunks.poll();
      if (chunk != null) {
        consumed(chunk.length);
        return () -> callReader(() -> r.onData(this, chunk));
      }
      if (inputEnded) {
        terminalDelivered = true;
        return () -> callReader(() -> r.onEnd(this));
      }
      if (error != null) {
        terminalDelivered = true;
        Throwable cause = error;
        return () -> callReader(() -> r.onError(this, cause));
      }
      return null;
    }
    PendingRead read = pending;
    if (read == null) {
      return null;
    }
    return read.step();
  }

  private void consumed(int n) {
    buffered -= n;
    if (paused && buffered <= maxBuffered / 2) {
      paused = false;
      channel.config().setAutoRead(true);
    }
  }

  private void callReader(Runnable call) {
    try {
      call.run();
    } catch (Throwable t) {
      LOG.warn("stream reader for {} threw; resetting the stream", protocol, t);
      synchronized (lock) {
        terminalDelivered = true;
      }
      reset();
    }
  }

  /**
   * A pending {@link #read(int)} (exact >= 0), {@link #readAll(int)} (limit >= 0) or {@link
   * #readSome(int)} (upTo > 0).
   */
  private final class PendingRead {
    final int exact;
    final int limit;
    final int upTo;
    final CompletableFuture<byte[]> future = new CompletableFuture<>();
    final ArrayList<byte[]> parts = new ArrayList<>();
    int have;

    PendingRead(int exact, int limit, int upTo) {
      this.exact = exact;
      this.limit = limit;
      this.upTo = upTo;
    }

    /** Called holding {@code lock}. */
    Runnable step() {
      if (upTo > 0) {
        while (have < upTo && !chunks.isEmpty()) {
          byte[] c = chunks.poll();
          int take = Math.min(c.length, upTo - have);
          if (take < c.length) {
            byte[] rest = new byte[c.length - take];
            System.arraycopy(c, take, rest, 0, rest.length);
            chunks.addFirst(rest);
            c = java.util.Arrays.copyOf(c, take);
          }
          parts.add(c);
          have += c.length;
          consumed(c.length);
        }
        if (have > 0 || inputEnded) {
          return finish(null);
        }
      } else if (exact >= 0) {
        while (have < exact && !chunks.isEmpty()) {
          byte[] c = chunks.poll();
          int take = Math.min(c.length, exact - have);
          if (take < c.length) {
            byte[] rest = new byte[c.length - take];
            System.arraycopy(c, take, rest, 0, rest.length);
            chunks.addFirst(rest);
            byte[] head = new byte[take];
            System.arraycopy(c, 0, head, 0, take);
            c = head;
          }
          parts.add(c);
          have += c.length;
          consumed(c.length);
        }
        if (have == exact) {
          return finish(null);
        }
      } else {
        while (!chunks.isEmpty()) {
          byte[] c = chunks.poll();
          consumed(c.length);
          have += c.length;
          if (have > limit) {
            ProtocolViolationException tooBig =
                new ProtocolViolationException(
                    "stream " + protocol + ": more than " + limit + " bytes");
            Runnable done = finish(tooBig);
            return () -> {
              done.run();
              reset();
            };
          }
          parts.add(c);
        }
        if (inputEnded) {
          return finish(null);
        }
      }
      if (inputEnded) {
        return finish(
            new EOFException(
                "stream " + protocol + " ended after " + have + " of " + exact + " bytes"));
      }
      if (error != null) {
        return finish(error);
      }
      return null;
    }

    private Runnable finish(Throwable failure) {
      pending = null;
      if (failure != null) {
        return () -> future.completeExceptionally(failure);
      }
      byte[] out = new byte[have];
      int at = 0;
      for (byte[] p : parts) {
        System.arraycopy(p, 0, out, at, p.length);
        at += p.length;
      }
      return () -> future.complete(out);
    }
  }

  /** The Netty end of the stream: copies and releases every buffer it receives. */
  private final class Bridge extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
          onInbound(ByteBufUtil.getBytes(buf));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent
          || evt instanceof ChannelInputShutdownReadComplete) {
        onInputEnd();
      }
      ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        releaseWaiters();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(
          cause instanceof StreamResetException || cause instanceof ConnectionClosedException
              ? cause
              : new StreamResetException("stream " + protocol + " failed: " + cause));
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      boolean clean;
      boolean local;
      synchronized (lock) {
        clean = inputEnded && error == null;
        local = closedLocally && error == null;
      }
      if (local && !clean) {
        // Closed by our own close(): pending reads fail, but the stream ended as asked.
        fail(new StreamResetException("stream " + protocol + " was closed locally"));
      } else if (!clean) {
        fail(closedCause());
      }
      releaseWaiters();
      Throwable cause;
      synchronized (lock) {
        cause = local ? null : error;
      }
      // Off the event loop, as Stream#closeFuture promises, and after the reader's last callback
      // (queued before on the same serial executor).
      events.execute(
          () -> {
            if (cause == null) {
              closeFuture.complete(null);
            } else {
              closeFuture.completeExceptionally(cause);
            }
          });
    }
  }
}
