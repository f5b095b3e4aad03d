package org.lotusia.libp2p.internal.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.StreamResetException;

/**
 * One Yamux stream as a Netty child {@link io.netty.channel.Channel} of the connection channel,
 * registered on the connection's event loop. Reads deliver {@link ByteBuf}s; writes accept {@link
 * ByteBuf}s, which are cut into Data frames within the send window.
 *
 * <p>Flow control: receive credit is returned to the remote only when data is delivered to this
 * channel's pipeline, which happens on {@link #read()} (or continuously with auto-read). A reader
 * that stops reading therefore stops the sender once the window is used up. The channel is
 * unwritable while the send window is zero or the connection is unwritable; at most {@link
 * YamuxConfig#maxPendingWriteBytes()} may be queued, further writes fail with {@link
 * IllegalStateException}.
 *
 * <p>Closing: {@link #shutdownOutput()} sends FIN after queued data; an inbound FIN fires {@link
 * ChannelInputShutdownEvent} then {@link ChannelInputShutdownReadComplete}. When both directions
 * are finished the channel closes by itself. {@link #close()} drops queued writes (and then resets
 * the stream, so the remote cannot take truncated data for complete), otherwise sends FIN if not
 * yet sent and waits up to {@link YamuxConfig#closeTimeout()} for the remote's FIN, after which the
 * stream is reset. {@link #reset()} sends RST at once. An inbound RST fails pending writes with
 * {@link StreamResetException} and closes the channel.
 *
 * <p>Threading: like every Netty channel; state is touched only on the event loop.
 */
public final class YamuxStream extends AbstractChannel implements DuplexChannel {

  private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

  /**
   * A stream is unwritable above this many queued bytes (or a quarter of {@link
   * YamuxConfig#maxPendingWriteBytes()} when that is less), and writable again below half of it.
   */
  static final int WRITE_HIGH_WATER_MARK = 256 * 1024;

  private static final WriteBufferWaterMark WRITE_WATER_MARK =
      new WriteBufferWaterMark(WRITE_HIGH_WATER_MARK / 2, WRITE_HIGH_WATER_MARK);

  private final YamuxHandler session;
  private final int id;
  private final boolean outbound;
  private final DefaultChannelConfig config = new DefaultChannelConfig(this);

  private boolean open = true;
  private boolean registeredOnce;
  private final StreamSender sender;
  private final StreamReceiver receiver;
  private boolean acked;
  private boolean reset;
  private boolean removed;
  private ScheduledFuture<?> lingerTask;

  YamuxStream(
      YamuxHandler session,
      io.netty.channel.Channel parent,
      int id,
      boolean outbound,
      int initialWindow) {
    super(parent);
    this.session = session;
    this.id = id;
    this.outbound = outbound;
    this.sender = new StreamSender(session, id, !outbound, () -> removed);
    this.receiver = new StreamReceiver(this, session, sender, initialWindow);
    // Writes queued for framing before the stream reports itself unwritable: several 64 KiB
    // writes, so a writer that waits for writability streams without a hand-off per write; a
    // quarter of the pending-write limit at most, so that such a writer never reaches the limit.
    int high =
        Math.min(WRITE_HIGH_WATER_MARK, Math.max(1, session.config().maxPendingWriteBytes() / 4));
    config.setWriteBufferWaterMark(
        high == WRITE_HIGH_WATER_MARK ? WRITE_WATER_MARK : new WriteBufferWaterMark(high / 2, high));
    // writability is applied once the stream is registered (see onRegistered)
  }

  /**
   * Called by the session once the stream is registered with the event loop: applies the current
   * window and parent writability, which cannot be signalled to an unregistered channel.
   */
  void onRegistered() {
    updateWritability();
  }

  /**
   * Returns the Yamux stream id (odd when opened by the client side, even by the server side).
   *
   * @return the id
   */
  public int streamId() {
    return id;
  }

  /**
   * Tells whether this side opened the stream.
   *
   * @return {@code true} for a stream opened with {@link YamuxHandler#openStream}
   */
  public boolean isOutbound() {
    return outbound;
  }

  /**
   * Returns the current receive window limit (grows with auto-tuning). Event loop only.
   *
   * @return bytes
   */
  public int receiveWindowLimit() {
    return receiver.limit();
  }

  /**
   * Returns the bytes this side may still send before the remote grants more. Event loop only.
   *
   * @return bytes
   */
  public long sendWindow() {
    return sender.window();
  }

