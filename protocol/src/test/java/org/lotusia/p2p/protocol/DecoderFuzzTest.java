package org.lotusia.p2p.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz test of the JSON decoder ({@link StreamDecoderFuzzTest} covers the stream decoder).
 * Plain {@code mvn test} runs it over the committed seed corpus (regression mode); the build's
 * fuzzing pass fuzzes it. Properties: only {@link MessageFormatException} escapes, and a decoded
 * message re-encodes to a fixed point.
 */
class DecoderFuzzTest {

  static final P2PProtocol PROTOCOL = P2PProtocol.builder().maxMessageSize(100_000).build();

  @FuzzTest(maxDuration = "8s")
  void fuzzDeserialize(byte[] input) {
    DecoderProperties.checkDeserialize(PROTOCOL, input);
  }
}
