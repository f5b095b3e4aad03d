package org.lotusia.libp2p.internal.host;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a channel's inbound data while the host waits for an asynchronous decision (the connection
 * gater), so that no byte that arrives meanwhile is lost: it switches auto-read off, keeps what was
 * already read or decoded (at most {@code maxHeld} bytes; a remote that sends more before the
 * decision is answered with a close), and when removed from the pipeline passes the held messages
 * on, in order, to the handlers added after it and switches auto-read back on.
 *
 * <p>Owned by one channel; every method runs on its event loop. Held buffers are released when the
 * channel closes first.
 */
final class ReadHold extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ReadHold.class);

  /**
   * Bytes held per connection while the gater decides. A well-behaved remote sends a few hundred (a
   * multistream-select proposal, perhaps a first handshake or muxer frame) before an answer.
   */
  static final int MAX_HELD = 64 * 1024;

  private final int maxHeld;
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private int heldBytes;
  private boolean overflowed;

  /**
   * @param maxHeld bytes kept before the decision; more closes the channel
   */
  ReadHold(int maxHeld) {
    this.maxHeld = maxHeld;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.channel().config().setAutoRead(false);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (overflowed) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof io.netty.buffer.ByteBuf buf) {
      heldBytes += buf.readableBytes();
    }
    held.add(msg);
    if (heldBytes > maxHeld) {
      overflowed = true;
      releaseAll();
      LOG.debug(
          "{} sent more than {} bytes before it was admitted; closing",
          ctx.channel().remoteAddress(),
          maxHeld);
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseAll();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    // Removed because the decision allowed the connection: replay to the handlers after us.
    if (ctx.channel().isActive()) {
      while (!held.isEmpty()) {
        ctx.fireChannelRead(held.poll());
      }
      heldBytes = 0;
      ctx.fireChannelReadComplete();
      ctx.channel().config().setAutoRead(true);
    } else {
      releaseAll();
    }
  }

  private void releaseAll() {
    while (!held.isEmpty()) {
      ReferenceCountUtil.release(held.poll());
    }
    heldBytes = 0;
  }
}
