package org.lotusia.libp2p.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.internal.framing.VarintFramer;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;
import org.lotusia.libp2p.multiformats.Varint;

/** Length-prefixed RPC framing, including the inbound size limit as an attack. */
class RpcFramingTest {

  @Test
  void framesSplitAcrossChunksAreReassembled() throws Exception {
    RPC a = RouterHarness.subscribe("a");
    RPC b = RouterHarness.subscribe("b".repeat(300));
    byte[] ab = concat(RpcFraming.encode(a), RpcFraming.encode(b));
    VarintFramer d = RpcFraming.decoder(1 << 20);
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < ab.length; i += 7) {
      frames.addAll(d.feed(Arrays.copyOfRange(ab, i, Math.min(ab.length, i + 7))));
    }
    assertThat(frames).hasSize(2);
    assertThat(RPC.parseFrom(frames.get(0))).isEqualTo(a);
    assertThat(RPC.parseFrom(frames.get(1))).isEqualTo(b);
  }

  @Test
  void attackOversizedRpcIsRefusedAtItsLengthPrefix() {
    VarintFramer d = RpcFraming.decoder(1024);
    // only the prefix arrives: the decoder refuses before buffering any of the body
    assertThatThrownBy(() -> d.feed(Varint.encode(1025)))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("exceeds the limit of 1024");
    assertThat(RpcFraming.decoder(1024).feed(concat(Varint.encode(1024), new byte[1024])))
        .hasSize(1);
  }

  @Test
  void attackEndlessVarintIsRefused() {
    VarintFramer d = RpcFraming.decoder(1024);
    byte[] junk = new byte[12];
    Arrays.fill(junk, (byte) 0xff);
    assertThatThrownBy(() -> d.feed(junk)).isInstanceOf(ProtocolViolationException.class);
  }

  private static byte[] concat(byte[] x, byte[] y) {
    byte[] out = Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, out, x.length, y.length);
    return out;
  }
}
