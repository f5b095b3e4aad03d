package org.lotusia.libp2p.internal.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lotusia.libp2p.internal.yamux.YamuxFrames.*;
import static org.lotusia.libp2p.internal.yamux.YamuxTestSupport.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.ProtocolViolationException;

/**
 * Every protocol violation closes the session with GoAway(protocol error), fails the close future
 * and the streams with {@link ProtocolViolationException} naming the problem, and leaks nothing.
 */
class YamuxViolationTest {

  final List<YamuxStream> accepted = new ArrayList<>();
  boolean autoRead = true;
  EmbeddedChannel ch;
  YamuxHandler handler;

  @ChannelHandler.Sharable
  final class Accept extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel c) {
      accepted.add((YamuxStream) c);
      c.config().setAutoRead(autoRead);
      c.pipeline().addLast(new Sink());
    }
  }

  void server(YamuxConfig config) {
    handler = new YamuxHandler(false, config, new Accept());
    ch = new EmbeddedChannel(handler);
    frames(ch);
  }

  @AfterEach
  void tearDown() {
    ch.finishAndReleaseAll();
  }

  /**
   * Feeds {@code input} and checks the session ended with a violation whose message has {@code
   * text}.
   */
  void assertViolation(String text, ByteBuf... input) {
    for (ByteBuf b : input) {
      ch.writeInbound(b);
    }
    List<Frame> out = frames(ch);
    assertThat(out).contains(new Frame(0, TYPE_GO_AWAY, 0, 0, GO_AWAY_PROTOCOL_ERROR, ""));
    assertThat(ch.isOpen()).isFalse();
    assertThat(handler.closeFuture()).isCompletedExceptionally();
    try {
      handler.closeFuture().get();
    } catch (ExecutionException e) {
      assertThat(e.getCause())
          .isInstanceOf(ProtocolViolationException.class)
          .hasMessageContaining(text);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void badVersion() {
    server(quiet().build());
    assertViolation("unsupported version 1", frame(1, TYPE_PING, FLAG_SYN, 0, 1));
  }

  @Test
  void unknownType() {
    server(quiet().build());
    assertViolation("unknown frame type 4", frame(0, 4, 0, 0, 0));
  }

  @Test
  void unknownFlags() {
    server(quiet().build());
    assertViolation("unknown flags 0x10", frame(TYPE_WINDOW_UPDATE, 0x10, 1, 0));
  }

  @Test
  void synWithAck() {
    server(quiet().build());
    assertViolation(
        "invalid flag combination", frame(TYPE_WINDOW_UPDATE, FLAG_SYN | FLAG_ACK, 1, 0));
  }

  @Test
  void synWithRst() {
    server(quiet().build());
    assertViolation("invalid flag combination", frame(TYPE_DATA, FLAG_SYN | FLAG_RST, 1, 0));
  }

  @Test
  void dataBeyondTheReceiveWindow() {
    server(quiet().build());
    // the header alone is refused; the 256 KiB + 1 payload never needs to arrive
    assertViolation(
        "exceed the receive window of 262144",
        frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0),
        frame(TYPE_DATA, 0, 1, DEFAULT_WINDOW + 1));
  }

  @Test
  void dataBeyondTheWindowAcrossFramesWhenTheReaderIsSlow() {
    autoRead = false;
    server(quiet().build());
    ch.writeInbound(
        frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0), data(0, 1, new byte[DEFAULT_WINDOW - 10]));
    assertThat(ch.isOpen()).isTrue();
    assertViolation("20 bytes exceed the receive window of 10", data(0, 1, new byte[20]));
  }

  @Test
  void dataForAStreamNeverOpened() {
    server(quiet().build());
    assertViolation("never opened", data(0, 5, new byte[] {1}));
  }

  @Test
  void windowUpdateForAnOwnStreamIdNeverOpened() {
    server(quiet().build());
    assertViolation("never opened", frame(TYPE_WINDOW_UPDATE, 0, 2, 10));
  }

  @Test
  void synForAnExistingStream() {
    server(quiet().build());
    assertViolation(
        "already opened",
        frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0),
        frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
  }

  @Test
  void synReusingAClosedId() {
    server(quiet().build());
    assertViolation(
        "already opened",
        frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 5, 0),
        frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 3, 0));
  }

  @Test
  void synWithTheWrongParity() {
    server(quiet().build());
    assertViolation("wrong parity", frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 2, 0));
  }

  @Test
  void streamIdZero() {
    server(quiet().build());
    assertViolation("stream id 0 is reserved", data(0, 0, new byte[] {1}));
  }

  @Test
  void oversizedFrame() {
    server(quiet().maxFrameLength(4096).build());
    assertViolation(
        "exceeds the frame limit of 4096",
        frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0),
        frame(TYPE_DATA, 0, 1, 4097));
  }

  @Test
  void windowOverflow() {
    server(quiet().build());
    assertViolation(
        "overflows the send window",
        frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0),
        frame(TYPE_WINDOW_UPDATE, 0, 1, 0xFFFF_FFFFL));
  }

  @Test
  void unrequestedPingAnswer() {
    server(quiet().build());
    assertViolation("never sent", frame(TYPE_PING, FLAG_ACK, 0, 999_999));
  }

  @Test
  void pingOnAStream() {
    server(quiet().build());
    assertViolation("must be 0", frame(TYPE_PING, FLAG_SYN, 1, 1));
  }

  @Test
  void pingWithoutSynOrAck() {
    server(quiet().build());
    assertViolation("invalid flags", frame(TYPE_PING, 0, 0, 1));
  }

  @Test
  void goAwayOnAStream() {
    server(quiet().build());
    assertViolation("must be 0", frame(TYPE_GO_AWAY, 0, 3, 0));
  }

  @Test
  void violationInTheMiddleOfDataFailsStreamsAndPendingWork() {
    server(quiet().build());
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
    YamuxStream s = accepted.get(0);
    ChannelFuture w1 = s.write(Unpooled.wrappedBuffer(new byte[DEFAULT_WINDOW]));
    ChannelFuture pending = s.writeAndFlush(Unpooled.wrappedBuffer(new byte[5000]));
    CompletableFuture<Duration> ping = handler.ping();
    CompletableFuture<YamuxStream> open = handler.openStream(new Sink());
    ch.runPendingTasks();
    assertThat(w1.isSuccess()).isTrue();
    ByteBuf half = data(0, 1, new byte[100]);
    ByteBuf bad = frame(7, 0, 0, 0, 0);
    ByteBuf both = Unpooled.wrappedBuffer(half, bad);
    assertViolation("unsupported version 7", both);
    assertThat(s.isOpen()).isFalse();
    assertThat(pending.cause()).isInstanceOf(ProtocolViolationException.class);
    assertThat(ping).isCompletedExceptionally();
    assertThat(open.join().isOpen()).isFalse();
    // input after the violation is dropped without leaks
    assertThat(ch.isOpen()).isFalse();
  }

  /**
   * Found by {@link YamuxFrameFuzzTest} (its crash-daaafef4 input): data sent after the remote's
   * FIN used to reach the stream's reader after the end of the stream.
   */
  @Test
  void dataAfterTheRemotesFinResetsOnlyThatStream() {
    server(quiet().build());
    ch.writeInbound(
        data(FLAG_SYN, 1, "first".getBytes()), frame(TYPE_WINDOW_UPDATE, FLAG_FIN, 1, 0));
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 3, 0));
    YamuxStream s = accepted.get(0);
    Sink sink = s.pipeline().get(Sink.class);
    assertThat(sink.inputShutdown).isTrue();
    frames(ch);

    ch.writeInbound(data(0, 1, "after the end".getBytes()), data(0, 3, "other".getBytes()));
    ch.runPendingTasks();

    assertThat(new String(sink.bytes())).isEqualTo("first");
    assertThat(s.isReset()).isTrue();
    assertThat(frames(ch)).contains(new Frame(0, TYPE_WINDOW_UPDATE, FLAG_RST, 1, 0, ""));
    assertThat(ch.isOpen()).as("the session goes on").isTrue();
    assertThat(new String(accepted.get(1).pipeline().get(Sink.class).bytes())).isEqualTo("other");
    assertThat(handler.closeFuture()).isNotDone();
  }
}
