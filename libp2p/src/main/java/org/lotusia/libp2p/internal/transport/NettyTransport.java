package org.lotusia.libp2p.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.Transport;

/**
 * The Netty side of a {@link Transport}: creates its event loops, binds listeners and dials raw
 * channels, and maps socket addresses to multiaddrs. The host installs the upgrade pipeline through
 * the given handler.
 *
 * <p>Threading: thread-safe; futures complete on an event loop of the given group.
 */
public interface NettyTransport extends Transport {

  /**
   * The event loop group this transport's channels use: a new one the host owns and shuts down, or
   * a process-wide shared one (see {@link #sharesEventLoops()}).
   */
  EventLoopGroup newEventLoopGroup(int threads);

  /** Whether {@link #newEventLoopGroup} returns a shared group that hosts must not shut down. */
  default boolean sharesEventLoops() {
    return false;
  }

  /**
   * Binds a listener. The future yields the bound listener, whose address has the real port when
   * port 0 was requested.
   */
  CompletableFuture<BoundListener> listen(
      Multiaddr address, EventLoopGroup group, ChannelHandler childInitializer);

  /** Connects to {@code address}; fails with a {@link java.net.ConnectException}-style cause. */
  CompletableFuture<Channel> dial(
      Multiaddr address, EventLoopGroup group, ChannelHandler initializer, Duration timeout);

  /**
   * Connects to {@code address} from the local socket address {@code local} (port reuse, for NAT
   * traversal: the connection leaves from the listen port, so the NAT mapping peers observe is the
   * one of the listen port). When binding {@code local} fails and {@code required} is false, the
   * dial is made from an ephemeral port instead. Transports without port reuse ignore {@code
   * local}, unless it is required, which then fails.
   */
  default CompletableFuture<Channel> dial(
      Multiaddr address,
      EventLoopGroup group,
      ChannelHandler initializer,
      Duration timeout,
      java.net.InetSocketAddress local,
      boolean required) {
    if (local != null && required) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(name() + " cannot dial from a chosen local port"));
    }
    return dial(address, group, initializer, timeout);
  }

  /** Whether this transport listens with port reuse and can dial from its listen port. */
  default boolean reusesPorts() {
    return false;
  }

  /** The multiaddr of the remote end of a channel this transport created. */
  Multiaddr remoteAddress(Channel channel);

  /** The multiaddr of the local end of a channel this transport created. */
  Multiaddr localAddress(Channel channel);

  /**
   * A bound listener.
   *
   * @param address the bound address (real port)
   * @param channel the server channel; closing it stops listening
   */
  record BoundListener(Multiaddr address, Channel channel) {}
}
