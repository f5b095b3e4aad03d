package org.lotusia.libp2p.internal.yamux;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Two Yamux sessions connected over an in-memory {@link LocalChannel}, each on its own event loop.
 */
final class YamuxPair implements AutoCloseable {

  final EventLoopGroup group;
  final Channel serverListener;
  final Channel clientChannel;
  final YamuxHandler client;
  final YamuxHandler server;
  final boolean ownGroup;

  YamuxPair(YamuxConfig config, ChannelHandler serverStreams, ChannelHandler clientStreams)
      throws Exception {
    this(
        new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory()),
        true,
        config,
        serverStreams,
        clientStreams);
  }

  YamuxPair(
      EventLoopGroup group,
      boolean ownGroup,
      YamuxConfig config,
      ChannelHandler serverStreams,
      ChannelHandler clientStreams)
      throws Exception {
    this.group = group;
    this.ownGroup = ownGroup;
    CompletableFuture<YamuxHandler> serverHandler = new CompletableFuture<>();
    serverListener =
        new ServerBootstrap()
            .group(group)
            .channel(LocalServerChannel.class)
            .childHandler(
                new ChannelInitializer<LocalChannel>() {
                  @Override
                  protected void initChannel(LocalChannel ch) {
                    YamuxHandler h = new YamuxHandler(false, config, serverStreams);
                    ch.pipeline().addLast(h);
                    serverHandler.complete(h);
                  }
                })
            .bind(LocalAddress.ANY)
            .sync()
            .channel();
    client = new YamuxHandler(true, config, clientStreams);
    clientChannel =
        new Bootstrap()
            .group(group)
            .channel(LocalChannel.class)
            .handler(client)
            .connect(serverListener.localAddress())
            .sync()
            .channel();
    server = serverHandler.get(5, TimeUnit.SECONDS);
  }

  /** Runs {@code task} on {@code channel}'s event loop and returns its result. */
  static <T> T onLoop(Channel channel, Callable<T> task) throws Exception {
    return channel.eventLoop().submit(task).get(10, TimeUnit.SECONDS);
  }

  /** Closes both ends and the group it made; waits uninterruptibly, so teardown always finishes. */
  @Override
  public void close() {
    clientChannel.close().syncUninterruptibly();
    serverListener.close().syncUninterruptibly();
    if (ownGroup) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
