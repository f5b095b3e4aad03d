package org.lotusia.libp2p.internal.mss;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.lotusia.libp2p.ProtocolNotSupportedException;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.testing.TrackingAllocator;

/**
 * Fuzzes multistream-select 1.0 with what the remote sends. The first input byte picks the role
 * (initiator, lazy initiator, responder with a set, responder with a predicate) and the chunk
 * size; the rest is the remote's bytes. Message limit 64 bytes and 4 rounds, so both are reached.
 *
 * <p>Contract: the negotiation is pending with the channel open, agreed on a protocol this side
 * offered or supports, or failed with {@link ProtocolViolationException} or {@link
 * ProtocolNotSupportedException} and the channel closed. An independent reading of the spec
 * decides where the negotiation ends; when it succeeded, the agreed protocol is the one that
 * reading finds and the protocol handler receives exactly the bytes after that point, in order.
 * Nothing escapes the pipeline and every buffer is released.
 */
class MssFuzzTest {

  static final List<String> PROPOSALS = List.of("/a/1", "/b/1");
  static final Set<String> SUPPORTED = Set.of("/b/1", "/c/1");
  static final Predicate<String> SUPPORTED_FAMILY = p -> p.startsWith("/b/");
  static final MssConfig CONFIG = MssConfig.DEFAULT.withMaxMessageLength(64).withMaxRounds(4);

  enum Role {
    INITIATOR,
    LAZY_INITIATOR,
    RESPONDER,
    RESPONDER_PREDICATE
  }

  @FuzzTest(maxDuration = "30s")
  void remoteNegotiation(byte[] input) {
    if (input.length == 0) {
      return;
    }
    Role role = Role.values()[(input[0] & 0xff) % 4];
    int chunk = 1 + ((input[0] & 0xff) >>> 2) * 5;
    byte[] wire = Arrays.copyOfRange(input, 1, input.length);

    TrackingAllocator alloc = new TrackingAllocator();
    Recorder app = new Recorder();
    String[] installed = {null};
    ProtocolInstaller installer =
        (protocol, pipeline) -> {
          installed[0] = protocol;
          pipeline.addLast(app);
        };
    MultistreamSelect mss =
        switch (role) {
          case INITIATOR -> MultistreamSelect.initiator(PROPOSALS, installer, CONFIG);
          case LAZY_INITIATOR ->
              MultistreamSelect.initiator(List.of("/b/1"), installer, CONFIG.withLazy(true));
          case RESPONDER -> MultistreamSelect.responder(SUPPORTED, installer, CONFIG);
          case RESPONDER_PREDICATE ->
              MultistreamSelect.responder(SUPPORTED_FAMILY, installer, CONFIG);
        };
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.config().setAllocator(alloc);
    ch.pipeline().addLast(mss);
    for (int at = 0; at < wire.length && ch.isOpen(); at += chunk) {
      int n = Math.min(chunk, wire.length - at);
      ch.writeInbound(alloc.heapBuffer(n).writeBytes(wire, at, n));
    }

    CompletableFuture<String> selected = mss.selected();
    if (!selected.isDone()) {
      assertThat(ch.isOpen()).isTrue();
    } else if (selected.isCompletedExceptionally()) {
      assertThat(cause(selected))
          .isInstanceOfAny(ProtocolViolationException.class, ProtocolNotSupportedException.class);
      assertThat(ch.isOpen()).isFalse();
    } else {
      String protocol = selected.join();
      assertThat(installed[0]).isEqualTo(protocol);
      int end = new SpecReading(role).end(wire);
      assertThat(end).as("the spec reading agrees that the negotiation ended").isPositive();
      assertThat(protocol).isEqualTo(new SpecReading(role).agreedAt(wire));
      assertThat(app.data.toByteArray())
          .as("bytes after the negotiation")
          .isEqualTo(Arrays.copyOfRange(wire, end, wire.length));
    }
    drain(ch);
    ch.finishAndReleaseAll();
    assertThat(selected).isDone();
    assertThat(alloc.leaked()).as("unreleased buffers").isEmpty();
  }

  private static Throwable cause(CompletableFuture<?> f) {
    try {
      f.get();
      throw new AssertionError("not failed");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static void drain(EmbeddedChannel ch) {
    Object m;
    while ((m = ch.readOutbound()) != null) {
      io.netty.util.ReferenceCountUtil.release(m);
    }
  }

  /**
   * multistream-select read straight from the spec, on the whole input at once: where the
   * negotiation ends and on what. Used only when the handler says it succeeded.
   */
  static final class SpecReading {
    private final Role role;
    private String agreed;

    SpecReading(Role role) {
      this.role = role;
    }

    String agreedAt(byte[] wire) {
      end(wire);
      return agreed;
    }

    /** The offset right after the message that concluded the negotiation, or -1. */
    int end(byte[] wire) {
      boolean initiator = role == Role.INITIATOR || role == Role.LAZY_INITIATOR;
      List<String> proposals = role == Role.LAZY_INITIATOR ? List.of("/b/1") : PROPOSALS;
      int at = 0;
      boolean header = false;
      int proposal = 0;
      int rounds = 0;
      while (true) {
        int[] next = new int[1];
        String m = message(wire, at, next);
        if (m == null) {
          return -1;
        }
        at = next[0];
        if (!header) {
          if (!m.equals(MultistreamSelect.HEADER)) {
            return -1;
          }
          header = true;
        } else if (initiator) {
          if (m.equals(proposals.get(proposal))) {
            agreed = m;
            return at;
          }
          if (!m.equals("na") || ++proposal >= proposals.size()) {
            return -1;
          }
        } else {
          boolean special = m.equals(MultistreamSelect.HEADER) || m.equals("na") || m.equals("ls");
          boolean ok =
              role == Role.RESPONDER ? SUPPORTED.contains(m) : SUPPORTED_FAMILY.test(m);
          if (!special && ok) {
            agreed = m;
            return at;
          }
          if (++rounds > CONFIG.maxRounds()) {
            return -1;
          }
        }
      }
    }

    /** One message at {@code at}: minimal varint length, UTF-8 text, newline; or null. */
    private static String message(byte[] wire, int at, int[] next) {
      long len = 0;
      int i = at;
      for (int shift = 0; ; shift += 7) {
        if (i >= wire.length || shift > 21) {
          return null;
        }
        int b = wire[i++] & 0xff;
        len |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          if (b == 0 && shift > 0) {
            return null;
          }
          break;
        }
      }
      if (len == 0 || len > CONFIG.maxMessageLength() || wire.length - i < len) {
        return null;
      }
      int end = i + (int) len;
      if (wire[end - 1] != '\n') {
        return null;
      }
      try {
        String s =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(wire, i, (int) len - 1))
                .toString();
        next[0] = end;
        return s;
      } catch (CharacterCodingException e) {
        return null;
      }
    }
  }

  /** The protocol handler: records what it receives. */
  static final class Recorder extends ChannelInboundHandlerAdapter {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();

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
  }
}
