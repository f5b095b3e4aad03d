package org.lotusia.libp2p.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The outbound side of {@link WebSocketFrameAdapter}: promise order. */
class WebSocketFrameAdapterTest {

  private static EmbeddedChannel channel() {
    return new EmbeddedChannel(
        new WebSocketFrameAdapter(new ChannelInboundHandlerAdapter(), Duration.ofSeconds(30)));
  }

  @Test
  void anEmptyWriteCompletesOnlyAfterTheWritesBeforeIt() {
    EmbeddedChannel ch = channel();
    ChannelFuture first = ch.write(Unpooled.wrappedBuffer(new byte[10]));
    ChannelFuture empty = ch.write(Unpooled.EMPTY_BUFFER);
    assertThat(first.isDone()).isFalse();
    assertThat(empty.isDone()).isFalse();
    ch.flush();
    assertThat(first.isSuccess()).isTrue();
    assertThat(empty.isSuccess()).isTrue();
    ch.finishAndReleaseAll();
  }
}
