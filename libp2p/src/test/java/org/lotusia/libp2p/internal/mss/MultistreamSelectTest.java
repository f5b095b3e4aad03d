package org.lotusia.libp2p.internal.mss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lotusia.libp2p.internal.mss.MssTestSupport.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.ProtocolNotSupportedException;
import org.lotusia.libp2p.ProtocolViolationException;

class MultistreamSelectTest {

  private final Recorder recorder = new Recorder();
  private final List<String> installed = new ArrayList<>();

  private ProtocolInstaller installer() {
    return (p, pipeline) -> {
      installed.add(p);
      pipeline.addLast(recorder);
    };
  }

  private static Throwable failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.get();
      throw new AssertionError("not failed");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void initiatorSendsHeaderWithFirstProposalAndFallsBackOnNa() {
    MultistreamSelect mss =
        MultistreamSelect.initiator(List.of("/a/1", "/b/1"), installer(), MssConfig.DEFAULT);
    EmbeddedChannel ch = new EmbeddedChannel(mss);
    assertThat(outbound(ch)).isEqualTo(bytes(msgs(MultistreamSelect.HEADER, "/a/1")));

    ch.writeInbound(msgs(MultistreamSelect.HEADER, "na"));
    assertThat(outbound(ch)).isEqualTo(bytes(msgs("/b/1")));
    assertThat(mss.selected()).isNotDone();

    ByteBuf answer = msgs("/b/1");
    answer.writeBytes("hello".getBytes(StandardCharsets.UTF_8));
    ch.writeInbound(answer);
    ch.writeInbound(Unpooled.copiedBuffer(" world", StandardCharsets.UTF_8));

    assertThat(mss.selected()).isCompletedWithValue("/b/1");
    assertThat(installed).containsExactly("/b/1");
    assertThat(ch.pipeline().get(MultistreamSelect.class)).isNull();
    assertThat(recorder.data.toString(StandardCharsets.UTF_8)).isEqualTo("hello world");
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void responderAnswersNaThenEchoesAndForwardsCoalescedLeftoverInOrder() {
    MultistreamSelect mss =
        MultistreamSelect.responder(Set.of("/b/1"), installer(), MssConfig.DEFAULT);
    EmbeddedChannel ch = new EmbeddedChannel(mss);
    assertThat(outbound(ch)).isEmpty();

    ByteBuf in = msgs(MultistreamSelect.HEADER, "/a/1", "/b/1");
    in.writeBytes("payload-1".getBytes(StandardCharsets.UTF_8));
    ch.writeInbound(in);
    ch.writeInbound(Unpooled.copiedBuffer("|payload-2", StandardCharsets.UTF_8));

    assertThat(outbound(ch)).isEqualTo(bytes(msgs(MultistreamSelect.HEADER, "na", "/b/1")));
    assertThat(mss.selected()).isCompletedWithValue("/b/1");
    assertThat(recorder.data.toString(StandardCharsets.UTF_8)).isEqualTo("payload-1|payload-2");
    assertThat(recorder.events).containsExactly("read:9", "read:10");
    ch.finishAndReleaseAll();
  }

  @Test
  void handlesInputOneByteAtATime() {
    MultistreamSelect mss =
        MultistreamSelect.responder(p -> p.equals("/x"), installer(), MssConfig.DEFAULT);
    EmbeddedChannel ch = new EmbeddedChannel(mss);
    byte[] all = concat(bytes(msgs(MultistreamSelect.HEADER, "/x")), new byte[] {1, 2, 3});
    for (byte b : all) {
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertThat(mss.selected()).isCompletedWithValue("/x");
    assertThat(recorder.data.toByteArray()).containsExactly(1, 2, 3);
    assertThat(outbound(ch)).isEqualTo(bytes(msgs(MultistreamSelect.HEADER, "/x")));
    ch.finishAndReleaseAll();
  }

  @Test
  void initiatorFailsWhenEveryProposalIsRefused() {
    MultistreamSelect mss =
        MultistreamSelect.initiator(List.of("/a", "/b"), installer(), MssConfig.DEFAULT);
    EmbeddedChannel ch = new EmbeddedChannel(mss);
    ch.writeInbound(msgs(MultistreamSelect.HEADER, "na", "na"));
    assertThat(failure(mss.selected()))
        .isInstanceOf(ProtocolNotSupportedException.class)
        .hasMessageContaining("[/a, /b]");
    assertThat(ch.isOpen()).isFalse();
    assertThat(installed).isEmpty();
    ch.finishAndReleaseAll();
  }

  @Test
  void oversizedMessageIsAViolation() {
    MultistreamSelect mss =
        MultistreamSelect.responder(
            Set.of("/a"), installer(), MssConfig.DEFAULT.withMaxMessageLength(64));
    EmbeddedChannel ch = new EmbeddedChannel(mss);
    ByteBuf in = Unpooled.buffer();
    MssCodec.writeUvarint(in, 65);
    in.writeZero(3); // the prefix alone is enough to refuse; the body never needs to arrive
    ch.writeInbound(in);
    assertThat(failure(mss.selected()))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("exceeds the limit of 64");
    assertThat(ch.isOpen()).isFalse();
    ch.finishAndReleaseAll();
  }

  @Test
  void hugeVarintIsAViolationBeforeBuffering() {
    MultistreamSelect mss =
        MultistreamSelect.responder(Set.of("/a"), installer(), MssConfig.DEFAULT);
    EmbeddedChannel ch = new EmbeddedChannel(mss);
    ch.writeInbound(
        Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}));
    assertThat(failure(mss.selected())).isInstanceOf(ProtocolViolationException.class);
    ch.finishAndReleaseAll();
  }

