package org.lotusia.libp2p.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ResourceLeakDetector;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.internal.yamux.YamuxConfig;
import org.lotusia.libp2p.internal.yamux.YamuxHandler;
import org.lotusia.libp2p.internal.yamux.YamuxStream;

/**
 * Throughput of one Yamux stream without encryption, over an in-memory channel or loopback TCP.
 *
 * <p>Arguments: {@code [local|tcp] [MiB per run, default 2048] [runs, default 5]}. Prints Gbit/s
 * (10^9 bit/s) per run and the median. Not a test.
 */
public final class YamuxBench {

  private YamuxBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args mode, MiB per run, runs
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    String mode = args.length > 0 ? args[0] : "local";
    long mib = args.length > 1 ? Long.parseLong(args[1]) : 2048;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    boolean tcp = mode.equals("tcp");
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            2, tcp ? NioIoHandler.newFactory() : LocalIoHandler.newFactory());
    YamuxConfig config = YamuxConfig.builder().build();
    double[] results = new double[runs];
    try {
      Receiver receiver = new Receiver();
      ServerBootstrap sb =
          new ServerBootstrap()
              .group(group)
              .channel(tcp ? NioServerSocketChannel.class : LocalServerChannel.class)
              .childHandler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline().addLast(new YamuxHandler(false, config, receiver));
                    }
                  });
      if (tcp) {
        sb.childOption(ChannelOption.TCP_NODELAY, true);
      }
      Channel server =
          sb.bind(tcp ? new InetSocketAddress("127.0.0.1", 0) : LocalAddress.ANY).sync().channel();
      YamuxHandler client = new YamuxHandler(true, config, new ChannelInboundHandlerAdapter());
      Channel conn =
          new Bootstrap()
              .group(group)
              .channel(tcp ? NioSocketChannel.class : LocalChannel.class)
              .handler(client)
              .connect(server.localAddress())
              .sync()
              .channel();
      long bytes = mib * 1024 * 1024;
      for (int r = -1; r < runs; r++) { // run -1 warms up
        receiver.done = new CompletableFuture<>();
        long start = System.nanoTime();
        client.openStream(new Sender(bytes, 64 * 1024)).get(10, TimeUnit.SECONDS);
        long got = receiver.done.get(600, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - start) / 1e9;
        if (got != bytes) {
          throw new IllegalStateException("received " + got + " of " + bytes + " bytes");
        }
        double gbit = bytes * 8 / secs / 1e9;
        if (r >= 0) {
          results[r] = gbit;
          System.out.printf(
              Locale.ROOT, "%s run %d: %d MiB in %.3f s = %.2f Gbit/s%n", mode, r, mib, secs, gbit);
        }
      }
      java.util.Arrays.sort(results);
      System.out.printf(
          Locale.ROOT,
          "%s median: %.2f Gbit/s (one Yamux stream, no encryption, JDK %s)%n",
          mode,
          results[runs / 2],
          Runtime.version());
      conn.close().sync();
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** Writes {@code total} bytes from one reusable chunk as fast as writability allows. */
  private static final class Sender extends ChannelInboundHandlerAdapter {
    private final long total;
    private final ByteBuf chunk;
    private long sent;

    Sender(long total, int chunkSize) {
      this.total = total;
      this.chunk = PooledByteBufAllocator.DEFAULT.directBuffer(chunkSize);
      for (int i = 0; i < chunkSize; i++) {
        chunk.writeByte(i * 31);
      }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      pump(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      pump(ctx);
    }

    private void pump(ChannelHandlerContext ctx) {
      boolean wrote = false;
      while (ctx.channel().isWritable() && sent < total) {
        int n = (int) Math.min(chunk.readableBytes(), total - sent);
        ctx.write(chunk.retainedSlice(0, n));
        sent += n;
        wrote = true;
      }
      if (wrote) {
        ctx.flush();
      }
      if (sent == total && chunk.refCnt() > 0) {
        chunk.release();
        ((DuplexChannel) ctx.channel()).shutdownOutput();
      }
    }
  }

  /** Counts and discards bytes; completes at the sender's FIN. */
  @ChannelHandler.Sharable
  private static final class Receiver extends ChannelInboundHandlerAdapter {
    volatile CompletableFuture<Long> done;
    private long count;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      count += b.readableBytes();
      b.release();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        done.complete(count);
        count = 0;
        ((YamuxStream) ctx.channel()).shutdownOutput();
      }
    }
  }
}
