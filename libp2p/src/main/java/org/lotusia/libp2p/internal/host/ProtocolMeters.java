package org.lotusia.libp2p.internal.host;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.lotusia.libp2p.HostStats;

/**
 * Bytes read and written per protocol, counted in the stream pipelines: one shared {@link Meter}
 * handler per protocol sits in front of each stream's bridge and adds to two {@link LongAdder}s, so
 * counting costs no lock and no allocation per read. At most {@link HostStats#MAX_PROTOCOLS}
 * protocols get a meter of their own; later ones share {@link HostStats#OTHER_PROTOCOLS}.
 *
 * <p>Thread-safe: meters are created once per protocol in a concurrent map and used from any event
 * loop.
 */
final class ProtocolMeters {

  private final ConcurrentHashMap<String, Meter> meters = new ConcurrentHashMap<>();
  private final Meter other = new Meter();

  /** The meter of {@code protocol}, to be added to a stream pipeline before its bridge. */
  Meter forProtocol(String protocol) {
    Meter m = meters.get(protocol);
    if (m != null) {
      return m;
    }
    if (meters.size() >= HostStats.MAX_PROTOCOLS) {
      return other;
    }
    return meters.computeIfAbsent(protocol, p -> new Meter());
  }

  /** Visits each protocol's bytes read and written, the shared remainder last (if used). */
  void forEach(BiConsumer<String, long[]> visitor) {
    for (Map.Entry<String, Meter> e : meters.entrySet()) {
      visitor.accept(e.getKey(), e.getValue().totals());
    }
    long[] rest = other.totals();
    if (rest[0] != 0 || rest[1] != 0) {
      visitor.accept(HostStats.OTHER_PROTOCOLS, rest);
    }
  }

  /** Counts the payload bytes passing a stream pipeline. */
  @ChannelHandler.Sharable
  static final class Meter extends ChannelDuplexHandler {
    private final LongAdder read = new LongAdder();
    private final LongAdder written = new LongAdder();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf buf) {
        read.add(buf.readableBytes());
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof ByteBuf buf && !promise.isVoid()) {
        int n = buf.readableBytes();
        // Counted once the muxer took the bytes, not when they were only offered.
        promise.addListener(
            f -> {
              if (f.isSuccess()) {
                written.add(n);
              }
            });
      }
      ctx.write(msg, promise);
    }

    /** {bytes read, bytes written}. */
    long[] totals() {
      return new long[] {read.sum(), written.sum()};
    }
  }
}
