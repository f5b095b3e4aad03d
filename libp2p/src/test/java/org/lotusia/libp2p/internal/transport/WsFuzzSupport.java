package org.lotusia.libp2p.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.lotusia.libp2p.WebSocketOptions;
import org.lotusia.libp2p.testing.TrackingAllocator;

/**
 * Shared by the WebSocket fuzz tests: the transport's real pipeline in an unregistered {@link
 * EmbeddedChannel} (so the handlers see the channel become active, as on a socket), the handler
 * the host would add after the upgrade, and RFC 6455 section 5.2 read independently of Netty to
 * tell which payload bytes the remote sent.
 */
final class WsFuzzSupport {

  /** Frame limit of the fuzzed pipelines: the smallest the transport allows. */
  static final WebSocketOptions OPTIONS =
      WebSocketOptions.DEFAULT
          .withMaxFrameSize(WebSocketOptions.MIN_FRAME_SIZE)
          .withMaxHttpRequestSize(2048);

  static final WebSocketTransport TRANSPORT = new WebSocketTransport(OPTIONS);

  private WsFuzzSupport() {}

  /** A channel with the tracking allocator, not yet registered. */
  static EmbeddedChannel channel(TrackingAllocator alloc) {
    EmbeddedChannel ch = new EmbeddedChannel(false, false);
    ch.config().setAllocator(alloc);
    return ch;
  }

  /** Feeds {@code wire} from {@code from} in chunks while the channel is open. */
  static void feed(EmbeddedChannel ch, TrackingAllocator alloc, byte[] wire, int from, int chunk) {
    for (int at = from; at < wire.length && ch.isOpen(); at += chunk) {
      int n = Math.min(chunk, wire.length - at);
      ch.writeInbound(alloc.heapBuffer(n).writeBytes(wire, at, n));
      ch.runPendingTasks();
    }
  }

  /** Everything the channel wrote, as bytes; releases it. */
  static byte[] written(EmbeddedChannel ch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Object m;
    while ((m = ch.readOutbound()) != null) {
      if (m instanceof ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), a);
        out.writeBytes(a);
      }
      io.netty.util.ReferenceCountUtil.release(m);
    }
    return out.toByteArray();
  }

  /** Where the HTTP head (request or response) ends, or -1. */
  static int headEnd(byte[] wire, int from) {
    for (int i = from; i + 3 < wire.length; i++) {
      if (wire[i] == '\r' && wire[i + 1] == '\n' && wire[i + 2] == '\r' && wire[i + 3] == '\n') {
        return i + 4;
      }
    }
    return -1;
  }

  /**
   * The payload of the binary and continuation frames in {@code wire[from..]}, unmasked, up to the
   * first frame a conforming endpoint must refuse or that ends the byte stream (text, close, bad
   * masking, reserved bits or opcodes, oversized), or the end of the input.
   *
   * @param masked whether frames must be masked (client to server) or not (server to client)
   * @return the payload, and whether reading stopped on such a frame
   */
  static Payload binaryPayload(byte[] wire, int from, boolean masked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = from;
    boolean fragmented = false; // inside a binary message sent in several frames
    while (i + 2 <= wire.length) {
      int b0 = wire[i] & 0xff;
      int b1 = wire[i + 1] & 0xff;
      int opcode = b0 & 0x0f;
      boolean fin = (b0 & 0x80) != 0;
      boolean isMasked = (b1 & 0x80) != 0;
      long len = b1 & 0x7f;
      int at = i + 2;
      if (len == 126) {
        if (at + 2 > wire.length) {
          break;
        }
        len = ((wire[at] & 0xff) << 8) | (wire[at + 1] & 0xff);
        at += 2;
        if (len < 126) {
          return new Payload(out.toByteArray(), true); // not the minimal length encoding
        }
      } else if (len == 127) {
        if (at + 8 > wire.length) {
          break;
        }
        len = 0;
        for (int k = 0; k < 8; k++) {
          len = (len << 8) | (wire[at + k] & 0xff);
        }
        at += 8;
        if (len >= 0 && len < 65536) {
          return new Payload(out.toByteArray(), true); // not the minimal length encoding
        }
      }
      boolean control = opcode >= 8;
      if ((b0 & 0x70) != 0
          || isMasked != masked
          || len < 0
          || len > OPTIONS.maxFrameSize()
          || (control && (len > 125 || !fin))
          || (opcode != 0 && opcode != 2 && opcode != 9 && opcode != 10)
          || (opcode == 0 && !fragmented)
          || (opcode == 2 && fragmented)) {
        return new Payload(out.toByteArray(), true);
      }
      byte[] key = new byte[4];
      if (masked) {
        if (at + 4 > wire.length) {
          break;
        }
        System.arraycopy(wire, at, key, 0, 4);
        at += 4;
      }
      if (at + len > wire.length) {
        break;
      }
      if (!control) {
        fragmented = !fin;
        for (int k = 0; k < len; k++) {
          out.write(wire[at + k] ^ key[k & 3]);
        }
      }
      i = at + (int) len;
    }
    return new Payload(out.toByteArray(), false);
  }

  /** Payload bytes and whether the frames stopped at one that ends the stream. */
  record Payload(byte[] bytes, boolean stopped) {}

  /** Checks the bytes the host's handler received against the frames the remote sent. */
  static void checkDelivered(byte[] got, Payload sent, boolean stillOpen) {
    assertThat(got.length).isLessThanOrEqualTo(sent.bytes().length);
    assertThat(got)
        .as("payload passed on, in order")
        .isEqualTo(java.util.Arrays.copyOf(sent.bytes(), got.length));
    if (stillOpen && !sent.stopped()) {
      assertThat(got).as("payload of every complete frame").isEqualTo(sent.bytes());
    }
  }

  /** The handler the host adds after the upgrade: records bytes and what was fired at it. */
  @ChannelHandler.Sharable
  static final class Host extends ChannelInboundHandlerAdapter {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    Throwable failure;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      assertThat(msg).as("only bytes reach the host").isInstanceOf(ByteBuf.class);
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
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failure = cause;
    }
  }

  static String ascii(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
