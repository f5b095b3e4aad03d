package org.lotusia.libp2p.internal.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

/**
 * The dialer's counterpart of {@link HttpUpgradeGuard}: lets only a response the HTTP decoder read
 * in full through to Netty's handshaker. Netty's handshaker checks the status and the upgrade
 * headers of whatever response it is handed, including one the decoder marked as failed (headers cut
 * off by the listener closing the connection, an oversized or malformed header); such a response
 * must not complete the upgrade (RFC 6455 section 4.1: the client validates a complete handshake
 * response). A failed response is released and the upgrade fails with an {@link IOException} fired
 * down the pipeline, which closes the connection. Removes itself after the first good response.
 *
 * <p>One instance per channel; runs on its event loop.
 */
final class HttpResponseGuard extends ChannelInboundHandlerAdapter {

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpObject http && http.decoderResult().isFailure()) {
      String why = String.valueOf(http.decoderResult().cause().getMessage());
      ReferenceCountUtil.release(msg);
      ctx.fireExceptionCaught(
          new IOException("malformed or incomplete WebSocket upgrade response: " + why));
      return;
    }
    ctx.pipeline().remove(this);
    ctx.fireChannelRead(msg);
  }
}
