package org.lotusia.libp2p.internal.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lotusia.libp2p.internal.yamux.YamuxTestSupport.quiet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.internal.yamux.YamuxTestSupport.Sink;

/**
 * Seeded random frame sequences (mostly well-formed headers with random fields, split at random
 * points) never make the handler throw, never leak a buffer, and always leave the session either
 * running or closed with a reason.
 */
class YamuxRandomInputTest {

  @ChannelHandler.Sharable
  static final class Accept extends ChannelInitializer<Channel> {
    final boolean autoRead;

    Accept(boolean autoRead) {
      this.autoRead = autoRead;
    }

    @Override
    protected void initChannel(Channel c) {
      c.config().setAutoRead(autoRead);
      c.pipeline().addLast(new Sink());
    }
  }

  @Test
  void randomFrameSequences() {
    for (int seed = 0; seed < 1500; seed++) {
      Random rnd = new Random(seed);
      YamuxHandler h =
          new YamuxHandler(
              rnd.nextBoolean(),
              quiet().maxInboundStreams(1 + rnd.nextInt(4)).maxFrameLength(4096).build(),
              new Accept(rnd.nextBoolean()));
      EmbeddedChannel ch = new EmbeddedChannel(h);
      ByteBuf input = Unpooled.buffer();
      int frames = 1 + rnd.nextInt(12);
      for (int i = 0; i < frames; i++) {
        int version = rnd.nextInt(20) == 0 ? 1 : 0;
        int type = rnd.nextInt(9) == 0 ? 4 + rnd.nextInt(3) : rnd.nextInt(4);
        int flags = rnd.nextInt(10) == 0 ? rnd.nextInt(64) : (1 << rnd.nextInt(4)) & 0xF;
        int id = rnd.nextInt(8);
        int length = type == YamuxFrames.TYPE_DATA ? rnd.nextInt(300) : rnd.nextInt(5000);
        input.writeByte(version).writeByte(type).writeShort(flags).writeInt(id).writeInt(length);
        if (type == YamuxFrames.TYPE_DATA) {
          byte[] payload = new byte[rnd.nextInt(8) == 0 ? rnd.nextInt(length + 1) : length];
          rnd.nextBytes(payload);
          input.writeBytes(payload);
        }
      }
      while (input.isReadable() && ch.isOpen()) {
        int n = 1 + rnd.nextInt(Math.max(1, input.readableBytes()));
        ch.writeInbound(input.readRetainedSlice(Math.min(n, input.readableBytes())));
        ch.runPendingTasks();
      }
      input.release();
      assertThat(ch.isOpen() || h.closeFuture().isDone()).as("seed %d", seed).isTrue();
      ch.finishAndReleaseAll();
      assertThat(h.closeFuture()).as("seed %d", seed).isDone();
    }
  }
}
