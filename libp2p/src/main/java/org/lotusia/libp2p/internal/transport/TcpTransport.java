package org.lotusia.libp2p.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.Multiaddr;

/**
 * TCP on Netty: native epoll when {@link Epoll#isAvailable()}, NIO otherwise.
 *
 * <p>With port reuse (the default) listeners set {@code SO_REUSEPORT} and {@code SO_REUSEADDR}, and
 * a dial may leave from the listen port ({@link #dial(Multiaddr, EventLoopGroup, ChannelHandler,
 * Duration, InetSocketAddress, boolean)}): the NAT mapping a peer observes is then the listen
 * port's, which makes observed addresses dialable and TCP hole punching (DCUtR) possible, as in
 * go-libp2p.
 *
 * <p>Stateless apart from the epoll decision; one instance may serve several hosts.
 */
public final class TcpTransport implements NettyTransport {

  private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);

  /**
   * Socket reads of up to 256 KiB (Netty's default stops at 64 KiB), sized by what the last reads
   * filled. A bulk transfer then reads about four full Noise messages (65,537 bytes on the wire) per
   * system call instead of one that ends inside a message, whose head the decoder would have to
   * copy; an idle or chatty connection keeps small reads.
   */
  static final AdaptiveRecvByteBufAllocator READS =
      new AdaptiveRecvByteBufAllocator(64, 2048, 256 * 1024);

  /** {@code setsockopt(SOL_SOCKET, SO_REUSEPORT)} on Linux, for epoll client sockets. */
  private static final io.netty.channel.unix.IntegerUnixChannelOption CLIENT_REUSEPORT =
      new io.netty.channel.unix.IntegerUnixChannelOption("SO_REUSEPORT_RAW", 1, 15);

  private final boolean epoll = Epoll.isAvailable();
  private final boolean portReuse;

  /** TCP with port reuse. */
  public TcpTransport() {
    this(true);
  }

  /** TCP with or without port reuse. */
  public TcpTransport(boolean portReuse) {
    this.portReuse = portReuse;
  }

  @Override
  public boolean reusesPorts() {
    return portReuse;
  }

  @Override
  public String name() {
    return "tcp";
  }

  @Override
  public boolean canDial(Multiaddr address) {
    return TcpAddress.of(address).filter(a -> a.port() != 0 && isPlain(a)).isPresent();
  }

  @Override
  public boolean canListen(Multiaddr address) {
    return TcpAddress.of(address)
        .filter(a -> !a.hostProtocol().startsWith("dns") && isPlain(a))
        .isPresent();
  }

  private static boolean isPlain(TcpAddress a) {
    return a.rest().isEmpty() || a.rest().startsWith("/p2p/");
  }

  @Override
  public EventLoopGroup newEventLoopGroup(int threads) {
    DefaultThreadFactory factory = new DefaultThreadFactory("lotus-p2p-tcp", true);
    return new MultiThreadIoEventLoopGroup(
        threads, factory, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  private Class<? extends ServerChannel> serverChannelClass() {
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  private Class<? extends Channel> channelClass() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  @Override
  public CompletableFuture<BoundListener> listen(
      Multiaddr address, EventLoopGroup group, ChannelHandler childInitializer) {
    TcpAddress tcp =
        TcpAddress.of(address)
            .orElseThrow(() -> new IllegalArgumentException("not a TCP address: " + address));
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(serverChannelClass())
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.RECVBUF_ALLOCATOR, READS)
            .childHandler(childInitializer);
    if (portReuse) {
      // SO_REUSEPORT would let this listener share a port another process already listens on
      // (the kernel would split connections between them): refuse a taken port as a plain bind
      // would, then bind with port reuse
      try {
        refuseTakenPort(tcp.toSocketAddress());
      } catch (java.io.IOException e) {
        return CompletableFuture.failedFuture(e);
      }
      reusePort(bootstrap);
    }
    return Futures.toChannel(bootstrap.bind(tcp.toSocketAddress()))
        .thenApply(
            ch ->
                new BoundListener(
                    TcpAddress.toMultiaddr((InetSocketAddress) ch.localAddress()), ch));
  }

  @Override
  public CompletableFuture<Channel> dial(
      Multiaddr address, EventLoopGroup group, ChannelHandler initializer, Duration timeout) {
    TcpAddress tcp =
        TcpAddress.of(address)
            .orElseThrow(() -> new IllegalArgumentException("not a TCP address: " + address));
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(channelClass())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.RECVBUF_ALLOCATOR, READS)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())))
            .handler(initializer);
    return Futures.toChannel(bootstrap.connect(tcp.toSocketAddress()));
  }

  @Override
  public CompletableFuture<Channel> dial(
      Multiaddr address,
      EventLoopGroup group,
      ChannelHandler initializer,
      Duration timeout,
      InetSocketAddress local,
      boolean required) {
    if (local == null || (!portReuse && !required)) {
      return dial(address, group, initializer, timeout);
    }
    if (!portReuse) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("port reuse is off on this TCP transport"));
    }
    TcpAddress tcp =
        TcpAddress.of(address)
            .orElseThrow(() -> new IllegalArgumentException("not a TCP address: " + address));
    // The pipeline is installed only once the socket is connected (reads held until then): a
    // failed bind must not start an upgrade that would fail the whole dial before the retry.
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(channelClass())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.RECVBUF_ALLOCATOR, READS)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.AUTO_READ, false)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())))
            .handler(new ChannelInboundHandlerAdapter());
    if (epoll) {
      // EpollSocketChannelConfig has no SO_REUSEPORT of its own: set the raw option (Linux values)
      bootstrap.option(CLIENT_REUSEPORT, 1);
    } else {
      bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
    }
    CompletableFuture<Channel> result = new CompletableFuture<>();
    long start = System.nanoTime();
    bootstrap
        .connect(tcp.toSocketAddress(), local)
        .addListener(
            (ChannelFuture f) -> {
              if (f.isSuccess()) {
                Channel ch = f.channel();
                ch.pipeline().addLast(initializer);
                ch.config().setAutoRead(true);
                result.complete(ch);
              } else if (!required && isBindFailure(f.cause())) {
                // e.g. the same 4-tuple is in use (an inbound connection from that peer's port)
                LOG.debug("dial to {} from {} failed ({}); dialling from an ephemeral port",
                    address, local, f.cause().toString());
                Duration left = timeout.minusNanos(System.nanoTime() - start);
                dial(address, group, initializer,
                        left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left)
                    .whenComplete((c, e) -> {
                      if (e != null) {
                        result.completeExceptionally(e);
                      } else {
                        result.complete(c);
                      }
                    });
              } else {
                result.completeExceptionally(f.cause());
              }
            });
    return result;
  }

  private static boolean isBindFailure(Throwable t) {
    if (t instanceof java.net.BindException) {
      return true;
    }
    String m = String.valueOf(t.getMessage());
    return m.contains("already in use") || m.contains("assign requested address")
        || m.contains("EADDRNOTAVAIL") || m.contains("EADDRINUSE");
  }

  /** Fails when something already listens on a given (non-zero) port of the address. */
  private static void refuseTakenPort(InetSocketAddress address) throws java.io.IOException {
    if (address.getPort() == 0) {
      return;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true); // connections of an earlier run in TIME_WAIT are no obstacle
      probe.bind(address);
    } catch (java.net.BindException e) {
      java.net.BindException taken =
          new java.net.BindException("address already in use: " + address + " (" + e.getMessage() + ")");
      taken.initCause(e);
      throw taken;
    }
  }

  private void reusePort(io.netty.bootstrap.AbstractBootstrap<?, ?> bootstrap) {
    if (epoll) {
      bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
    } else {
      bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
    }
  }

  @Override
  public Multiaddr remoteAddress(Channel channel) {
    return TcpAddress.toMultiaddr((InetSocketAddress) channel.remoteAddress());
  }

  @Override
  public Multiaddr localAddress(Channel channel) {
    return TcpAddress.toMultiaddr((InetSocketAddress) channel.localAddress());
  }
}
