package org.lotusia.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz test of the stream decoder (one JSON message per stream, delivered in chunks). Plain
 * {@code mvn test} runs it over the committed seed corpus (regression mode); the build's fuzzing
 * pass fuzzes it. Properties: only {@link MessageFormatException} results, the decoder never
 * buffers more than its cap, the end-of-stream result is stable, and a decoded message re-encodes to
 * a fixed point.
 */
class StreamDecoderFuzzTest {

  @FuzzTest(maxDuration = "8s")
  void fuzzStreamDecoder(FuzzedDataProvider data) {
    int cap = data.consumeInt(1, 4096);
    MessageStreamDecoder decoder = new MessageStreamDecoder(DecoderFuzzTest.PROTOCOL, cap);
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
      DecoderProperties.checkMessage(DecoderFuzzTest.PROTOCOL, decoded.message());
    }
  }
}
