package org.lotusia.libp2p.internal.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import java.nio.channels.ClosedChannelException;
import java.util.function.BooleanSupplier;

/**
 * Send side of one {@link YamuxStream}: the send window granted by the remote, the deferred ACK
 * flag, the bound on queued writes, cutting queued writes into Data frames, and the FIN of a
 * half-close.
 *
 * <p>Queued {@link ByteBuf}s stay owned by the stream's {@link ChannelOutboundBuffer}: this class
 * only frames their readable bytes through the session and removes what was framed from the buffer,
 * which releases them. Not thread-safe; the owning stream uses it on its event loop.
 */
final class StreamSender {

  private final YamuxHandler session;
  private final int id;
  private final BooleanSupplier removed;
  private long window = YamuxFrames.DEFAULT_WINDOW;
  private boolean ackPending;
  private boolean finRequested;
  private boolean finSent;
  private boolean unsentData;
  private ChannelPromise finPromise;

  /**
   * Creates the send side of a stream.
   *
   * @param session the connection's Yamux session, which writes the frames
   * @param id the stream id
   * @param ackPending whether the first frame sent must carry ACK (an inbound stream)
   * @param removed tells whether the stream was removed from the session (then nothing is sent)
   */
  StreamSender(YamuxHandler session, int id, boolean ackPending, BooleanSupplier removed) {
    this.session = session;
    this.id = id;
    this.ackPending = ackPending;
    this.removed = removed;
  }

  /** Returns the bytes this side may still send before the remote grants more. */
  long window() {
    return window;
  }

  /** Adds {@code delta} bytes of credit granted by a WindowUpdate from the remote. */
  void grant(long delta) {
    window += delta;
  }

  /** Tells whether a half-close was requested (further writes are refused). */
  boolean finRequested() {
    return finRequested;
  }

  /** Tells whether FIN was sent. */
  boolean finSent() {
    return finSent;
  }

  /** Tells whether the last write round left flushed data unframed. */
  boolean hasUnsentData() {
    return unsentData;
  }

  /**
   * Returns {@link YamuxFrames#FLAG_ACK} for the first frame this side sends on an inbound stream,
   * 0 after. The spec asks not to acknowledge a stream before the application sends on it (yamux
   * README, "ACK backlog"). A larger initial window is announced in a WindowUpdate that carries the
   * ACK.
   */
  int ackFlag() {
    if (!ackPending) {
      return 0;
    }
    ackPending = false;
    int extra = session.config().initialWindow() - YamuxFrames.DEFAULT_WINDOW;
    if (extra > 0) {
      session.sendWindowUpdate(id, YamuxFrames.FLAG_ACK, extra);
      return 0;
    }
    return YamuxFrames.FLAG_ACK;
  }

  /**
   * Checks that a write of {@code readable} bytes may be queued.
   *
   * @param readable the bytes of the write
   * @param pending the bytes already queued
   * @throws IllegalStateException if the output is shut down or the pending-write limit would be
   *     exceeded
   */
  void checkWrite(int readable, long pending) {
    if (finRequested) {
      throw new IllegalStateException("yamux stream " + id + ": output is shut down");
    }
    if (pending + readable > session.config().maxPendingWriteBytes()) {
      throw new IllegalStateException(
          "yamux stream "
              + id
              + ": write of "
              + readable
              + " bytes would exceed the pending-write limit of "
              + session.config().maxPendingWriteBytes()
              + " bytes ("
              + pending
              + " queued); wait for channelWritabilityChanged");
    }
  }

  /**
   * Cuts queued writes into Data frames while the send window and the connection allow, and flushes
   * the connection after each round that moved data.
   *
   * @param in the stream's outbound buffer
   */
  void write(ChannelOutboundBuffer in) {
    // Flushing the connection may make it writable again synchronously (its writability event then
    // reaches us while this flush is still running and cannot re-enter), so loop until nothing
    // moves.
    boolean progress = true;
    while (progress) {
      progress = false;
      while (true) {
        Object msg = in.current();
        if (msg == null) {
          break;
        }
        ByteBuf buf = (ByteBuf) msg;
        int readable = buf.readableBytes();
        if (readable == 0) {
          in.remove();
          continue;
        }
        if (window <= 0 || !session.parentWritable() || removed.getAsBoolean()) {
          break;
        }
        int n = (int) Math.min(Math.min(readable, window), session.config().maxSendFrameSize());
        session.sendData(id, ackFlag(), buf, n);
        window -= n;
        in.removeBytes(n);
        progress = true;
      }
      if (progress) {
        session.flush();
      }
    }
    unsentData = in.current() != null;
  }

  /**
   * Requests a half-close: FIN follows once every queued write is framed.
   *
   * @param promise completed when the FIN was written to the connection
   */
  void requestFin(ChannelPromise promise) {
    finRequested = true;
    finPromise = promise;
  }

  /**
   * Sends the requested FIN if every queued write is framed and completes its promise.
   *
   * @param in the stream's outbound buffer
   * @return {@code true} if FIN was sent by this call
   */
  boolean sendFinIfDone(ChannelOutboundBuffer in) {
    if (finRequested && !finSent && in.isEmpty() && !removed.getAsBoolean()) {
      finSent = true;
      session.sendData(id, ackFlag() | YamuxFrames.FLAG_FIN, null, 0);
      if (finPromise != null) {
        finPromise.trySuccess();
        finPromise = null;
      }
      return true;
    }
    return false;
  }

  /** Fails a pending half-close promise with {@link ClosedChannelException} (the stream closes). */
  void failFinPromise() {
    if (finPromise != null) {
      finPromise.tryFailure(new ClosedChannelException());
      finPromise = null;
    }
  }

  /** Sends FIN on close unless it was sent already. */
  void sendFinOnClose() {
    if (!finSent) {
      finSent = true;
      session.sendData(id, ackFlag() | YamuxFrames.FLAG_FIN, null, 0);
    }
  }
}
