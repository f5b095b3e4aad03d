package org.lotusia.libp2p.internal.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lotusia.libp2p.internal.yamux.YamuxFrames.*;
import static org.lotusia.libp2p.internal.yamux.YamuxTestSupport.*;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.StreamResetException;

/**
 * Framing and stream semantics of one {@link YamuxHandler} driven through an {@link
 * EmbeddedChannel}.
 */
class YamuxHandlerTest {

  final List<YamuxStream> accepted = new ArrayList<>();
  final List<Sink> sinks = new ArrayList<>();
  EmbeddedChannel ch;
  YamuxHandler handler;

  @ChannelHandler.Sharable
  final class Accept extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel c) {
      Sink s = new Sink();
      sinks.add(s);
      accepted.add((YamuxStream) c);
      c.pipeline().addLast(s);
    }
  }

  /** A server-side session; the remote (the test) is the client and uses odd ids. */
  void server(YamuxConfig config) {
    handler = new YamuxHandler(false, config, new Accept());
    ch = new EmbeddedChannel(handler);
    List<Frame> start = frames(ch);
    assertThat(start)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.type()).isEqualTo(TYPE_PING);
              assertThat(f.flags()).isEqualTo(FLAG_SYN);
            });
  }

  @AfterEach
  void tearDown() {
    if (ch != null) {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void inboundStreamIsAckedWithItsFirstFrameAndCarriesDataBothWays() {
    server(quiet().build());
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
    // the spec asks to acknowledge only when the application sends
    assertThat(frames(ch)).isEmpty();
    assertThat(accepted).hasSize(1);
    YamuxStream s = accepted.get(0);
    assertThat(s.streamId()).isEqualTo(1);
    assertThat(s.isActive()).isTrue();

    ch.writeInbound(data(0, 1, "hello".getBytes(StandardCharsets.UTF_8)));
    assertThat(sinks.get(0).bytes()).asString(StandardCharsets.UTF_8).isEqualTo("hello");

    s.writeAndFlush(Unpooled.copiedBuffer("world", StandardCharsets.UTF_8));
    ch.runPendingTasks();
    List<Frame> out = frames(ch);
    assertThat(out).hasSize(1);
    assertThat(out.get(0)).isEqualTo(new Frame(0, TYPE_DATA, FLAG_ACK, 1, 5, "world"));
  }

  @Test
  void streamOpenedWhileTheConnectionIsUnwritableStartsUnwritable() {
    server(quiet().build());
    // a bulk transfer fills the connection: bytes queued beyond the high-water mark
    ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
    ch.write(Unpooled.wrappedBuffer(new byte[64]));
    assertThat(ch.isWritable()).isFalse();

    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
    assertThat(ch.isOpen()).as("the session survives the new stream").isTrue();
    assertThat(accepted).singleElement().satisfies(s -> assertThat(s.isWritable()).isFalse());

    ch.flush();
    ch.runPendingTasks();
    assertThat(accepted.get(0).isWritable()).isTrue();
  }

  @Test
  void largerInitialWindowIsAnnouncedInTheAck() {
    server(quiet().initialWindow(1024 * 1024).maxWindow(1024 * 1024).build());
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
    assertThat(frames(ch)).isEmpty();
    accepted.get(0).writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
    ch.runPendingTasks();
    assertThat(frames(ch))
        .containsExactly(
            new Frame(0, TYPE_WINDOW_UPDATE, FLAG_ACK, 1, 1024 * 1024 - DEFAULT_WINDOW, ""),
            new Frame(0, TYPE_DATA, 0, 1, 1, "\u0001"));
  }

  @Test
  void synCarriedByADataFrameDeliversItsPayload() {
    server(quiet().build());
    ch.writeInbound(data(FLAG_SYN, 3, new byte[] {1, 2, 3}));
    assertThat(sinks.get(0).bytes()).containsExactly(1, 2, 3);
  }

  @Test
  void framesSplitIntoSingleBytesAreDecoded() {
    server(quiet().build());
    var all = Unpooled.buffer();
    all.writeBytes(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
    all.writeBytes(data(0, 1, "abc".getBytes(StandardCharsets.UTF_8)));
    all.writeBytes(data(FLAG_FIN, 1, "def".getBytes(StandardCharsets.UTF_8)));
    while (all.isReadable()) {
      ch.writeInbound(all.readRetainedSlice(1));
    }
    all.release();
    assertThat(sinks.get(0).bytes()).asString(StandardCharsets.UTF_8).isEqualTo("abcdef");
    assertThat(sinks.get(0).inputShutdown).isTrue();
  }

  @Test
  void inboundFinFiresInputShutdownAfterTheData() {
    server(quiet().build());
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0), data(FLAG_FIN, 1, new byte[] {9}));
    Sink sink = sinks.get(0);
    assertThat(sink.bytes()).containsExactly(9);
    assertThat(sink.events.get(0)).isSameAs(ChannelInputShutdownEvent.INSTANCE);
    YamuxStream s = accepted.get(0);
    assertThat(s.isInputShutdown()).isTrue();
    assertThat(s.isOpen()).isTrue();
    frames(ch);
    // our half-close after theirs: both directions are done, the stream closes and leaves the map
    s.shutdownOutput();
    ch.runPendingTasks();
    assertThat(frames(ch)).containsExactly(new Frame(0, TYPE_DATA, FLAG_FIN | FLAG_ACK, 1, 0, ""));
    assertThat(s.isOpen()).isFalse();
    assertThat(handler.streamCount()).isZero();
  }

  @Test
  void inboundRstFailsPendingWritesWithStreamReset() throws Exception {
    server(quiet().build());
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
    frames(ch);
    YamuxStream s = accepted.get(0);
    ChannelFuture first = s.write(Unpooled.wrappedBuffer(new byte[DEFAULT_WINDOW]));
    ChannelFuture pending = s.writeAndFlush(Unpooled.wrappedBuffer(new byte[1000]));
    ch.runPendingTasks();
    assertThat(first.isSuccess()).isTrue();
    assertThat(pending.isDone()).isFalse();
    assertThat(s.sendWindow()).isZero();
    assertThat(s.isWritable()).isFalse();
    int sent = frames(ch).stream().mapToInt(f -> f.data().length()).sum();
    assertThat(sent).isEqualTo(DEFAULT_WINDOW);

    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_RST, 1, 0));
    ch.runPendingTasks();
    assertThat(pending.cause()).isInstanceOf(StreamResetException.class);
    assertThat(s.isOpen()).isFalse();
    assertThat(s.isReset()).isTrue();
    assertThat(handler.streamCount()).isZero();
  }

  @Test
  void windowUpdateReleasesQueuedData() {
    server(quiet().build());
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
    frames(ch);
    YamuxStream s = accepted.get(0);
    s.writeAndFlush(Unpooled.wrappedBuffer(new byte[DEFAULT_WINDOW + 500]));
    ch.runPendingTasks();
    assertThat(frames(ch).stream().mapToInt(f -> f.data().length()).sum())
        .isEqualTo(DEFAULT_WINDOW);
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, 0, 1, 200));
    ch.runPendingTasks();
    assertThat(frames(ch).stream().mapToInt(f -> f.data().length()).sum()).isEqualTo(200);
    assertThat(s.isWritable()).isFalse();
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, 0, 1, 10_000));
    ch.runPendingTasks();
    assertThat(frames(ch).stream().mapToInt(f -> f.data().length()).sum()).isEqualTo(300);
    assertThat(s.isWritable()).isTrue();
  }

  @Test
  void pendingWritesAreBounded() {
    server(quiet().maxPendingWriteBytes(64 * 1024).build());
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
    YamuxStream s = accepted.get(0);
    ChannelFuture ok = s.writeAndFlush(Unpooled.wrappedBuffer(new byte[DEFAULT_WINDOW + 60_000]));
    ch.runPendingTasks();
    assertThat(ok.isSuccess()).isFalse(); // too big in one piece
    assertThat(ok.cause())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pending-write");
    for (int i = 0; i < 4; i++) {
      assertThat(s.writeAndFlush(Unpooled.wrappedBuffer(new byte[DEFAULT_WINDOW / 4])).isSuccess())
          .isTrue();
    }
    assertThat(s.sendWindow()).isZero();
    ChannelFuture queued = s.writeAndFlush(Unpooled.wrappedBuffer(new byte[60_000]));
    ChannelFuture over = s.writeAndFlush(Unpooled.wrappedBuffer(new byte[10_000]));
    ch.runPendingTasks();
    assertThat(queued.cause()).isNull();
    assertThat(queued.isDone()).isFalse();
    assertThat(over.cause()).isInstanceOf(IllegalStateException.class);
    assertThat(s.pendingWriteBytes()).isLessThanOrEqualTo(64 * 1024);
  }

  @Test
  void closeSendsFinAndResetsAfterTheCloseTimeout() {
    server(quiet().closeTimeout(Duration.ofSeconds(5)).build());
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
    frames(ch);
    YamuxStream s = accepted.get(0);
    s.close();
    ch.runPendingTasks();
    assertThat(frames(ch)).containsExactly(new Frame(0, TYPE_DATA, FLAG_FIN | FLAG_ACK, 1, 0, ""));
    assertThat(handler.streamCount()).isOne();
    // data that still arrives is dropped, and is not a violation
    ch.writeInbound(data(0, 1, new byte[] {1}));
    ch.advanceTimeBy(6, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(frames(ch)).containsExactly(new Frame(0, TYPE_WINDOW_UPDATE, FLAG_RST, 1, 0, ""));
    assertThat(handler.streamCount()).isZero();
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void closeWithUnsentDataResetsInsteadOfFinishing() {
    server(quiet().build());
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
    YamuxStream s = accepted.get(0);
    for (int i = 0; i < 5; i++) {
      s.writeAndFlush(Unpooled.wrappedBuffer(new byte[DEFAULT_WINDOW / 4]));
    }
    ch.runPendingTasks();
    frames(ch);
    s.close();
    ch.runPendingTasks();
    assertThat(frames(ch)).containsExactly(new Frame(0, TYPE_WINDOW_UPDATE, FLAG_RST, 1, 0, ""));
    assertThat(s.isReset()).isTrue();
    assertThat(handler.streamCount()).isZero();
  }

  @Test
  void closeAfterRemoteFinRemovesTheStreamAtOnce() {
    server(quiet().build());
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
    YamuxStream s = accepted.get(0);
    s.close();
    ch.runPendingTasks();
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_FIN, 1, 0));
    assertThat(handler.streamCount()).isZero();
  }

  @Test
  void localResetSendsRst() {
    server(quiet().build());
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
    frames(ch);
    YamuxStream s = accepted.get(0);
    s.reset();
    ch.runPendingTasks();
    assertThat(frames(ch)).containsExactly(new Frame(0, TYPE_WINDOW_UPDATE, FLAG_RST, 1, 0, ""));
    assertThat(s.isOpen()).isFalse();
    assertThat(handler.streamCount()).isZero();
  }

  @Test
  void framesForARecentlyClosedStreamAreIgnored() {
    server(quiet().build());
    ch.writeInbound(
        frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0), frame(TYPE_WINDOW_UPDATE, FLAG_RST, 1, 0));
    assertThat(handler.streamCount()).isZero();
    ch.writeInbound(data(0, 1, new byte[] {1, 2}), frame(TYPE_WINDOW_UPDATE, 0, 1, 100));
    assertThat(ch.isOpen()).isTrue();
    assertThat(handler.closeFuture()).isNotDone();
  }

  @Test
  void streamsBeyondTheLimitAreReset() {
    server(quiet().maxInboundStreams(2).build());
    ch.writeInbound(
        frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0), frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 3, 0));
    frames(ch);
    ch.writeInbound(data(FLAG_SYN, 5, new byte[] {7}));
    assertThat(frames(ch)).containsExactly(new Frame(0, TYPE_WINDOW_UPDATE, FLAG_RST, 5, 0, ""));
    assertThat(accepted).hasSize(2);
    assertThat(ch.isOpen()).isTrue();
    // after one closes, a new one fits
    ch.writeInbound(
        frame(TYPE_WINDOW_UPDATE, FLAG_RST, 1, 0), frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 7, 0));
    assertThat(accepted).hasSize(3);
  }

  @Test
  void pingIsAnsweredWithTheSameOpaqueValue() {
    server(quiet().build());
    ch.writeInbound(frame(TYPE_PING, FLAG_SYN, 0, 0xDEADBEEFL));
    assertThat(frames(ch)).containsExactly(new Frame(0, TYPE_PING, FLAG_ACK, 0, 0xDEADBEEFL, ""));
  }

  @Test
  void aPingThatArrivesWhileTheConnectionIsUnwritableIsAnsweredWhenItDrains() {
    // The remote's keep-alive closes the connection when its ping stays unanswered for an
    // interval; a bulk sender is unwritable most of the time, so the answer must wait, not vanish.
    server(quiet().build());
    ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
    ch.write(data(0, 2, new byte[64])); // queued stream data above the high-water mark
    assertThat(ch.isWritable()).isFalse();
    ch.writeInbound(frame(TYPE_PING, FLAG_SYN, 0, 41), frame(TYPE_PING, FLAG_SYN, 0, 42));
    ch.flush(); // the connection drains
    ch.runPendingTasks();
    assertThat(ch.isWritable()).isTrue();
    assertThat(frames(ch))
        .containsExactly(
            new Frame(0, TYPE_DATA, 0, 2, 64, new String(new byte[64], StandardCharsets.ISO_8859_1)),
            new Frame(0, TYPE_PING, FLAG_ACK, 0, 41, ""),
            new Frame(0, TYPE_PING, FLAG_ACK, 0, 42, ""));
    // and once writable, answers go out at once again, after the deferred ones
    ch.writeInbound(frame(TYPE_PING, FLAG_SYN, 0, 43));
    assertThat(frames(ch)).containsExactly(new Frame(0, TYPE_PING, FLAG_ACK, 0, 43, ""));
  }

  @Test
  void aPingFloodWhileNotReadingQueuesAtMostMaxOutstandingPingsAnswers() {
    // attack: the remote sends pings but never reads, so the connection stays unwritable
    server(quiet().maxOutstandingPings(4).build());
    ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
    ch.write(data(0, 2, new byte[64]));
    for (int i = 1; i <= 4; i++) {
      ch.writeInbound(frame(TYPE_PING, FLAG_SYN, 0, i));
    }
    long pendingWithFourAnswers = ch.unsafe().outboundBuffer().totalPendingWriteBytes();
    for (int i = 5; i <= 10_000; i++) {
      ch.writeInbound(frame(TYPE_PING, FLAG_SYN, 0, i));
    }
    assertThat(ch.isOpen()).isTrue();
    assertThat(ch.unsafe().outboundBuffer().totalPendingWriteBytes())
        .as("nothing queued for the flood beyond the bounded answers")
        .isEqualTo(pendingWithFourAnswers);
    ch.flush();
    ch.runPendingTasks();
    List<Frame> out = frames(ch);
    assertThat(out.subList(1, out.size()))
        .containsExactly(
            new Frame(0, TYPE_PING, FLAG_ACK, 0, 1, ""),
            new Frame(0, TYPE_PING, FLAG_ACK, 0, 2, ""),
            new Frame(0, TYPE_PING, FLAG_ACK, 0, 3, ""),
            new Frame(0, TYPE_PING, FLAG_ACK, 0, 4, ""));
  }

  @Test
  void pingMeasuresTheRoundTrip() throws Exception {
    server(quiet().build());
    CompletableFuture<Duration> rtt = handler.ping();
    ch.runPendingTasks();
    Frame sent = frames(ch).get(0);
    assertThat(sent.type()).isEqualTo(TYPE_PING);
    assertThat(rtt).isNotDone();
    ch.writeInbound(frame(TYPE_PING, FLAG_ACK, 0, sent.length()));
    assertThat(rtt.get().isNegative()).isFalse();
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void pingTimesOutAndALateAnswerIsNoViolation() {
    server(quiet().pingTimeout(Duration.ofSeconds(5)).build());
    CompletableFuture<Duration> rtt = handler.ping();
    ch.runPendingTasks();
    Frame sent = frames(ch).get(0);
    ch.advanceTimeBy(6, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(rtt)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(java.util.concurrent.TimeoutException.class);
    ch.writeInbound(frame(TYPE_PING, FLAG_ACK, 0, sent.length()));
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void keepAliveClosesADeadConnection() {
    server(quiet().keepAliveInterval(Duration.ofSeconds(10)).build());
    ch.writeInbound(frame(TYPE_PING, FLAG_ACK, 0, 1)); // answer the initial RTT ping
    ch.advanceTimeBy(10, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    Frame ka = frames(ch).get(0);
    assertThat(ka.type()).isEqualTo(TYPE_PING);
    ch.writeInbound(frame(TYPE_PING, FLAG_ACK, 0, ka.length()));
    ch.advanceTimeBy(10, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isTrue();
    ch.advanceTimeBy(10, TimeUnit.SECONDS); // second keep-alive ping was never answered
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void outboundStreamsUseOddIdsOnTheClientAndWaitForAckBacklog() throws Exception {
    handler = new YamuxHandler(true, quiet().ackBacklog(2).build(), new Accept());
    ch = new EmbeddedChannel(handler);
    frames(ch);
    Sink sink = new Sink();
    CompletableFuture<YamuxStream> a = handler.openStream(sink);
    CompletableFuture<YamuxStream> b = handler.openStream(new Sink());
    CompletableFuture<YamuxStream> c = handler.openStream(new Sink());
    ch.runPendingTasks();
    assertThat(a.get().streamId()).isEqualTo(1);
    assertThat(b.get().streamId()).isEqualTo(3);
    assertThat(c).isNotDone();
    assertThat(frames(ch))
        .extracting(Frame::streamId, Frame::flags)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, FLAG_SYN),
            org.assertj.core.groups.Tuple.tuple(3, FLAG_SYN));
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_ACK, 1, 0));
    assertThat(c.get().streamId()).isEqualTo(5);
    ch.writeInbound(data(0, 1, new byte[] {4, 2}));
    assertThat(sink.bytes()).containsExactly(4, 2);
  }

  @Test
  void refusedStreamFreesItsAckBacklogSlot() throws Exception {
    handler = new YamuxHandler(true, quiet().ackBacklog(1).build(), new Accept());
    ch = new EmbeddedChannel(handler);
    CompletableFuture<YamuxStream> a = handler.openStream(new Sink());
    CompletableFuture<YamuxStream> b = handler.openStream(new Sink());
    ch.runPendingTasks();
    assertThat(a).isCompleted();
    assertThat(b).isNotDone();
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_RST, 1, 0)); // the remote refuses stream 1
    assertThat(a.get().isReset()).isTrue();
    assertThat(b.get().streamId()).isEqualTo(3);
  }

  @Test
  void inboundGoAwayFailsPendingAndNewOpens() {
    handler = new YamuxHandler(true, quiet().ackBacklog(1).build(), new Accept());
    ch = new EmbeddedChannel(handler);
    CompletableFuture<YamuxStream> a = handler.openStream(new Sink());
    CompletableFuture<YamuxStream> pending = handler.openStream(new Sink());
    ch.runPendingTasks();
    assertThat(a).isCompleted();
    ch.writeInbound(frame(TYPE_GO_AWAY, 0, 0, GO_AWAY_NORMAL));
    assertThat(pending).isCompletedExceptionally();
    CompletableFuture<YamuxStream> later = handler.openStream(new Sink());
    ch.runPendingTasks();
    assertThat(later)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(ConnectionClosedException.class);
    assertThat(a.join().isOpen()).isTrue();
  }

  @Test
  void closingTheConnectionSendsGoAwayAndClosesStreams() {
    server(quiet().build());
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
    frames(ch);
    YamuxStream s = accepted.get(0);
    ch.close();
    assertThat(frames(ch)).contains(new Frame(0, TYPE_GO_AWAY, 0, 0, GO_AWAY_NORMAL, ""));
    ch.runPendingTasks();
    assertThat(s.isOpen()).isFalse();
    assertThat(handler.closeFuture()).isCompleted();
  }

  @Test
  void localGoAwayRefusesNewInboundStreams() {
    server(quiet().build());
    handler.goAway();
    ch.runPendingTasks();
    assertThat(frames(ch)).containsExactly(new Frame(0, TYPE_GO_AWAY, 0, 0, GO_AWAY_NORMAL, ""));
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
    assertThat(frames(ch)).containsExactly(new Frame(0, TYPE_WINDOW_UPDATE, FLAG_RST, 1, 0, ""));
    assertThat(accepted).isEmpty();
  }
}
