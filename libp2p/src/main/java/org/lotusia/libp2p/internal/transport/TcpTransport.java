package org.lotusia.libp2p.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
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
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.Multiaddr;

/**
 * TCP on Netty: native epoll when {@link Epoll#isAvailable()}, NIO otherwise.
 *
 * <p>Stateless apart from the epoll decision; one instance may serve several hosts.
 */
public final class TcpTransport implements NettyTransport {

  private final boolean epoll = Epoll.isAvailable();

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
    return TcpAddress.of(address).filter(a -> !a.hostProtocol().startsWith("dns") && isPlain(a))
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
    TcpAddress tcp = TcpAddress.of(address)
        .orElseThrow(() -> new IllegalArgumentException("not a TCP address: " + address));
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(serverChannelClass())
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(childInitializer);
    return Futures.toChannel(bootstrap.bind(tcp.toSocketAddress()))
        .thenApply(ch -> new BoundListener(
            TcpAddress.toMultiaddr((InetSocketAddress) ch.localAddress()), ch));
  }

  @Override
  public CompletableFuture<Channel> dial(
      Multiaddr address, EventLoopGroup group, ChannelHandler initializer, Duration timeout) {
    TcpAddress tcp = TcpAddress.of(address)
        .orElseThrow(() -> new IllegalArgumentException("not a TCP address: " + address));
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(channelClass())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
            Math.max(1, timeout.toMillis())))
        .handler(initializer);
    return Futures.toChannel(bootstrap.connect(tcp.toSocketAddress()));
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
