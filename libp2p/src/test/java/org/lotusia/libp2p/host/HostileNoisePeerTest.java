package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.host.Hosts.Stack;
import org.lotusia.libp2p.internal.mss.MssConfig;
import org.lotusia.libp2p.internal.mss.MultistreamSelect;
import org.lotusia.libp2p.internal.noise.NoiseHandler;
import org.lotusia.libp2p.internal.noise.NoiseSecurity;
import org.lotusia.libp2p.internal.transport.TcpAddress;
import org.lotusia.libp2p.internal.yamux.YamuxFrames;
import org.lotusia.libp2p.protocol.ping.Ping;

/**
 * A peer that completes the Noise handshake and then misbehaves. The host must close that
 * connection and keep serving others.
 */
class HostileNoisePeerTest {

  private final Hosts hosts = new Hosts();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  @AfterEach
  void stop() {
    hosts.close();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /**
   * Connects, negotiates /noise, runs the handshake, then calls {@code misbehave} with the channel
   * (on its event loop). Returns the channel's close future.
   */
  private CompletableFuture<Void> attack(Host target, Consumer<Channel> misbehave) {
    TcpAddress tcp = TcpAddress.of(target.listenAddresses().get(0)).orElseThrow();
    NoiseHandler noise = NoiseSecurity.initiator(Keys.generateEd25519(), target.peerId());
    CompletableFuture<Void> closed = new CompletableFuture<>();
    Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel c) {
            c.pipeline().addLast(MultistreamSelect.initiator(List.of(NoiseSecurity.PROTOCOL_ID),
                (p, pipeline) -> {
                  pipeline.addLast(NoiseHandler.NAME, noise);
                  pipeline.addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      ReferenceCountUtil.release(msg); // discard whatever the host sends
                    }
                  });
                }, MssConfig.DEFAULT));
          }
        })
        .connect(tcp.toSocketAddress()).syncUninterruptibly().channel();
    ch.closeFuture().addListener(f -> closed.complete(null));
    noise.session().thenRun(() -> ch.eventLoop().execute(() -> misbehave.accept(ch)));
    join(noise.session());
    return closed;
  }

  @Test
  void garbageBelowNoiseClosesTheConnection() {
    Host host = hosts.start(Stack.TCP_NOISE);
    CompletableFuture<Void> closed = attack(host, ch -> {
      // Bytes written at the head of the pipeline bypass the Noise encoder: a frame whose
      // authentication tag cannot verify.
      ByteBuf junk = Unpooled.buffer();
      junk.writeShort(64);
      junk.writeBytes(new byte[64]);
      ch.pipeline().firstContext().writeAndFlush(junk);
    });
    join(closed);
    assertStillServing(host);
  }

  @Test
  void oversizedYamuxFrameClosesTheConnection() {
    Host host = hosts.start(Stack.TCP_NOISE);
    CompletableFuture<Void> closed = attack(host, ch -> {
      // Through Noise: multistream-select for yamux, then a Data frame claiming 16 MiB on a
      // stream that was never opened.
      ByteBuf out = Unpooled.buffer();
      writeMss(out, "/multistream/1.0.0");
      writeMss(out, "/yamux/1.0.0");
      YamuxFrames.writeHeader(out, YamuxFrames.TYPE_DATA, YamuxFrames.FLAG_SYN, 1, 16 << 20);
      out.writeBytes(new byte[1024]);
      ch.writeAndFlush(out);
    });
    join(closed);
    assertStillServing(host);
  }

  private static void writeMss(ByteBuf out, String line) {
    byte[] b = (line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeByte(b.length);
    out.writeBytes(b);
  }

  private void assertStillServing(Host host) {
    Host good = hosts.start(Stack.TCP_NOISE);
    Connection c = join(good.dial(host.listenAddresses().get(0)));
    assertThat(join(join(good.newStream(c, new Ping())).ping())).isPositive();
    await().atMost(Duration.ofSeconds(5)).until(() -> host.connections().size() == 1);
  }
}
