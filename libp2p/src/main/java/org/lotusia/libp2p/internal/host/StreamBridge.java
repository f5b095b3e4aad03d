package org.lotusia.libp2p.internal.host;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.StreamResetException;

/**
 * The Netty end of a {@link StreamImpl}, last in the stream's child pipeline: copies and releases
 * every buffer it receives (no {@link ByteBuf} leaves it), and turns the channel's half-close,
 * writability, errors and close into stream events.
 *
 * <p>Runs on the child channel's event loop only; everything user-visible is handed to the
 * stream's executors.
 */
final class StreamBridge extends ChannelInboundHandlerAdapter {

  private final StreamImpl stream;
  private final StreamInbound inbound;
  private final StreamWrites writes;

  StreamBridge(StreamImpl stream, StreamInbound inbound, StreamWrites writes) {
    this.stream = stream;
    this.inbound = inbound;
    this.writes = writes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof ByteBuf buf && buf.isReadable()) {
        inbound.onInbound(ByteBufUtil.getBytes(buf));
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent
        || evt instanceof ChannelInputShutdownReadComplete) {
      inbound.onInputEnd();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      writes.releaseWaiters();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    stream.fail(
        cause instanceof StreamResetException || cause instanceof ConnectionClosedException
            ? cause
            : new StreamResetException("stream " + stream.protocol() + " failed: " + cause));
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    boolean clean = inbound.endedCleanly();
    boolean local = writes.closedLocally() && inbound.error() == null;
    if (local && !clean) {
      // Closed by our own close(): pending reads fail, but the stream ended as asked.
      stream.fail(new StreamResetException("stream " + stream.protocol() + " was closed locally"));
    } else if (!clean) {
      stream.fail(writes.closedCause());
    }
    writes.releaseWaiters();
    stream.closed(local ? null : inbound.error());
  }
}
