package org.lotusia.libp2p.internal.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lotusia.libp2p.ConnectionLimits;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.host.RelaySupport;
import org.lotusia.libp2p.internal.yamux.YamuxStream;

/**
 * Joins two relayed streams on a relay: what arrives on one is written to the other, in both
 * directions, until either side ends or a limit is reached (circuit relay v2, "Reservation": "If
 * more data than the limit ... or the relayed connection has been open for longer than duration,
 * the relay should reset the stream to the source and the stream to the destination").
 *
 * <p>The splice works on the streams' Netty channels, so relayed bytes never leave the event loops
 * and are never copied: each buffer read on one side is handed, with its ownership, to the write
 * on the other side. Flow control: a side stops reading while the other side cannot take more
 * (Yamux send window used up), so the relay buffers at most one window per direction. A half-close
 * (FIN) is passed on; a reset or close of one side closes the other; both sides are reset when the
 * time limit passes or a side sends more than the data limit (per direction, bytes beyond the
 * limit are not forwarded).
 *
 * <p>Threading: each side runs on its own channel's event loop; the counters of a direction are
 * touched only by the reading side's loop.
 */
public final class CircuitSplice {

  /**
   * How a splice ended.
   *
   * @param sourceToTarget bytes forwarded from the first stream to the second
   * @param targetToSource bytes forwarded from the second stream to the first
   * @param reason {@code closed}, {@code reset}, {@code data limit} or {@code duration limit}
   */
  public record Result(long sourceToTarget, long targetToSource, String reason) {}

  private final ConnectionLimits limits;
  private final Side source = new Side();
  private final Side target = new Side();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final CompletableFuture<Result> done = new CompletableFuture<>();
  private volatile String reason = "closed";
  private volatile ScheduledFuture<?> timer;

  private CircuitSplice(ConnectionLimits limits) {
    this.limits = limits;
    source.other = target;
    target.other = source;
  }

  /**
   * Splices {@code a} (the hop stream from the initiator) and {@code b} (the stop stream to the
   * target). Both streams are taken over: they deliver nothing to readers afterwards.
   *
   * @param limits the limits to enforce, or {@code null} for none
   * @return completes when both sides closed, with the byte counts and the reason
   */
  public static CompletableFuture<Result> splice(Stream a, Stream b, ConnectionLimits limits) {
    CircuitSplice s = new CircuitSplice(limits);
    // both channels are known before either side starts forwarding to the other
    s.source.channel = RelaySupport.channelOf(a);
    s.target.channel = RelaySupport.channelOf(b);
    CompletableFuture<Void> first = RelaySupport.detach(a, c -> s.source.attach(c));
    CompletableFuture<Void> second = RelaySupport.detach(b, c -> s.target.attach(c));
    CompletableFuture.allOf(first, second)
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                s.end("reset", true);
                a.reset();
                b.reset();
              } else {
                s.started();
              }
            });
    return s.done;
  }

  private void started() {
    if (limits != null && limits.hasDuration()) {
      Channel ch = source.channel;
      timer =
          ch.eventLoop()
              .schedule(
                  () -> end("duration limit", true),
                  limits.duration().toNanos(),
                  TimeUnit.NANOSECONDS);
    }
    if (ended.get()) {
      cancelTimer();
    }
  }

  private void cancelTimer() {
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
  }

  /** Ends the splice once: resets or closes both channels. */
  private void end(String why, boolean reset) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    reason = why;
    cancelTimer();
    source.finish(reset);
    target.finish(reset);
  }

  private void maybeDone() {
    if (!source.channel.isOpen() && !target.channel.isOpen()) {
      done.complete(new Result(source.forwarded, target.forwarded, reason));
    }
  }

  /** One side: reads its channel and writes to the other side's channel. */
  private final class Side extends ChannelInboundHandlerAdapter {
    Side other;
    Channel channel;
    long forwarded;
    boolean inputEnded;

    void attach(RelaySupport.Carrier carrier) {
      channel.pipeline().addLast("relay-splice", this);
      channel.closeFuture().addListener(f -> maybeDone());
      carrier.replayLeftovers();
    }

    void finish(boolean reset) {
      Channel ch = channel;
      if (ch == null) {
        return;
      }
      if (reset && ch instanceof YamuxStream ys) {
        ys.reset();
      } else {
        ch.close();
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Channel out = other.channel;
      if (!(msg instanceof ByteBuf buf) || ended.get()) {
        ReferenceCountUtil.release(msg);
        return;
      }
      int n = buf.readableBytes();
      if (limits != null && limits.hasData() && forwarded + n > limits.bytes()) {
        int allowed = (int) (limits.bytes() - forwarded);
        forwarded += allowed;
        if (allowed > 0) {
          out.writeAndFlush(buf.retainedSlice(buf.readerIndex(), allowed));
        }
        buf.release();
        // flushed data goes out before the reset is processed on the same event loop
        out.eventLoop().execute(() -> end("data limit", true));
        return;
      }
      forwarded += n;
      out.writeAndFlush(buf)
          .addListener(
              f -> {
                if (!f.isSuccess()) {
                  end("reset", true);
                }
              });
      if (!out.isWritable()) {
        ctx.channel().config().setAutoRead(false);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      // this side can take more: let the other side read again
      Channel in = other.channel;
      if (ctx.channel().isWritable() && in != null) {
        in.eventLoop().execute(() -> in.config().setAutoRead(true));
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownReadComplete) {
        inputEnded = true;
        // the sender finished its side: finish ours on the other stream too (FIN)
        Channel out = other.channel;
        if (out instanceof DuplexChannel d) {
          d.shutdownOutput();
        } else if (out != null) {
          out.close();
        }
      }
      ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      // without a FIN first the side died (reset, or its connection closed): the other side must
      // not take the end for a clean one
      boolean clean = inputEnded && !(ctx.channel() instanceof YamuxStream ys && ys.isReset());
      end(clean ? "closed" : "reset", !clean);
      maybeDone();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      end("reset", true);
    }
  }
}
