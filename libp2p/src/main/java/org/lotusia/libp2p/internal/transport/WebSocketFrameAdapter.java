package org.lotusia.libp2p.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.ServerHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lotusia.libp2p.WebSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presents a WebSocket connection as a plain byte stream to the handlers after it: inbound binary
 * (and continuation) frames become their payload {@link ByteBuf}s, outbound {@link ByteBuf}s become
 * binary frames of at most {@link #MAX_OUTBOUND_FRAME} bytes each.
 *
 * <p>When the HTTP upgrade completes (or the first frame arrives, whichever is first) it adds the
 * host's handler {@code next} after itself and completes {@link #opened()}. If the connection
 * closes, fails or times out before that, {@link #opened()} fails and {@code next} is never added.
 *
 * <p>The upgrade must finish within a timeout counted from the moment this handler is added (the
 * TCP accept or connect): Netty's own handshake timeout starts only once a complete upgrade request
 * arrived, so it would not catch a peer that trickles its request or sends nothing.
 *
 * <p>A text frame closes the connection with status 1003; a close frame closes it; any other
 * message (a stray HTTP object) closes it. Nothing read after such a message or a failure reaches
 * the host's handler. Ping and pong frames are answered and dropped by Netty's
 * protocol handler before they reach this handler. One instance per channel; runs on its event
 * loop.
 */
final class WebSocketFrameAdapter extends ChannelDuplexHandler {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketFrameAdapter.class);

  /**
   * Largest payload of one outbound frame. A peer's frame limit is unknown, so big writes (a Noise
   * batch is almost 1 MiB, a plaintext Yamux frame up to the window size) are cut into frames no
   * larger than {@link WebSocketOptions#MIN_FRAME_SIZE}, the smallest frame limit a listener or
   * dialer of this transport may have.
   */
  static final int MAX_OUTBOUND_FRAME = WebSocketOptions.MIN_FRAME_SIZE;

  private final ChannelHandler next;
  private final Duration upgradeTimeout;
  private final CompletableFuture<Channel> opened = new CompletableFuture<>();
  private boolean open;
  /** Set once a frame or failure ends the connection: later frames of the same read are dropped. */
  private boolean ending;
  private ScheduledFuture<?> timer;

  /**
   * @param next the handler to add once the upgrade is done
   * @param upgradeTimeout time from now (the channel's registration) to a completed upgrade
   */
  WebSocketFrameAdapter(ChannelHandler next, Duration upgradeTimeout) {
    this.next = next;
    this.upgradeTimeout = upgradeTimeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    timer =
        ctx.executor()
            .schedule(
                () -> {
                  if (!open) {
                    LOG.debug(
                        "closing WebSocket connection with {}: no upgrade within {}",
                        ctx.channel().remoteAddress(),
                        upgradeTimeout);
                    fail(
                        new TimeoutException(
                            "WebSocket upgrade with "
                                + ctx.channel().remoteAddress()
                                + " timed out after "
                                + upgradeTimeout));
                    ctx.close();
                  }
                },
                upgradeTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimer();
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** Completes with the channel once the upgrade is done; fails if it never is. */
  CompletableFuture<Channel> opened() {
    return opened;
  }

  private void open(ChannelHandlerContext ctx) {
    if (open) {
      return;
    }
    open = true;
    cancelTimer();
    ctx.pipeline().addLast(next);
    opened.complete(ctx.channel());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE || evt instanceof HandshakeComplete) {
      open(ctx);
    } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT
        || evt == ServerHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      fail(
          new TimeoutException(
              "WebSocket upgrade with " + ctx.channel().remoteAddress() + " timed out"));
      ctx.close();
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (ending) {
      // The close is under way (it may wait for the close frame to be flushed) while the decoder
      // still hands over the rest of its read: none of it may reach the host after the end.
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
      open(ctx);
      ctx.fireChannelRead(((io.netty.handler.codec.http.websocketx.WebSocketFrame) msg).content());
      return;
    }
    ReferenceCountUtil.release(msg);
    ending = true;
    if (msg instanceof TextWebSocketFrame) {
      LOG.debug(
          "closing WebSocket connection with {}: text frames are not supported",
          ctx.channel().remoteAddress());
      fail(new IOException("WebSocket peer sent a text frame"));
      ctx.writeAndFlush(
              new CloseWebSocketFrame(
                  WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "libp2p needs binary frames"))
          .addListener(ChannelFutureListener.CLOSE);
    } else if (msg instanceof CloseWebSocketFrame) {
      fail(new IOException("WebSocket peer closed the connection during the upgrade"));
      ctx.close();
    } else {
      LOG.debug(
          "closing WebSocket connection with {}: unexpected {}",
          ctx.channel().remoteAddress(),
          msg.getClass().getSimpleName());
      fail(new IOException("unexpected " + msg.getClass().getSimpleName() + " on WebSocket"));
      ctx.close();
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf buf) || !buf.isReadable()) {
      // an empty buffer passes through so that its promise stays ordered behind earlier writes
      ctx.write(msg, promise);
      return;
    }
    if (buf.readableBytes() <= MAX_OUTBOUND_FRAME) {
      ctx.write(new BinaryWebSocketFrame(buf), promise);
      return;
    }
    PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
    try {
      while (buf.isReadable()) {
        int n = Math.min(buf.readableBytes(), MAX_OUTBOUND_FRAME);
        combiner.add(ctx.write(new BinaryWebSocketFrame(buf.readRetainedSlice(n))));
      }
    } finally {
      buf.release();
    }
    combiner.finish(promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelTimer();
    fail(new IOException("connection closed during the WebSocket upgrade"));
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug(
        "closing WebSocket connection with {}: {}",
        ctx.channel().remoteAddress(),
        cause.toString());
    ending = true;
    fail(cause);
    ctx.close();
    if (open) {
      ctx.fireExceptionCaught(cause);
    }
  }

  private void fail(Throwable cause) {
    if (!open) {
      opened.completeExceptionally(cause);
    }
  }
}