  /**
   * Returns the bytes queued for sending (written but not yet framed). Any thread, approximate.
   *
   * @return bytes
   */
  public long pendingWriteBytes() {
    ChannelOutboundBuffer b = unsafe().outboundBuffer();
    return b == null ? 0 : b.totalPendingWriteBytes();
  }

  /**
   * Tells whether the stream was reset, by either side.
   *
   * @return {@code true} after a reset
   */
  public boolean isReset() {
    return reset;
  }

  /**
   * Resets the stream: sends RST, drops queued data in both directions and closes the channel.
   * Pending writes fail with {@link StreamResetException}. Safe from any thread.
   *
   * @return the close future of this channel
   */
  public ChannelFuture reset() {
    eventLoop()
        .execute(
            () -> {
              if (!reset && !removed) {
                session.sendReset(id);
                resetNow(new StreamResetException("yamux stream " + id + " reset locally"));
              }
            });
    return closeFuture();
  }

  // ---- inbound events from the session (event loop) ----

  long recvWindow() {
    return receiver.available();
  }

  /** True once the remote half-closed the stream; it may send no more data. */
  boolean finReceived() {
    return receiver.finReceived();
  }

  /** True once the stream left the session's table; it then sends nothing more. */
  boolean isRemoved() {
    return removed;
  }

  void onData(ByteBuf data) {
    receiver.onData(data);
  }

  boolean acked() {
    return acked;
  }

  void onAck() {
    if (outbound && !acked) {
      acked = true;
      session.streams().onAcked();
    }
  }

  void onWindowUpdate(long delta) {
    sender.grant(delta);
    updateWritability();
    if (delta > 0 && open) {
      ((StreamUnsafe) unsafe()).resume();
    }
  }

  void onFin() {
    receiver.onFin();
  }

  void onRemoteReset() {
    resetNow(new StreamResetException("yamux stream " + id + " reset by the remote"));
  }

  void onParentWritabilityChanged() {
    updateWritability();
    if (open && session.parentWritable()) {
      ((StreamUnsafe) unsafe()).resume();
    }
  }

  /** The session ends: drop everything and close with {@code cause} for pending writes. */
  void onSessionClosed(Throwable cause) {
    removed = true;
    cancelLinger();
    receiver.release();
    if (open) {
      ((StreamUnsafe) unsafe()).closeWithCause(cause);
    }
  }

  private void resetNow(StreamResetException cause) {
    reset = true;
    receiver.release();
    remove();
    if (open) {
      ((StreamUnsafe) unsafe()).closeWithCause(cause);
    }
  }

  /** Closes the stream once both directions are finished. */
  void maybeAutoClose() {
    if (receiver.finDelivered() && sender.finSent() && open) {
      close();
    }
  }

  /** Leaves the session's stream table (once). */
  void remove() {
    if (!removed) {
      removed = true;
      cancelLinger();
      session.streams().remove(this);
    }
  }

  private void cancelLinger() {
    if (lingerTask != null) {
      lingerTask.cancel(false);
      lingerTask = null;
    }
  }

  private void updateWritability() {
    ChannelOutboundBuffer b = unsafe().outboundBuffer();
    // before registration a change could not be fired; onRegistered applies it instead
    if (b != null && isRegistered()) {
      b.setUserDefinedWritability(1, sender.window() > 0 && session.parentWritable());
    }
  }

  private void sendFinIfDone(ChannelOutboundBuffer in) {
    if (sender.sendFinIfDone(in)) {
      maybeAutoClose();
    }
  }

  // ---- AbstractChannel ----

  @Override
  protected AbstractUnsafe newUnsafe() {
    return new StreamUnsafe();
  }

  @Override
  protected boolean isCompatible(EventLoop loop) {
    return true;
  }

  @Override
  protected SocketAddress localAddress0() {
    return parent().localAddress();
  }

  @Override
  protected SocketAddress remoteAddress0() {
    return parent().remoteAddress();
  }

  @Override
  protected void doRegister(ChannelPromise promise) {
    registeredOnce = true;
    promise.setSuccess();
  }

  @Override
  protected void doBind(SocketAddress localAddress) {
    throw new UnsupportedOperationException("a yamux stream cannot be bound");
  }

  @Override
  protected void doDisconnect() {
    doClose();
  }

