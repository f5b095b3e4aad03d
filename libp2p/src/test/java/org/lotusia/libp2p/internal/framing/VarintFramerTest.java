package org.lotusia.libp2p.internal.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.multiformats.Varint;

/** The one varint length-prefix framer of kad, pubsub and identify, and its attacks. */
class VarintFramerTest {

  @Test
  void framesSplitAcrossChunksAreReassembledInOrder() {
    byte[] a = VarintFramer.frame(new byte[300]);
    byte[] empty = VarintFramer.frame(new byte[0]);
    byte[] b = VarintFramer.frame("hi".getBytes());
    byte[] all = concat(concat(a, empty), b);
    VarintFramer f = new VarintFramer(1000, "test message");
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < all.length; i += 7) {
      frames.addAll(f.feed(Arrays.copyOfRange(all, i, Math.min(all.length, i + 7))));
    }
    assertThat(frames).hasSize(3);
    assertThat(frames.get(0)).hasSize(300);
    assertThat(frames.get(1)).isEmpty();
    assertThat(frames.get(2)).isEqualTo("hi".getBytes());
    assertThat(f.buffered()).isZero();
    assertThat(Arrays.copyOf(a, 2)).isEqualTo(Varint.encode(300));
  }

  @Test
  void attackNonMinimalLengthPrefixIsRefused() {
    // 1 encoded in two groups (0x81 0x00): the same value as 0x01, not the shortest encoding
    VarintFramer kad = new VarintFramer(1000, "kad message");
    assertThatThrownBy(() -> kad.feed(new byte[] {(byte) 0x81, 0, 7}))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("kad message length prefix is not minimally encoded");
    // 0 in two groups
    assertThatThrownBy(() -> new VarintFramer(1000, "x").feed(new byte[] {(byte) 0x80, 0}))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("not minimally encoded");
    // the minimal forms pass
    assertThat(new VarintFramer(1000, "x").feed(new byte[] {1, 7})).hasSize(1);
    assertThat(new VarintFramer(1000, "x").feed(new byte[] {0})).hasSize(1);
  }

  @Test
  void attackOversizedFrameIsRefusedAtItsPrefixBeforeAnyBody() {
    VarintFramer f = new VarintFramer(1024, "pubsub: RPC");
    assertThatThrownBy(() -> f.feed(Varint.encode(1025)))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("pubsub: RPC of 1025 bytes or more exceeds the limit of 1024");
    // exactly the limit passes
    assertThat(new VarintFramer(1024, "x").feed(concat(Varint.encode(1024), new byte[1024])))
        .hasSize(1);
  }

  @Test
  void attackPrefixAnnouncingTooMuchIsRefusedBeforeItEnds() {
    // first group 0x7f with more to come, second group 1: already 255 > 100 after two bytes
    VarintFramer f = new VarintFramer(100, "x");
    assertThatThrownBy(() -> f.feed(new byte[] {(byte) 0xff, (byte) 0x81}))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("exceeds the limit of 100");
  }

  @Test
  void attackEndlessPrefixIsRefused() {
    byte[] junk = new byte[12];
    Arrays.fill(junk, (byte) 0x80);
    assertThatThrownBy(() -> new VarintFramer(Integer.MAX_VALUE, "x").feed(junk))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("longer than 5 bytes");
  }

  @Test
  void badLimitIsRefused() {
    assertThatThrownBy(() -> new VarintFramer(-1, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxFrame must be >= 0");
  }

  private static byte[] concat(byte[] x, byte[] y) {
    byte[] out = Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, out, x.length, y.length);
    return out;
  }
}
