package org.lotusia.libp2p.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.WebSocketOptions;

/**
 * {@link WebSocketFrameAdapter}: outbound frame sizes and promise order, and nothing passed on after
 * a frame that ends the connection.
 */
class WebSocketFrameAdapterTest {

  private static EmbeddedChannel channel() {
    return new EmbeddedChannel(
        new WebSocketFrameAdapter(new ChannelInboundHandlerAdapter(), Duration.ofSeconds(30)));
  }

  @Test
  void bigWritesAreCutIntoFramesEveryAllowedLimitAccepts() {
    EmbeddedChannel ch = channel();
    byte[] data = new byte[983_055 + 7];
    new Random(1).nextBytes(data);
    ChannelFuture written = ch.writeAndFlush(Unpooled.wrappedBuffer(data));
    assertThat(written.isSuccess()).isTrue();
    List<Integer> sizes = new ArrayList<>();
    ByteBuf all = Unpooled.buffer();
    for (BinaryWebSocketFrame f; (f = ch.readOutbound()) != null; ) {
      sizes.add(f.content().readableBytes());
      all.writeBytes(f.content());
      f.release();
    }
    assertThat(sizes).hasSize(16).allMatch(n -> n <= WebSocketOptions.MIN_FRAME_SIZE);
    byte[] joined = new byte[all.readableBytes()];
    all.readBytes(joined);
    all.release();
    assertThat(joined).isEqualTo(data);
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void smallWriteIsOneFrame() {
    EmbeddedChannel ch = channel();
    ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[WebSocketOptions.MIN_FRAME_SIZE]));
    BinaryWebSocketFrame f = ch.readOutbound();
    assertThat(f.content().readableBytes()).isEqualTo(WebSocketOptions.MIN_FRAME_SIZE);
    f.release();
    assertThat(ch.<Object>readOutbound()).isNull();
    ch.finishAndReleaseAll();
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

  @Test
  void frameLimitBelowWhatPeersSendIsRefused() {
    assertThatThrownBy(
            () -> WebSocketOptions.DEFAULT.withMaxFrameSize(WebSocketOptions.MIN_FRAME_SIZE - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 65536");
  }

  /**
   * Found by {@link WebSocketServerFuzzTest} (its upgrade-then-text-frame seed): a binary frame
   * decoded from the same read as a text frame used to reach the host after the adapter had
   * decided to close the connection.
   */
  @Test
  void framesAfterATextOrCloseFrameAreNotPassedOn() {
    for (Object ending : new Object[] {new TextWebSocketFrame("text"), new CloseWebSocketFrame()}) {
      WsFuzzSupport.Host host = new WsFuzzSupport.Host();
      EmbeddedChannel ch =
          new EmbeddedChannel(new WebSocketFrameAdapter(host, Duration.ofSeconds(30)));
      ch.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2})));
      ByteBuf late = Unpooled.wrappedBuffer(new byte[] {3});
      ch.writeInbound(ending, new BinaryWebSocketFrame(late));
      assertThat(host.data.toByteArray()).containsExactly(1, 2);
      assertThat(late.refCnt()).isZero();
      assertThat(ch.isOpen()).isFalse();
      ch.finishAndReleaseAll();
    }
  }
}