  @Override
  protected void doClose() {
    if (!open) {
      return;
    }
    open = false;
    receiver.release();
    sender.failFinPromise();
    if (removed) {
      return;
    }
    if (sender.hasUnsentData() && !sender.finSent()) {
      // Flushed data is being dropped: a FIN would present the truncated data as complete, so
      // reset.
      session.sendReset(id);
      reset = true;
      remove();
      return;
    }
    sender.sendFinOnClose();
    if (receiver.finReceived()) {
      remove();
    } else {
      lingerTask =
          eventLoop()
              .schedule(
                  () -> {
                    lingerTask = null;
                    if (!removed) {
                      session.sendReset(id);
                      reset = true;
                      remove();
                    }
                  },
                  session.config().closeTimeout().toNanos(),
                  TimeUnit.NANOSECONDS);
    }
  }

  @Override
  protected void doBeginRead() {
    receiver.beginRead();
  }

  @Override
  protected Object filterOutboundMessage(Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      throw new UnsupportedOperationException(
          "yamux streams accept ByteBuf only, got " + msg.getClass().getName());
    }
    sender.checkWrite(buf.readableBytes(), pendingWriteBytes());
    return msg;
  }

  @Override
  protected void doWrite(ChannelOutboundBuffer in) {
    sender.write(in);
    sendFinIfDone(in);
    updateWritability();
  }

  @Override
  public ChannelConfig config() {
    return config;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isActive() {
    return open && registeredOnce;
  }

  @Override
  public ChannelMetadata metadata() {
    return METADATA;
  }

  // ---- DuplexChannel ----

  @Override
  public boolean isInputShutdown() {
    return receiver.finReceived() || receiver.inputShutdown() || !open;
  }

  @Override
  public ChannelFuture shutdownInput() {
    return shutdownInput(newPromise());
  }

  /**
   * Stops delivering inbound data; data that still arrives is dropped and credited so the remote is
   * not blocked.
   *
   * @param promise completed when done
   * @return the promise
   */
  @Override
  public ChannelFuture shutdownInput(ChannelPromise promise) {
    eventLoop()
        .execute(
            () -> {
              receiver.shutdownInput();
              promise.trySuccess();
            });
    return promise;
  }

  @Override
  public boolean isOutputShutdown() {
    return sender.finRequested() || !open;
  }

  @Override
  public ChannelFuture shutdownOutput() {
    return shutdownOutput(newPromise());
  }

  /**
   * Half-closes the stream: sends FIN once every queued write is framed; further writes fail.
   *
   * @param promise completed when the FIN was written to the connection
   * @return the promise
   */
  @Override
  public ChannelFuture shutdownOutput(ChannelPromise promise) {
    eventLoop().execute(() -> shutdownOutputNow(promise));
    return promise;
  }

  /**
   * Half-closes the stream as {@link #shutdownOutput()} does, but requests the FIN at once rather
   * than in a later task, so that it leaves in the same flush of the connection as the writes
   * flushed just before (the first data of a stream opened by {@link YamuxHandler#openStream}).
   * Must be called on this stream's event loop and not from a handler that this stream's own
   * write path invokes (a writability change); {@link #shutdownOutput()} is safe from anywhere.
   *
   * @return completed when the FIN was written to the connection
   * @throws IllegalStateException when called off the event loop
   */
  public ChannelFuture shutdownOutputOnLoop() {
    if (!eventLoop().inEventLoop()) {
      throw new IllegalStateException("shutdownOutputOnLoop must run on the stream's event loop");
    }
    ChannelPromise promise = newPromise();
    shutdownOutputNow(promise);
    return promise;
  }

  private void shutdownOutputNow(ChannelPromise promise) {
    if (!open || sender.finSent()) {
      if (sender.finSent()) {
        promise.trySuccess();
      } else {
        promise.tryFailure(new ClosedChannelException());
      }
      return;
    }
    sender.requestFin(promise);
    ((StreamUnsafe) unsafe()).resume();
  }

  @Override
  public boolean isShutdown() {
    return isInputShutdown() && isOutputShutdown();
  }

  @Override
  public ChannelFuture shutdown() {
    return shutdown(newPromise());
  }

  @Override
  public ChannelFuture shutdown(ChannelPromise promise) {
    shutdownInput();
    return shutdownOutput(promise);
  }

  @Override
  public String toString() {
    return "YamuxStream(" + id + (outbound ? ", out" : ", in") + ", " + parent() + ")";
  }

  private final class StreamUnsafe extends AbstractUnsafe {
    @Override
    public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
      promise.setFailure(new UnsupportedOperationException("a yamux stream cannot connect"));
    }

    void resume() {
      ChannelOutboundBuffer b = outboundBuffer();
      if (b != null && b.isEmpty()) {
        sendFinIfDone(b);
        return;
      }
      flush0();
    }

    void closeWithCause(Throwable cause) {
      close(voidPromise(), cause, new ClosedChannelException());
    }
  }
}
