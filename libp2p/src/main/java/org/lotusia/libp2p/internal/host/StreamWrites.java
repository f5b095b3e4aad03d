package org.lotusia.libp2p.internal.host;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.Libp2pException;
import org.lotusia.libp2p.StreamResetException;

/**
 * The write side of a {@link StreamImpl}: writes, half-close and close, and the futures of writes
 * that wait for the stream to become writable again (Yamux's send window).
 *
 * <p>A write copies the bytes into a Netty buffer and hands it to the child channel; its future
 * completes once the muxer took the bytes and the channel is writable, so a writer that waits for
 * each future is paced by flow control. A write that leaves the channel writable (bytes still
 * queued for the loop count towards the outbound buffer) is complete when returned, so a writer
 * streaming large data does not wait for two thread hand-offs per write. Other futures complete on the plain callback executor (not the stream's serial one), so
 * a reader may wait for a write without deadlocking.
 *
 * <p>Thread-safe: the waiters and the closed flags are guarded by {@code lock}.
 */
final class StreamWrites {

  private final StreamImpl stream;
  private final Channel channel;
  private final StreamControl control;
  private final Executor callbacks;
  private final StreamInbound inbound;

  private final Object lock = new Object();
  private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
  private boolean writeClosed;
  private boolean closedLocally;

  StreamWrites(
      StreamImpl stream,
      Channel channel,
      StreamControl control,
      Executor callbacks,
      StreamInbound inbound) {
    this.stream = stream;
    this.channel = channel;
    this.control = control;
    this.callbacks = callbacks;
    this.inbound = inbound;
  }

  CompletableFuture<Void> write(byte[] data) {
    Objects.requireNonNull(data, "data");
    // a reset also closes the write side; report the reset, not a misuse
    Throwable error = inbound.error();
    if (error != null) {
      return CompletableFuture.failedFuture(error);
    }
    synchronized (lock) {
      if (writeClosed) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("stream " + stream.protocol() + ": write after closeWrite"));
      }
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    if (data.length == 0) {
      result.complete(null);
      return result;
    }
    ByteBuf buf = channel.alloc().buffer(data.length).writeBytes(data);
    ChannelFuture queued = channel.writeAndFlush(buf, promise());
    if (channel.isWritable() && (!queued.isDone() || queued.isSuccess())) {
      // The muxer took the bytes already, or they wait in the event loop's task queue, where Netty
      // counts them towards the stream's outbound buffer, and that buffer still has room. The
      // caller may go on at once instead of waiting for a round trip through the event loop and
      // the callback executor per write; the buffer's high-water mark still paces a writer that
      // waits for each future. Should queued bytes fail later (the stream died meanwhile, or a
      // concurrent closeWrite), the stream is reset so that the remote never takes what arrived
      // for complete.
      if (!queued.isDone()) {
        queued.addListener(
            f -> {
              if (!f.isSuccess()) {
                stream.reset();
              }
            });
      }
      result.complete(null);
      return result;
    }
    queued.addListener(
            f -> {
              if (!f.isSuccess()) {
                completeLater(result, writeFailure(f.cause()));
              } else if (channel.isWritable()) {
                completeLater(result, null);
              } else {
                synchronized (lock) {
                  waiters.add(result);
                }
                if (channel.isWritable() || !channel.isActive()) {
                  releaseWaiters();
                }
              }
            });
    return result;
  }

  CompletableFuture<Void> closeWrite() {
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

  CompletableFuture<Void> close() {
    synchronized (lock) {
      writeClosed = true;
      closedLocally = true;
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    channel.close(promise()).addListener(f -> completeLater(result, null));
    return result;
  }

  /**
   * A promise for an operation on the channel. The listeners of a promise of the channel's own
   * event loop are lost (and Netty logs an error) when that loop has terminated, as it has when the
   * host closed first; this one notifies on the thread that completes it, which is the event loop
   * while it runs and the caller once it has terminated, so the stream's future completes either
   * way.
   */
  private ChannelPromise promise() {
    return new DefaultChannelPromise(channel, ImmediateEventExecutor.INSTANCE);
  }

  /** The stream failed: no more writes. */
  void markClosed() {
    synchronized (lock) {
      writeClosed = true;
    }
  }

  /** Whether {@link #close()} was called. */
  boolean closedLocally() {
    synchronized (lock) {
      return closedLocally;
    }
  }

  /**
   * Completes the writes waiting for writability: successfully while the channel is open, with
   * the stream's failure once it closed.
   */
  void releaseWaiters() {
    List<CompletableFuture<Void>> ready;
    synchronized (lock) {
      ready = new ArrayList<>(waiters);
      waiters.clear();
    }
    Throwable failure = null;
    if (!channel.isActive()) {
      Throwable error = inbound.error();
      failure = error != null ? error : closedCause();
    }
    for (CompletableFuture<Void> f : ready) {
      completeLater(f, failure);
    }
  }

  /** Why the channel closed without a clean end: reset, or the connection went away. */
  Throwable closedCause() {
    if (control.isReset(channel) || stream.connection().isOpen()) {
      return new StreamResetException("stream " + stream.protocol() + " was reset");
    }
    return new ConnectionClosedException(
        "connection to " + stream.connection().remotePeer() + " closed");
  }

  private Throwable writeFailure(Throwable cause) {
    Throwable error = inbound.error();
    if (error != null) {
      return error;
    }
    if (cause instanceof Libp2pException) {
      return cause;
    }
    return closedCause();
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
}