  @Test
  void missingNewlineAndWrongHeaderAreViolations() {
    MultistreamSelect a = MultistreamSelect.responder(Set.of("/a"), installer(), MssConfig.DEFAULT);
    EmbeddedChannel ch = new EmbeddedChannel(a);
    ByteBuf in = Unpooled.buffer();
    MssCodec.writeUvarint(in, 3);
    in.writeBytes("abc".getBytes(StandardCharsets.US_ASCII));
    ch.writeInbound(in);
    assertThat(failure(a.selected())).hasMessageContaining("newline");
    ch.finishAndReleaseAll();

    MultistreamSelect b = MultistreamSelect.responder(Set.of("/a"), installer(), MssConfig.DEFAULT);
    EmbeddedChannel ch2 = new EmbeddedChannel(b);
    ch2.writeInbound(msgs("/multistream/2.0.0"));
    assertThat(failure(b.selected()))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("expected header");
    ch2.finishAndReleaseAll();
  }

  @Test
  void responderGivesUpAfterTooManyProposals() {
    MultistreamSelect mss =
        MultistreamSelect.responder(Set.of("/a"), installer(), MssConfig.DEFAULT.withMaxRounds(3));
    EmbeddedChannel ch = new EmbeddedChannel(mss);
    ch.writeInbound(msgs(MultistreamSelect.HEADER, "/x1", "/x2", "/x3"));
    assertThat(mss.selected()).isNotDone();
    ch.writeInbound(msgs("/x4"));
    assertThat(failure(mss.selected()))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("more than 3 proposals");
    assertThat(ch.isOpen()).isFalse();
    ch.finishAndReleaseAll();
  }

