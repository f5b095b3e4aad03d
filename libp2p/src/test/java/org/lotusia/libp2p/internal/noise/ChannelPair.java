package org.lotusia.libp2p.internal.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Two {@link EmbeddedChannel}s wired back to back in one thread: {@link #pump()} moves what each
 * side wrote into the other side's inbound until both are quiet.
 */
final class ChannelPair implements AutoCloseable {

  final EmbeddedChannel a;
  final EmbeddedChannel b;

  ChannelPair(ChannelHandler aHandler, ChannelHandler bHandler) {
    this.a = new EmbeddedChannel(aHandler);
    this.b = new EmbeddedChannel(bHandler);
  }

  /** Moves bytes both ways until neither side has anything left to send. */
  void pump() {
    boolean moved;
    do {
      moved = move(a, b) | move(b, a);
    } while (moved);
  }

  /** Moves the pending outbound of {@code from} into {@code to}, one buffer per inbound write. */
  static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    ByteBuf buf;
    while ((buf = from.readOutbound()) != null) {
      moved = true;
      if (to.isOpen()) {
        to.writeInbound(buf);
      } else {
        buf.release();
      }
    }
    return moved;
  }

  /** Drains the outbound of {@code ch} into one buffer (the caller releases it). */
  static ByteBuf drainOutbound(EmbeddedChannel ch) {
    List<ByteBuf> parts = new ArrayList<>();
    ByteBuf buf;
    while ((buf = ch.readOutbound()) != null) {
      parts.add(buf);
    }
    return Unpooled.wrappedBuffer(parts.toArray(new ByteBuf[0]));
  }

  /** Reads all inbound buffers of {@code ch} into a byte array, releasing them. */
  static byte[] drainInbound(EmbeddedChannel ch) {
    ByteBuf all = Unpooled.buffer();
    Object o;
    while ((o = ch.readInbound()) != null) {
      ByteBuf b = (ByteBuf) o;
      all.writeBytes(b);
      b.release();
    }
    byte[] out = new byte[all.readableBytes()];
    all.readBytes(out);
    all.release();
    return out;
  }

  @Override
  public void close() {
    a.finishAndReleaseAll();
    b.finishAndReleaseAll();
  }
}
