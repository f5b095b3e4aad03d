package org.lotusia.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The one-object-per-stream codec of /lotus/message/1.0.0, including its attacks. */
class MessageStreamCodecTest {

  final MutableClock clock = new MutableClock(1_700_000_000_000L);
  final P2PProtocol protocol = P2PProtocol.builder().clock(clock).build();

  @Test
  void messageSplitIntoManyChunksDecodes() {
    P2PMessage m =
        protocol.createMessage(
            "chat",
            JsonNodeFactory.instance.objectNode().put("text", "h\u00e9llo"),
            "peerA",
            null,
            "chat",
            null);
    byte[] bytes = new MessageStreamEncoder(protocol).encode(m);
    MessageStreamDecoder d = new MessageStreamDecoder(protocol);
    for (int i = 0; i < bytes.length; i++) {
      assertThat(d.onData(bytes, i, 1)).isNull();
    }
    DecodeResult r = d.onEndOfStream();
    assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
    assertThat(((DecodeResult.Decoded) r).message()).isEqualTo(m);
    assertThat(r.bytesReceived()).isEqualTo(bytes.length);
    assertThat(d.isFinished()).isTrue();
  }

  @Test
  void oversizedStreamIsAbortedAtTheCapWithoutBufferingMore() {
    MessageStreamDecoder d = new MessageStreamDecoder(protocol);
    byte[] chunk = new byte[10_000];
    Arrays.fill(chunk, (byte) ' ');
    chunk[0] = '{';
    DecodeResult r = null;
    int fed = 0;
    while (r == null) {
      r = d.onData(chunk);
      fed++;
      assertThat(d.bufferedBytes()).isLessThanOrEqualTo(100_000);
    }
    assertThat(fed).isEqualTo(11);
    assertThat(r).isInstanceOf(DecodeResult.Failed.class);
    DecodeResult.Failed f = (DecodeResult.Failed) r;
    assertThat(f.failure()).isEqualTo(DecodeFailure.OVERSIZED);
    assertThat(f.detail()).contains("too large").contains("100000");
    assertThat(d.onData(chunk)).isSameAs(r);
    assertThat(d.onEndOfStream()).isSameAs(r);
  }

  @Test
  void capIsConfigurable() {
    MessageStreamDecoder d = new MessageStreamDecoder(protocol, 100);
    assertThat(d.onData(new byte[] {'{'})).isNull();
    DecodeResult r = d.onData(new byte[100]);
    assertThat(((DecodeResult.Failed) r).failure()).isEqualTo(DecodeFailure.OVERSIZED);
    assertThatThrownBy(() -> new MessageStreamDecoder(protocol, 200_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1..100000");
  }

  @Test
  void aStreamThatCannotBeAnObjectIsAbortedAtItsFirstByte() {
    MessageStreamDecoder d = new MessageStreamDecoder(protocol);
    assertThat(d.onData("  \n".getBytes(StandardCharsets.US_ASCII))).isNull();
    DecodeResult r = d.onData("[1,2,3]".getBytes(StandardCharsets.US_ASCII));
    assertThat(((DecodeResult.Failed) r).failure()).isEqualTo(DecodeFailure.NOT_AN_OBJECT);
    MessageStreamDecoder e = new MessageStreamDecoder(protocol);
    DecodeResult binary = e.onData(new byte[] {0x00, 0x01});
    assertThat(((DecodeResult.Failed) binary).failure()).isEqualTo(DecodeFailure.MALFORMED_JSON);
    assertThat(((DecodeResult.Failed) binary).detail()).contains("0x0");
  }

  @Test
  void malformedAndEmptyStreamsReportAReason() {
    MessageStreamDecoder d = new MessageStreamDecoder(protocol);
    d.onData("{\"type\":".getBytes(StandardCharsets.US_ASCII));
    DecodeResult.Failed f = (DecodeResult.Failed) d.onEndOfStream();
    assertThat(f.failure()).isEqualTo(DecodeFailure.MALFORMED_JSON);
    assertThat(f.bytesReceived()).isEqualTo(8);
    DecodeResult.Failed empty =
        (DecodeResult.Failed) new MessageStreamDecoder(protocol).onEndOfStream();
    assertThat(empty.failure()).isEqualTo(DecodeFailure.EMPTY);
    MessageStreamDecoder two = new MessageStreamDecoder(protocol);
    two.onData("{\"type\":\"a\"}{\"type\":\"b\"}".getBytes(StandardCharsets.US_ASCII));
    assertThat(((DecodeResult.Failed) two.onEndOfStream()).failure())
        .isEqualTo(DecodeFailure.MALFORMED_JSON);
  }

  @Test
  void encoderRefusesWhatNoReceiverAccepts() {
    P2PProtocol small = P2PProtocol.builder().clock(clock).maxMessageSize(50).build();
    P2PMessage m = small.createMessage("t", JsonNodeFactory.instance.textNode("x".repeat(60)), "f");
    assertThatThrownBy(() -> new MessageStreamEncoder(small).encode(m))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cap of 50");
  }
}