  @Test
  void negotiationTimesOut() {
    MultistreamSelect mss =
        MultistreamSelect.initiator(
            List.of("/a"), installer(), MssConfig.DEFAULT.withTimeout(Duration.ofSeconds(5)));
    EmbeddedChannel ch = new EmbeddedChannel(mss);
    ch.advanceTimeBy(4, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(mss.selected()).isNotDone();
    ch.advanceTimeBy(2, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(failure(mss.selected())).isInstanceOf(TimeoutException.class);
    assertThat(ch.isOpen()).isFalse();
    ch.finishAndReleaseAll();
  }

  @Test
  void closeDuringNegotiationFailsTheFuture() {
    MultistreamSelect mss =
        MultistreamSelect.initiator(List.of("/a"), installer(), MssConfig.DEFAULT);
    EmbeddedChannel ch = new EmbeddedChannel(mss);
    ch.writeInbound(msgs(MultistreamSelect.HEADER));
    ch.close();
    assertThat(failure(mss.selected())).isInstanceOf(ConnectionClosedException.class);
    ch.finishAndReleaseAll();
  }

  @Test
  void lsListsTheProtocols() {
    MultistreamSelect mss =
        MultistreamSelect.responder(List.of("/a", "/b"), installer(), MssConfig.DEFAULT);
    EmbeddedChannel ch = new EmbeddedChannel(mss);
    ch.writeInbound(msgs(MultistreamSelect.HEADER, "ls"));
    ByteBuf expected = msgs(MultistreamSelect.HEADER);
    ByteBuf body = msgs("/a", "/b");
    body.writeByte('\n');
    MssCodec.writeUvarint(expected, body.readableBytes());
    expected.writeBytes(body);
    body.release();
    assertThat(outbound(ch)).isEqualTo(bytes(expected));
    ch.finishAndReleaseAll();
  }

  @Test
  void lazyInitiatorInstallsAtOnceAndConfirmsLater() {
    MssConfig lazy = MssConfig.DEFAULT.withLazy(true);
    MultistreamSelect mss =
        MultistreamSelect.initiator(
            List.of("/echo"),
            (p, pipeline) -> {
              installed.add(p);
              pipeline.addLast(recorder);
              pipeline
                  .channel()
                  .writeAndFlush(Unpooled.copiedBuffer("first", StandardCharsets.UTF_8));
            },
            lazy);
    EmbeddedChannel ch = new EmbeddedChannel(mss);
    assertThat(installed).containsExactly("/echo");
    assertThat(mss.selected()).isNotDone();
    assertThat(outbound(ch))
        .isEqualTo(
            concat(
                bytes(msgs(MultistreamSelect.HEADER, "/echo")),
                "first".getBytes(StandardCharsets.UTF_8)));

    ByteBuf in = msgs(MultistreamSelect.HEADER, "/echo");
    in.writeBytes("reply".getBytes(StandardCharsets.UTF_8));
    ch.writeInbound(in);
    assertThat(mss.selected()).isCompletedWithValue("/echo");
    assertThat(recorder.data.toString(StandardCharsets.UTF_8)).isEqualTo("reply");
    ch.finishAndReleaseAll();
  }

  @Test
  void lazyInitiatorFailsOnNa() {
    MultistreamSelect mss =
        MultistreamSelect.initiator(
            List.of("/echo"), installer(), MssConfig.DEFAULT.withLazy(true));
    EmbeddedChannel ch = new EmbeddedChannel(mss);
    ch.writeInbound(msgs(MultistreamSelect.HEADER, "na"));
    assertThat(failure(mss.selected())).isInstanceOf(ProtocolNotSupportedException.class);
    assertThat(ch.isOpen()).isFalse();
    ch.finishAndReleaseAll();
  }

  @Test
  void initiatorAndResponderAgreeEndToEnd() {
    Recorder other = new Recorder();
    MultistreamSelect init =
        MultistreamSelect.initiator(
            List.of("/noise", "/plaintext/2.0.0"),
            (p, pl) -> pl.addLast(recorder),
            MssConfig.DEFAULT);
    MultistreamSelect resp =
        MultistreamSelect.responder(
            Set.of("/plaintext/2.0.0"), (p, pl) -> pl.addLast(other), MssConfig.DEFAULT);
    EmbeddedChannel a = new EmbeddedChannel(init);
    EmbeddedChannel b = new EmbeddedChannel(resp);
    for (int i = 0; i < 10 && !(init.selected().isDone() && resp.selected().isDone()); i++) {
      byte[] ab = outbound(a);
      if (ab.length > 0) {
        b.writeInbound(Unpooled.wrappedBuffer(ab));
      }
      byte[] ba = outbound(b);
      if (ba.length > 0) {
        a.writeInbound(Unpooled.wrappedBuffer(ba));
      }
    }
    assertThat(init.selected()).isCompletedWithValue("/plaintext/2.0.0");
    assertThat(resp.selected()).isCompletedWithValue("/plaintext/2.0.0");
    a.finishAndReleaseAll();
    b.finishAndReleaseAll();
  }

  @Test
  void rejectsInvalidArguments() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> MultistreamSelect.initiator(List.of(), installer(), MssConfig.DEFAULT));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(
            () -> MultistreamSelect.initiator(List.of("a\nb"), installer(), MssConfig.DEFAULT));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                MultistreamSelect.initiator(
                    List.of("/a", "/b"), installer(), MssConfig.DEFAULT.withLazy(true)));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> MssConfig.DEFAULT.withMaxMessageLength(5));
  }
}
