package org.lotusia.libp2p.internal.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.internal.yamux.YamuxTestSupport.quiet;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.DuplexChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.ProtocolNotSupportedException;
import org.lotusia.libp2p.internal.mss.MssConfig;
import org.lotusia.libp2p.internal.mss.MultistreamSelect;
import org.lotusia.libp2p.internal.yamux.StreamHandlers.Echo;
import org.lotusia.libp2p.internal.yamux.YamuxTestSupport.Sink;

/** The per-stream pipeline: Yamux stream, then multistream-select, then the protocol handler. */
class MssOverYamuxTest {

  private static final String ECHO = "/echo/1.0.0";

  /** Inbound streams: a multistream-select responder that installs an echo handler. */
  @ChannelHandler.Sharable
  static final class EchoServer extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel ch) {
      ch.pipeline()
          .addLast(
              MultistreamSelect.responder(
                  Set.of(ECHO),
                  (protocol, pipeline) -> pipeline.addLast(new Echo()),
                  MssConfig.DEFAULT));
    }
  }

  private static void roundTrip(MssConfig clientConfig, boolean writeInInstaller) throws Exception {
    try (YamuxPair p = new YamuxPair(quiet().build(), new EchoServer(), new Sink())) {
      Sink sink = new Sink();
      MultistreamSelect mss =
          MultistreamSelect.initiator(
              clientConfig.lazy() ? List.of(ECHO) : List.of("/nope/1.0.0", ECHO),
              (protocol, pipeline) -> {
                pipeline.addLast(sink);
                if (writeInInstaller) {
                  pipeline
                      .channel()
                      .writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
                  ((DuplexChannel) pipeline.channel()).shutdownOutput();
                }
              },
              clientConfig);
      YamuxStream s = p.client.openStream(mss).get(10, TimeUnit.SECONDS);
      assertThat(mss.selected().get(10, TimeUnit.SECONDS)).isEqualTo(ECHO);
      if (!writeInInstaller) {
        s.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
        s.shutdownOutput();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> sink.inputShutdown);
      assertThat(sink.bytes()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
    }
  }

  @Test
  void negotiatesWithFallbackAndEchoes() throws Exception {
    roundTrip(MssConfig.DEFAULT, false);
  }

  @Test
  void lazySelectSendsDataBeforeTheEcho() throws Exception {
    roundTrip(MssConfig.DEFAULT.withLazy(true), true);
  }

  @Test
  void unsupportedProtocolFailsAndClosesTheStream() throws Exception {
    try (YamuxPair p = new YamuxPair(quiet().build(), new EchoServer(), new Sink())) {
      MultistreamSelect mss =
          MultistreamSelect.initiator(
              List.of("/nope/1.0.0"), (protocol, pipeline) -> {}, MssConfig.DEFAULT);
      YamuxStream s = p.client.openStream(mss).get(10, TimeUnit.SECONDS);
      assertThat(mss.selected())
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(ProtocolNotSupportedException.class);
      s.closeFuture().await(10, TimeUnit.SECONDS);
      assertThat(s.isOpen()).isFalse();
    }
  }
}
