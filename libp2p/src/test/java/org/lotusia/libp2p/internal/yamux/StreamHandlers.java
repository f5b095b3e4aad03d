package org.lotusia.libp2p.internal.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** Stream handlers for the in-memory Yamux tests and the benchmark. */
final class StreamHandlers {
  private StreamHandlers() {}

  /** The byte at position {@code p} of the test pattern; not periodic within 2^32 bytes. */
  static byte pattern(long p) {
    long x = p * 0x9E3779B97F4A7C15L;
    return (byte) (x >>> 56 ^ x >>> 29);
  }

  /** Writes {@code total} pattern bytes as fast as writability allows, then half-closes. */
  static final class PatternWriter extends ChannelInboundHandlerAdapter {
    private final long total;
    private final int chunk;
    final AtomicLong maxPending = new AtomicLong();
    private long sent;
    private boolean finished;
    private byte[] scratch = new byte[0];

    PatternWriter(long total, int chunk) {
      this.total = total;
      this.chunk = chunk;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      writeMore(ctx);
      ctx.fireChannelActive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      writeMore(ctx);
      ctx.fireChannelWritabilityChanged();
    }

    private void writeMore(ChannelHandlerContext ctx) {
      boolean wrote = false;
      while (ctx.channel().isWritable() && sent < total) {
        int n = (int) Math.min(chunk, total - sent);
        // fill a plain array first: leak-tracked buffers record every single-byte access
        if (scratch.length < n) {
          scratch = new byte[n];
        }
        for (int i = 0; i < n; i++) {
          scratch[i] = pattern(sent + i);
        }
        ByteBuf b = ctx.alloc().buffer(n);
        b.writeBytes(scratch, 0, n);
        sent += n;
        ctx.write(b);
        wrote = true;
      }
      if (wrote) {
        ctx.flush();
      }
      long pending = ((YamuxStream) ctx.channel()).pendingWriteBytes();
      maxPending.accumulateAndGet(pending, Math::max);
      if (sent == total && !finished) {
        finished = true;
        ((DuplexChannel) ctx.channel()).shutdownOutput();
      }
    }
  }

  /** Checks that the input is the pattern; completes with the byte count at the remote's FIN. */
  static final class PatternChecker extends ChannelInboundHandlerAdapter {
    final CompletableFuture<Long> done = new CompletableFuture<>();
    final AtomicLong received = new AtomicLong();
    private long position;
    private byte[] scratch = new byte[0];

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      try {
        int n = b.readableBytes();
        if (scratch.length < n) {
          scratch = new byte[n];
        }
        b.getBytes(b.readerIndex(), scratch, 0, n);
        for (int i = 0; i < n; i++) {
          if (scratch[i] != pattern(position + i)) {
            done.completeExceptionally(new AssertionError("mismatch at byte " + (position + i)));
            ctx.close();
            return;
          }
        }
        position += n;
        received.set(position);
      } finally {
        b.release();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        done.complete(position);
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      done.completeExceptionally(new AssertionError("stream closed after " + position + " bytes"));
      ctx.fireChannelInactive();
    }
  }

  /** Echoes everything back and half-closes after the remote did. */
  @ChannelHandler.Sharable
  static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        ctx.flush();
        ((DuplexChannel) ctx.channel()).shutdownOutput();
      }
    }
  }
}
