package org.lotusia.libp2p.internal.mss;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Helpers for multistream-select tests. */
final class MssTestSupport {
  private MssTestSupport() {}

  static ByteBuf msgs(String... texts) {
    return MssCodec.encode(Unpooled.buffer().alloc(), texts);
  }

  static byte[] bytes(ByteBuf b) {
    try {
      byte[] out = new byte[b.readableBytes()];
      b.readBytes(out);
      return out;
    } finally {
      b.release();
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  /** Drains every outbound ByteBuf of {@code ch} into one array. */
  static byte[] outbound(EmbeddedChannel ch) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      o.writeBytes(bytes(b));
    }
    return o.toByteArray();
  }

  /** Records every byte and the order of events it sees. */
  static final class Recorder extends ChannelInboundHandlerAdapter {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    final List<String> events = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      events.add("read:" + b.readableBytes());
      data.writeBytes(bytes(b));
    }
  }
}
