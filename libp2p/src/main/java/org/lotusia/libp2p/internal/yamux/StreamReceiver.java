package org.lotusia.libp2p.internal.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import java.util.ArrayDeque;

/**
 * Receive side of one {@link YamuxStream}: the Data payloads and the FIN that wait for the stream's
 * reader, their delivery to the stream's pipeline when it reads, the receive credit returned to the
 * remote for what was delivered (see {@link ReceiveWindow}), and a local input shutdown, after which
 * arriving data is credited and dropped.
 *
 * <p>A queued {@link ByteBuf} is owned here until it is delivered (the pipeline then owns it) or
 * released by {@link #release()}. Not thread-safe; the owning stream uses it on its event loop.
 */
final class StreamReceiver {

  private static final Object FIN_MARKER = new Object();
  private static final int COPY_BELOW = 8192;

  private final YamuxStream stream;
  private final YamuxHandler session;
  private final StreamSender sender;
  private final ReceiveWindow window;
  private final ArrayDeque<Object> inbound = new ArrayDeque<>();
  private boolean readPending;
  private boolean finReceived;
  private boolean finDelivered;
  private boolean inputShutdownLocal;

  /**
   * Creates the receive side of a stream.
   *
   * @param stream the stream whose pipeline gets the data
   * @param session the connection's Yamux session, which sends the WindowUpdates
   * @param sender the stream's send side, whose first frame may carry the ACK
   * @param initialWindow what the remote may send at first
   */
  StreamReceiver(
      YamuxStream stream, YamuxHandler session, StreamSender sender, int initialWindow) {
    this.stream = stream;
    this.session = session;
    this.sender = sender;
    YamuxConfig c = session.config();
    this.window =
        new ReceiveWindow(initialWindow, c.maxWindow(), c.autoTune(), c.nanoTicker().getAsLong());
  }

  /** Returns the bytes the remote may still send. */
  long available() {
    return window.available();
  }

  /** Returns the current receive window limit. */
  int limit() {
    return window.limit();
  }

  /** True once the remote half-closed the stream; it may send no more data. */
  boolean finReceived() {
    return finReceived;
  }

  /** True once the reader was told of the remote's FIN. */
  boolean finDelivered() {
    return finDelivered;
  }

  /** True after a local {@link YamuxStream#shutdownInput()}. */
  boolean inputShutdown() {
    return inputShutdownLocal;
  }

  /** Takes a Data payload (ownership included); queues it for the reader or drops it. */
  void onData(ByteBuf data) {
    window.onReceived(data.readableBytes());
    if (!stream.isOpen() || inputShutdownLocal) {
      if (stream.isOpen()) {
        consume(data.readableBytes());
      }
      data.release();
      return;
    }
    if (!readPending && data.readableBytes() < COPY_BELOW) {
      // A small slice kept in the queue would pin the whole connection read buffer it came from; a
      // remote sending tiny frames to a slow reader could multiply our memory that way. Copy it
      // out.
      ByteBuf copy = data.alloc().buffer(data.readableBytes());
      try {
        copy.writeBytes(data);
      } finally {
        data.release();
      }
      data = copy;
    }
    inbound.add(data);
    if (readPending) {
      drain();
    }
  }

  /** The remote's FIN: delivered after the queued data; a closed stream is removed at once. */
  void onFin() {
    if (finReceived) {
      return;
    }
    finReceived = true;
    if (!stream.isOpen()) {
      stream.remove();
      return;
    }
    inbound.add(FIN_MARKER);
    if (readPending) {
      drain();
    }
  }

  /** The stream's reader asks for data: delivers what is queued, or the next that arrives. */
  void beginRead() {
    if (!inbound.isEmpty()) {
      drain();
    } else {
      readPending = true;
    }
  }

  private void drain() {
    readPending = false;
    boolean delivered = false;
    Object item;
    while ((item = inbound.poll()) != null) {
      delivered = true;
      if (item == FIN_MARKER) {
        finDelivered = true;
        stream.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        stream.pipeline().fireChannelReadComplete();
        stream.pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        stream.maybeAutoClose();
        return;
      }
      ByteBuf buf = (ByteBuf) item;
      consume(buf.readableBytes());
      stream.pipeline().fireChannelRead(buf);
      if (!stream.isOpen()) {
        return;
      }
    }
    if (delivered) {
      stream.pipeline().fireChannelReadComplete();
    } else {
      readPending = true;
    }
  }

  /** Stops delivering: queued and later data is credited to the remote and dropped. */
  void shutdownInput() {
    inputShutdownLocal = true;
    Object item;
    while ((item = inbound.poll()) != null) {
      if (item instanceof ByteBuf b) {
        consume(b.readableBytes());
        b.release();
      }
    }
  }

  /** Returns receive credit for consumed bytes (see {@link ReceiveWindow}). */
  private void consume(int n) {
    if (stream.isRemoved() || session.isTerminated()) {
      return;
    }
    long delta =
        window.onConsumed(n, session.config().nanoTicker().getAsLong(), session.rttNanos());
    if (delta > 0) {
      session.sendWindowUpdate(stream.streamId(), sender.ackFlag(), delta);
    }
  }

  /** Releases everything queued, without credit: the stream is closed or reset. */
  void release() {
    Object item;
    while ((item = inbound.poll()) != null) {
      if (item instanceof ByteBuf b) {
        b.release();
      }
    }
  }
}
