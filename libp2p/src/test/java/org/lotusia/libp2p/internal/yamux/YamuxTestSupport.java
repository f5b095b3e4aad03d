package org.lotusia.libp2p.internal.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Frame builders and recorders for Yamux tests. */
final class YamuxTestSupport {
  private YamuxTestSupport() {}

  /** A decoded frame; {@code data} holds the payload bytes as ISO-8859-1 characters. */
  record Frame(int version, int type, int flags, int streamId, long length, String data) {}

  static YamuxConfig.Builder quiet() {
    return YamuxConfig.builder().keepAliveInterval(Duration.ZERO);
  }

  static ByteBuf frame(int type, int flags, int streamId, long length) {
    ByteBuf b = Unpooled.buffer();
    YamuxFrames.writeHeader(b, type, flags, streamId, length);
    return b;
  }

  static ByteBuf frame(int version, int type, int flags, int streamId, long length) {
    ByteBuf b = Unpooled.buffer();
    b.writeByte(version)
        .writeByte(type)
        .writeShort(flags)
        .writeInt(streamId)
        .writeInt((int) length);
    return b;
  }

  static ByteBuf data(int flags, int streamId, byte[] payload) {
    ByteBuf b = frame(YamuxFrames.TYPE_DATA, flags, streamId, payload.length);
    b.writeBytes(payload);
    return b;
  }

  /** Reads every outbound frame of {@code ch}, releasing the buffers. */
  static List<Frame> frames(EmbeddedChannel ch) {
    ByteBuf all = Unpooled.buffer();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      all.writeBytes(b);
      b.release();
    }
    List<Frame> out = new ArrayList<>();
    while (all.readableBytes() >= 12) {
      int v = all.readUnsignedByte();
      int t = all.readUnsignedByte();
      int f = all.readUnsignedShort();
      int id = all.readInt();
      long len = all.readUnsignedInt();
      byte[] d = new byte[0];
      if (t == YamuxFrames.TYPE_DATA) {
        d = new byte[(int) len];
        all.readBytes(d);
      }
      out.add(
          new Frame(v, t, f, id, len, new String(d, java.nio.charset.StandardCharsets.ISO_8859_1)));
    }
    all.release();
    return out;
  }

  /** Records data and events of a stream channel. */
  static final class Sink extends ChannelInboundHandlerAdapter {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    final List<Object> events = new ArrayList<>();
    volatile boolean inputShutdown;
    volatile boolean inactive;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      try {
        byte[] a = new byte[b.readableBytes()];
        b.readBytes(a);
        synchronized (data) {
          data.writeBytes(a);
        }
      } finally {
        b.release();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      events.add(evt);
      if (evt instanceof ChannelInputShutdownEvent) {
        inputShutdown = true;
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      inactive = true;
      ctx.fireChannelInactive();
    }

    byte[] bytes() {
      synchronized (data) {
        return data.toByteArray();
      }
    }
  }
}
