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
