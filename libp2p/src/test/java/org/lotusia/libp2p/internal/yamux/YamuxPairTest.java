package org.lotusia.libp2p.internal.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.internal.yamux.YamuxPair.onLoop;
import static org.lotusia.libp2p.internal.yamux.YamuxTestSupport.quiet;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.DuplexChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.internal.yamux.StreamHandlers.Echo;
import org.lotusia.libp2p.internal.yamux.StreamHandlers.PatternChecker;
import org.lotusia.libp2p.internal.yamux.StreamHandlers.PatternWriter;
import org.lotusia.libp2p.internal.yamux.YamuxTestSupport.Sink;

/** Two Yamux sessions over an in-memory connection. */
class YamuxPairTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** An inbound-stream initializer that records each stream and lets the test add handlers. */
  @ChannelHandler.Sharable
  static final class Capture extends ChannelInitializer<Channel> {
    final List<YamuxStream> streams = new CopyOnWriteArrayList<>();
    final Consumer<YamuxStream> init;

    Capture(Consumer<YamuxStream> init) {
      this.init = init;
    }

    @Override
    protected void initChannel(Channel ch) {
      streams.add((YamuxStream) ch);
      init.accept((YamuxStream) ch);
    }
  }

  @Test
  void hundredConcurrentStreamsEchoTheirData() throws Exception {
    Capture serverSide = new Capture(s -> s.pipeline().addLast(new Echo()));
    try (YamuxPair p = new YamuxPair(quiet().build(), serverSide, new Capture(s -> {}))) {
      Random rnd = new Random(42);
      List<byte[]> sent = new ArrayList<>();
      List<Sink> sinks = new ArrayList<>();
      List<YamuxStream> streams = new ArrayList<>();
      List<CompletableFuture<YamuxStream>> opens = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        Sink sink = new Sink();
        sinks.add(sink);
        opens.add(p.client.openStream(sink));
      }
      for (int i = 0; i < 100; i++) {
        YamuxStream s = opens.get(i).get(10, TimeUnit.SECONDS);
        streams.add(s);
        byte[] data = new byte[1000 + rnd.nextInt(30_000)];
        rnd.nextBytes(data);
        sent.add(data);
        s.writeAndFlush(Unpooled.wrappedBuffer(data));
        s.shutdownOutput();
      }
      await().atMost(WAIT).until(() -> sinks.stream().allMatch(k -> k.inputShutdown));
      for (int i = 0; i < 100; i++) {
        assertThat(sinks.get(i).bytes()).as("stream %d", i).isEqualTo(sent.get(i));
      }
      assertThat(streams)
          .extracting(YamuxStream::streamId)
          .doesNotHaveDuplicates()
          .allMatch(id -> id % 2 == 1);
      assertThat(serverSide.streams).hasSize(100);
      // both directions finished: every stream closes itself and leaves both sessions
      await()
          .atMost(WAIT)
          .until(
              () ->
                  onLoop(p.clientChannel, p.client::streamCount) == 0
                      && streams.stream().noneMatch(Channel::isOpen));
      await().atMost(WAIT).until(() -> serverSide.streams.stream().noneMatch(Channel::isOpen));
    }
  }

  @Test
  void transfers64MiBByteForByte() throws Exception {
    long total = 64L * 1024 * 1024;
    PatternChecker checker = new PatternChecker();
    Capture serverSide = new Capture(s -> s.pipeline().addLast(checker));
    try (YamuxPair p = new YamuxPair(quiet().build(), serverSide, new Capture(s -> {}))) {
      PatternWriter writer = new PatternWriter(total, 64 * 1024);
      p.client.openStream(writer).get(10, TimeUnit.SECONDS);
      assertThat(checker.done.get(60, TimeUnit.SECONDS)).isEqualTo(total);
      assertThat(writer.maxPending.get())
          .isLessThanOrEqualTo(quiet().build().maxPendingWriteBytes());
    }
  }

  @Test
  void halfCloseWorksInBothDirections() throws Exception {
    Sink serverSink = new Sink();
    Capture serverSide = new Capture(s -> s.pipeline().addLast(serverSink));
    try (YamuxPair p = new YamuxPair(quiet().build(), serverSide, new Capture(s -> {}))) {
      Sink clientSink = new Sink();
      YamuxStream c = p.client.openStream(clientSink).get(10, TimeUnit.SECONDS);
      c.writeAndFlush(Unpooled.copiedBuffer("request", StandardCharsets.UTF_8));
      c.shutdownOutput().sync();
      await().atMost(WAIT).until(() -> serverSink.inputShutdown);
      assertThat(serverSink.bytes()).asString(StandardCharsets.UTF_8).isEqualTo("request");
      YamuxStream s = serverSide.streams.get(0);
      assertThat(s.isInputShutdown()).isTrue();
      assertThat(s.isOutputShutdown()).isFalse();
      // the server can still answer after the client's half-close
      s.writeAndFlush(Unpooled.copiedBuffer("response", StandardCharsets.UTF_8)).sync();
      assertThat(clientSink.inputShutdown).isFalse();
      s.shutdownOutput().sync();
      await().atMost(WAIT).until(() -> clientSink.inputShutdown);
      assertThat(clientSink.bytes()).asString(StandardCharsets.UTF_8).isEqualTo("response");
      await().atMost(WAIT).until(() -> !c.isOpen() && !s.isOpen());
      await().atMost(WAIT).until(() -> onLoop(p.clientChannel, p.client::streamCount) == 0);
      assertThat(c.isReset()).isFalse();
    }
  }

  @Test
  void resetReachesTheRemote() throws Exception {
    Sink serverSink = new Sink();
    Capture serverSide = new Capture(s -> s.pipeline().addLast(serverSink));
    try (YamuxPair p = new YamuxPair(quiet().build(), serverSide, new Capture(s -> {}))) {
      YamuxStream c = p.client.openStream(new Sink()).get(10, TimeUnit.SECONDS);
      c.writeAndFlush(Unpooled.copiedBuffer("x", StandardCharsets.UTF_8)).sync();
      await().atMost(WAIT).until(() -> serverSink.bytes().length == 1);
      YamuxStream s = serverSide.streams.get(0);
      c.reset().sync();
      s.closeFuture().await(10, TimeUnit.SECONDS);
      assertThat(s.isOpen()).isFalse();
      assertThat(s.isReset()).isTrue();
      assertThat(serverSink.inputShutdown).isFalse();
      await().atMost(WAIT).until(() -> onLoop(p.clientChannel, p.server::streamCount) == 0);
    }
  }

  @Test
  void slowReaderHoldsBackTheSenderWithBoundedBuffers() throws Exception {
    PatternChecker checker = new PatternChecker();
    Capture serverSide =
        new Capture(
            s -> {
              s.config().setAutoRead(false);
              s.pipeline().addLast(checker);
            });
    YamuxConfig config = quiet().maxPendingWriteBytes(256 * 1024).build();
    long total = 8L * 1024 * 1024;
    try (YamuxPair p = new YamuxPair(config, serverSide, new Capture(s -> {}))) {
      PatternWriter writer = new PatternWriter(total, 16 * 1024);
      YamuxStream c = p.client.openStream(writer).get(10, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> onLoop(c, c::sendWindow) == 0L && !c.isWritable());
      YamuxStream s = serverSide.streams.get(0);
      // the reader has not read: nothing delivered, exactly one window is buffered on its side
      assertThat(checker.received.get()).isZero();
      assertThat(onLoop(s, s::recvWindow)).isZero();
      assertThat(writer.maxPending.get()).isLessThanOrEqualTo(config.maxPendingWriteBytes());
      long pendingBefore = c.pendingWriteBytes();
      assertThat(pendingBefore).isLessThanOrEqualTo(config.maxPendingWriteBytes());
      // one read releases credit and the transfer continues step by step
      s.read();
      await().atMost(WAIT).until(() -> checker.received.get() == 256 * 1024);
      s.config().setAutoRead(true);
      assertThat(checker.done.get(60, TimeUnit.SECONDS)).isEqualTo(total);
      assertThat(writer.maxPending.get()).isLessThanOrEqualTo(config.maxPendingWriteBytes());
    }
  }

  @Test
  void receiveWindowGrowsWhenTheRemoteIsFasterThanTheRoundTrip() throws Exception {
    PatternChecker checker = new PatternChecker();
    Capture serverSide = new Capture(s -> s.pipeline().addLast(checker));
    // A frozen clock: every window drains "within two round trips", so each update grows the
    // window.
    YamuxConfig config = quiet().nanoTicker(() -> 1_000L).build();
    try (YamuxPair p = new YamuxPair(config, serverSide, new Capture(s -> {}))) {
      await().atMost(WAIT).until(() -> p.server.rtt() != null);
      p.client
          .openStream(new PatternWriter(16L * 1024 * 1024, 64 * 1024))
          .get(10, TimeUnit.SECONDS);
      assertThat(checker.done.get(60, TimeUnit.SECONDS)).isEqualTo(16L * 1024 * 1024);
      YamuxStream s = serverSide.streams.get(0);
      assertThat(s.receiveWindowLimit()).isGreaterThan(256 * 1024);
      assertThat(s.receiveWindowLimit()).isLessThanOrEqualTo(config.maxWindow());
    }
  }

  @Test
  void windowStaysAtTheInitialSizeWithoutAutoTuning() throws Exception {
    PatternChecker checker = new PatternChecker();
    Capture serverSide = new Capture(s -> s.pipeline().addLast(checker));
    YamuxConfig config = quiet().nanoTicker(() -> 1_000L).autoTune(false).build();
    try (YamuxPair p = new YamuxPair(config, serverSide, new Capture(s -> {}))) {
      p.client.openStream(new PatternWriter(4L * 1024 * 1024, 64 * 1024)).get(10, TimeUnit.SECONDS);
      assertThat(checker.done.get(60, TimeUnit.SECONDS)).isEqualTo(4L * 1024 * 1024);
      assertThat(serverSide.streams.get(0).receiveWindowLimit()).isEqualTo(256 * 1024);
    }
  }

  @Test
  void pingMeasuresTheRoundTrip() throws Exception {
    try (YamuxPair p = new YamuxPair(quiet().build(), new Capture(s -> {}), new Capture(s -> {}))) {
      Duration rtt = p.client.ping().get(10, TimeUnit.SECONDS);
      assertThat(rtt).isPositive().isLessThan(Duration.ofSeconds(10));
      assertThat(p.client.rtt()).isNotNull();
    }
  }

  @Test
  void goAwayStopsNewStreamsButNotOpenOnes() throws Exception {
    Sink serverSink = new Sink();
    Capture serverSide = new Capture(s -> s.pipeline().addLast(serverSink));
    try (YamuxPair p = new YamuxPair(quiet().build(), serverSide, new Capture(s -> {}))) {
      YamuxStream before = p.client.openStream(new Sink()).get(10, TimeUnit.SECONDS);
      p.server.goAway();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                CompletableFuture<YamuxStream> f = p.client.openStream(new Sink());
                assertThat(f)
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(ConnectionClosedException.class);
              });
      before.writeAndFlush(Unpooled.copiedBuffer("still here", StandardCharsets.UTF_8)).sync();
      await().atMost(WAIT).until(() -> serverSink.bytes().length == 10);
      assertThat(p.clientChannel.isActive()).isTrue();
    }
  }

  @Test
  void closingTheConnectionClosesEveryStream() throws Exception {
    Capture serverSide = new Capture(s -> {});
    try (YamuxPair p = new YamuxPair(quiet().build(), serverSide, new Capture(s -> {}))) {
      YamuxStream c = p.client.openStream(new Sink()).get(10, TimeUnit.SECONDS);
      c.writeAndFlush(Unpooled.copiedBuffer("x", StandardCharsets.UTF_8)).sync();
      await().atMost(WAIT).until(() -> serverSide.streams.size() == 1);
      p.clientChannel.close().sync();
      c.closeFuture().await(10, TimeUnit.SECONDS);
      serverSide.streams.get(0).closeFuture().await(10, TimeUnit.SECONDS);
      assertThat(c.isOpen()).isFalse();
      assertThat(serverSide.streams.get(0).isOpen()).isFalse();
      assertThat(p.server.closeFuture().get(10, TimeUnit.SECONDS)).isNull();
      assertThat(((DuplexChannel) c).isShutdown()).isTrue();
    }
  }
}
