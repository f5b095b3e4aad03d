package org.lotusia.libp2p.internal.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets exactly one well-formed WebSocket upgrade request through to Netty's handshake handler and
 * answers anything else with an HTTP error and a close: a request the HTTP decoder could not parse
 * (garbage, or a request line or headers above the size limit), a method other than GET, or a
 * request without {@code Upgrade: websocket}. Removes itself after the first good request.
 *
 * <p>One instance per channel; runs on its event loop.
 */
final class HttpUpgradeGuard extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(HttpUpgradeGuard.class);

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    String problem = problem(msg);
    if (problem == null) {
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(msg);
      return;
    }
    ReferenceCountUtil.release(msg);
    LOG.debug("refusing WebSocket upgrade from {}: {}", ctx.channel().remoteAddress(), problem);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.BAD_REQUEST,
            Unpooled.copiedBuffer(problem + "\n", StandardCharsets.US_ASCII));
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  /** Why {@code msg} is not an acceptable upgrade request, or {@code null} when it is. */
  static String problem(Object msg) {
    if (msg instanceof HttpObject http && http.decoderResult().isFailure()) {
      return "malformed or oversized HTTP request: " + http.decoderResult().cause().getMessage();
    }
    if (!(msg instanceof HttpRequest request)) {
      return "expected an HTTP upgrade request";
    }
    if (!HttpMethod.GET.equals(request.method())) {
      return "WebSocket upgrade needs GET, not " + request.method();
    }
    if (!request
        .headers()
        .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      return "not a WebSocket upgrade request";
    }
    return null;
  }
}
