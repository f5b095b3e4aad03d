package org.lotusia.libp2p.internal.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.testing.TrackingAllocator;

/**
 * Fuzzes a Yamux session with what the remote sends: the input after its first byte is the wire
 * stream (seeds are valid frame sequences), fed to a {@link YamuxHandler} in an {@link
 * EmbeddedChannel} in chunks. The first byte picks the role, whether accepted streams read, the
 * inbound stream limit and the chunk size; the session has one outbound stream of its own with
 * data queued on it, so ACKs, window updates and resets for local ids are reached too.
 *
 * <p>Contract: nothing is thrown out of the pipeline; every buffer is released once the channel is
 * closed; the session ends, if at all, with a {@link ProtocolViolationException}; a stream receives
 * exactly the payload bytes the remote sent for its id, in order (a prefix when the session or the
 * stream was cut short); and no more inbound streams are open than the limit. Runs its seeds in
 * every build and is fuzzed by the build's fuzzing pass.
 */
class YamuxFrameFuzzTest {

  private static final int LOCAL_DATA = 300;

  @FuzzTest(maxDuration = "30s")
  void remoteFrames(byte[] input) {
    if (input.length == 0) {
      return;
    }
    run(input[0] & 0xff, java.util.Arrays.copyOfRange(input, 1, input.length));
  }

  /** Options in the first input byte. */
  record Options(boolean client, boolean autoRead, int maxInbound, int chunk) {
    static Options of(int bits) {
      int pattern = bits >>> 4;
      return new Options(
          (bits & 1) != 0,
          (bits & 2) == 0,
          1 + ((bits >>> 2) & 3),
          pattern == 0 ? Integer.MAX_VALUE : pattern * pattern);
    }
  }

  static void run(int optionBits, byte[] wire) {
    Options o = Options.of(optionBits);
    TrackingAllocator alloc = new TrackingAllocator();
    Map<Integer, Recorder> recorders = new HashMap<>();
    YamuxHandler h =
        new YamuxHandler(
            o.client(),
            YamuxConfig.builder()
                .keepAliveInterval(Duration.ZERO)
                .maxInboundStreams(o.maxInbound())
                .maxFrameLength(64 * 1024)
                .build(),
            new Accept(o.autoRead(), recorders));
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.config().setAllocator(alloc);
    ch.pipeline().addLast(h);
    CompletableFuture<YamuxStream> local = h.openStream(new Accept(true, recorders));
    ch.runPendingTasks();
    assertThat(local).isCompleted();
    local.join().writeAndFlush(alloc.copyOf(new byte[LOCAL_DATA]));
    ch.runPendingTasks();
    drainOutbound(ch);

    int at = 0;
    while (at < wire.length && ch.isOpen()) {
      int n = Math.min(o.chunk(), wire.length - at);
      ByteBuf chunk = alloc.heapBuffer(n).writeBytes(wire, at, n);
      at += n;
      ch.writeInbound(chunk); // rethrows whatever reached the end of the pipeline
      ch.runPendingTasks();
      drainOutbound(ch);
      assertThat(h.streamCount()).isLessThanOrEqualTo(o.maxInbound() + 1);
    }
    boolean sessionOpen = ch.isOpen() && !h.closeFuture().isDone();
    checkDelivery(wire, o, recorders, sessionOpen);
    if (h.closeFuture().isDone()) {
      assertThat(ch.isOpen()).as("a session that ended closes its connection").isFalse();
      assertEndedWithViolationOrNormally(h.closeFuture());
    }

    ch.finishAndReleaseAll();
    assertThat(h.closeFuture()).isDone();
    assertEndedWithViolationOrNormally(h.closeFuture());
    assertThat(alloc.leaked()).as("unreleased buffers").isEmpty();
  }

  private static void assertEndedWithViolationOrNormally(CompletableFuture<Void> f) {
    try {
      f.get();
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ProtocolViolationException.class);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Compares what each stream received with the Data payloads the input carries for its id: always
   * a prefix, and all of it (up to the first FIN) when the session is still up, the stream reads,
   * and nothing reset it.
   */
  private static void checkDelivery(
      byte[] wire, Options o, Map<Integer, Recorder> recorders, boolean sessionOpen) {
    Map<Integer, ByteArrayOutputStream> sent = new HashMap<>();
    Set<Integer> finished = new HashSet<>();
    Set<Integer> resetIds = new HashSet<>();
    int i = 0;
    while (i + YamuxFrames.HEADER_LENGTH <= wire.length) {
      int type = wire[i + 1] & 0xff;
      int flags = ((wire[i + 2] & 0xff) << 8) | (wire[i + 3] & 0xff);
      int id = readInt(wire, i + 4);
      long length = readInt(wire, i + 8) & 0xffff_ffffL;
      i += YamuxFrames.HEADER_LENGTH;
      if ((flags & YamuxFrames.FLAG_RST) != 0) {
        resetIds.add(id);
      }
      if (type == YamuxFrames.TYPE_DATA) {
        int n = (int) Math.min(length, wire.length - i);
        if (!finished.contains(id)) {
          sent.computeIfAbsent(id, k -> new ByteArrayOutputStream()).write(wire, i, n);
        }
        i += n;
      }
      if ((flags & YamuxFrames.FLAG_FIN) != 0) {
        finished.add(id);
      }
    }
    for (Map.Entry<Integer, Recorder> e : recorders.entrySet()) {
      byte[] got = e.getValue().data.toByteArray();
      ByteArrayOutputStream s = sent.get(e.getKey());
      byte[] expected = s == null ? new byte[0] : s.toByteArray();
      assertThat(got.length).as("stream %d", e.getKey()).isLessThanOrEqualTo(expected.length);
      assertThat(got)
          .as("stream %d receives the remote's bytes in order", e.getKey())
          .isEqualTo(java.util.Arrays.copyOf(expected, got.length));
      boolean reads = e.getValue().autoRead;
      if (sessionOpen && reads && !resetIds.contains(e.getKey()) && !e.getValue().reset) {
        assertThat(got).as("stream %d lost accepted bytes", e.getKey()).isEqualTo(expected);
      }
    }
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static void drainOutbound(EmbeddedChannel ch) {
    Object m;
    while ((m = ch.readOutbound()) != null) {
      io.netty.util.ReferenceCountUtil.release(m);
    }
  }

  /** Adds a {@link Recorder} to each stream, keyed by stream id. */
  @ChannelHandler.Sharable
  static final class Accept extends ChannelInitializer<Channel> {
    private final boolean autoRead;
    private final Map<Integer, Recorder> recorders;

    Accept(boolean autoRead, Map<Integer, Recorder> recorders) {
      this.autoRead = autoRead;
      this.recorders = recorders;
    }

    @Override
    protected void initChannel(Channel c) {
      c.config().setAutoRead(autoRead);
      Recorder r = new Recorder(autoRead);
      recorders.put(((YamuxStream) c).streamId(), r);
      c.pipeline().addLast(r);
    }
  }

  /** Records the bytes a stream delivers and whether it was reset. */
  static final class Recorder extends ChannelInboundHandlerAdapter {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    final boolean autoRead;
    boolean reset;

    Recorder(boolean autoRead) {
      this.autoRead = autoRead;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      try {
        byte[] a = new byte[b.readableBytes()];
        b.readBytes(a);
        data.writeBytes(a);
      } finally {
        b.release();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      reset |= ((YamuxStream) ctx.channel()).isReset();
      ctx.fireChannelInactive();
    }
  }
}
