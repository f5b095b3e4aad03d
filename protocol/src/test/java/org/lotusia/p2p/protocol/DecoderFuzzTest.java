package org.lotusia.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz tests of the JSON and stream decoders. Plain {@code mvn test} runs them over the
 * committed seed corpus (regression mode); with {@code JAZZER_FUZZ=1} Jazzer fuzzes them for {@code
 * maxDuration}. Properties: only {@link MessageFormatException} escapes, a decoded message
 * re-encodes to a fixed point, and the stream decoder never buffers more than its cap.
 */
class DecoderFuzzTest {

  static final P2PProtocol PROTOCOL = P2PProtocol.builder().maxMessageSize(100_000).build();

  @FuzzTest(maxDuration = "8s")
  void fuzzDeserialize(byte[] input) {
    DecoderProperties.checkDeserialize(PROTOCOL, input);
  }

  @FuzzTest(maxDuration = "8s")
  void fuzzStreamDecoder(FuzzedDataProvider data) {
    int cap = data.consumeInt(1, 4096);
    MessageStreamDecoder decoder = new MessageStreamDecoder(PROTOCOL, cap);
    DecodeResult result = null;
    while (data.remainingBytes() > 0 && result == null) {
      byte[] chunk = data.consumeBytes(data.consumeInt(0, 512));
      result = decoder.onData(chunk);
      assertThat(decoder.bufferedBytes()).isLessThanOrEqualTo(cap);
    }
    DecodeResult end = decoder.onEndOfStream();
    assertThat(end).isNotNull();
    if (result != null) {
      assertThat(end).isSameAs(result);
    }
    if (end instanceof DecodeResult.Decoded decoded) {
      assertThat(decoded.bytesReceived()).isLessThanOrEqualTo(cap);
      DecoderProperties.checkMessage(PROTOCOL, decoded.message());
    }
  }
}
