package org.lotusia.libp2p.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.lotusia.libp2p.Multiaddr;

/**
 * An in-process transport on Netty local channels, for tests and simulations of many hosts.
 *
 * <p>Addresses: the multiaddr table has no in-memory protocol, so this transport uses addresses of
 * the form {@code /ip4/127.0.0.1/tcp/<n>} in its own port space. A process-wide registry maps each
 * bound {@code n} to a Netty {@link LocalAddress}; listening on port 0 allocates the next free
 * {@code n}. {@link #canDial} is true only for addresses bound in this registry, so a host that has
 * both this transport (listed first) and TCP sends registered addresses in memory and everything
 * else over TCP. Addresses are meaningless outside the process.
 *
 * <p>Thread-safe.
 */
public final class MemoryTransport implements NettyTransport {

  private static final String IP = "127.0.0.1";
  private static final Map<Integer, LocalAddress> BOUND = new ConcurrentHashMap<>();
  private static final AtomicInteger NEXT_PORT = new AtomicInteger(20_000);

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public boolean canDial(Multiaddr address) {
    return port(address).filter(BOUND::containsKey).isPresent();
  }

  @Override
  public boolean canListen(Multiaddr address) {
    return port(address).isPresent();
  }

  private static Optional<Integer> port(Multiaddr address) {
    return TcpAddress.of(address)
        .filter(a -> a.hostProtocol().equals("ip4") && a.host().equals(IP))
        .filter(a -> a.rest().isEmpty() || a.rest().startsWith("/p2p/"))
        .map(TcpAddress::port);
  }

  /**
   * One group of daemon threads for every in-memory host of the process: both ends of a local
   * channel pair must outlive each other's host, and simulations of hundreds of hosts should not
   * need hundreds of threads.
   */
  private static final class Shared {
    static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(
        Math.max(2, Runtime.getRuntime().availableProcessors()),
        new DefaultThreadFactory("lotus-p2p-mem", true), LocalIoHandler.newFactory());
  }

  @Override
  public EventLoopGroup newEventLoopGroup(int threads) {
    return Shared.GROUP;
  }

  @Override
  public boolean sharesEventLoops() {
    return true;
  }

  @Override
  public CompletableFuture<BoundListener> listen(
      Multiaddr address, EventLoopGroup group, ChannelHandler childInitializer) {
    int requested = port(address)
        .orElseThrow(() -> new IllegalArgumentException("not a memory address: " + address));
    int port;
    LocalAddress local;
    if (requested == 0) {
      do {
        port = NEXT_PORT.getAndUpdate(p -> p >= 65_535 ? 20_000 : p + 1);
        local = new LocalAddress("lotus-mem-" + port);
      } while (BOUND.putIfAbsent(port, local) != null);
    } else {
      port = requested;
      local = new LocalAddress("lotus-mem-" + port);
      if (BOUND.putIfAbsent(port, local) != null) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("memory address in use: " + address));
      }
    }
    int bound = port;
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(LocalServerChannel.class)
        .childHandler(childInitializer);
    CompletableFuture<BoundListener> result = Futures.toChannel(bootstrap.bind(local))
        .thenApply(ch -> {
          ch.closeFuture().addListener(f -> BOUND.remove(bound));
          return new BoundListener(toMultiaddr(bound), ch);
        });
    result.whenComplete((l, e) -> {
      if (e != null) {
        BOUND.remove(bound);
      }
    });
    return result;
  }

  @Override
  public CompletableFuture<Channel> dial(
      Multiaddr address, EventLoopGroup group, ChannelHandler initializer, Duration timeout) {
    Optional<LocalAddress> target = port(address).map(BOUND::get);
    if (target.isEmpty()) {
      return CompletableFuture.failedFuture(
          new ConnectException("no in-memory listener at " + address));
    }
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(LocalChannel.class)
        .handler(initializer);
    return Futures.toChannel(bootstrap.connect(target.get()));
  }

  @Override
  public Multiaddr remoteAddress(Channel channel) {
    return toMultiaddr(channel.remoteAddress());
  }

  @Override
  public Multiaddr localAddress(Channel channel) {
    return toMultiaddr(channel.localAddress());
  }

  private static Multiaddr toMultiaddr(SocketAddress address) {
    String id = ((LocalAddress) address).id();
    if (id.startsWith("lotus-mem-")) {
      return toMultiaddr(Integer.parseInt(id.substring("lotus-mem-".length())));
    }
    // An ephemeral dialer address: a stable pseudo-port derived from Netty's id.
    return toMultiaddr(1 + Math.floorMod(id.hashCode(), 19_999));
  }

  private static Multiaddr toMultiaddr(int port) {
    return Multiaddr.parse("/ip4/" + IP + "/tcp/" + port);
  }
}
