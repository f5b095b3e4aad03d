package org.lotusia.libp2p.internal.host;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.libp2p.StreamResetException;

/**
 * The {@link Stream} over one muxer child channel: the public face over three pieces that own
 * their state, {@link StreamInbound} (the bounded inbound queue, the push reader and the read
 * modes of {@link PendingRead}), {@link StreamWrites} (writes, half-close, close and the write
 * futures) and {@link StreamBridge} (the Netty handler).
 *
 * <p>Reader callbacks, pending reads and the close future run on a per-stream {@link
 * SerialExecutor} over the callback executor; write futures on the plain callback executor, so a
 * reader may wait for a write without deadlocking. Nothing user-visible runs on the event loop.
 *
 * <p>Thread-safe.
 */
public final class StreamImpl implements Stream {

  private final Channel channel;
  private final Connection connection;
  private final Direction direction;
  private final StreamControl control;
  private final SerialExecutor events;
  private final StreamInbound inbound;
  private final StreamWrites writes;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private volatile String protocol;

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
    this.events = new SerialExecutor(callbacks);
    this.inbound = new StreamInbound(this, channel, events, maxBuffered);
    this.writes = new StreamWrites(this, channel, control, callbacks, inbound);
  }

  /** Sets the negotiated protocol (once, before the stream is handed out). */
  public void protocol(String protocol) {
    this.protocol = protocol;
  }

  /**
   * Records that the write side was half-closed below this object (the FIN of a stream opened
   * with its first data), so that later writes fail and {@link #closeWrite()} completes at once.
   */
  void writeClosedAtOpen() {
    writes.markClosed();
  }

  /** The Netty handler feeding this stream; belongs at the end of the child pipeline. */
  public ChannelInboundHandlerAdapter handler() {
    return new StreamBridge(this, inbound, writes);
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
    return inbound.takeBuffered();
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

  @Override
  public CompletableFuture<Void> write(byte[] data) {
    return writes.write(data);
  }

  @Override
  public CompletableFuture<Void> closeWrite() {
    return writes.closeWrite();
  }

  @Override
  public CompletableFuture<Void> close() {
    return writes.close();
  }

  @Override
  public void reset() {
    fail(new StreamResetException("stream " + protocol + " reset locally"));
    control.reset(channel);
  }

  @Override
  public void setReader(StreamReader newReader) {
    inbound.setReader(newReader);
  }

  @Override
  public CompletableFuture<byte[]> read(int length) {
    int max = inbound.maxBuffered();
    if (length < 0 || length > max) {
      throw new IllegalArgumentException(
          "read length must be in [0, " + max + "], got " + length);
    }
    return inbound.startRead(PendingRead.exactly(inbound, length));
  }

  @Override
  public CompletableFuture<byte[]> readSome(int maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
    }
    return inbound.startRead(PendingRead.some(inbound, maxBytes));
  }

  @Override
  public CompletableFuture<byte[]> readAll(int maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
    }
    return inbound.startRead(PendingRead.all(inbound, maxBytes));
  }

  @Override
  public java.io.InputStream inputStream() {
    return new StreamInputStream(this);
  }

  /** Ends the inbound side with {@code cause} unless it already ended or failed; no more writes. */
  void fail(Throwable cause) {
    if (inbound.fail(cause)) {
      writes.markClosed();
    }
  }

  /**
   * The channel closed: completes {@link #closeFuture()} with {@code cause} (null for a clean end)
   * off the event loop, as {@link Stream#closeFuture()} promises, after the reader's last callback
   * (queued before on the same serial executor).
   */
  void closed(Throwable cause) {
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
