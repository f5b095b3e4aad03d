package org.lotusia.musig2.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the payload decoders of the session messages (join, nonce commitments and shares, partial
 * signatures, participants, abort, complete, failover): a number taken from the input picks the
 * message type, the rest is the JSON payload. {@code mvn test} runs the committed seeds; the fuzzing pass
 * fuzzes it. Contract: only {@link MalformedMessageException} escapes, whatever decodes re-encodes
 * to a message that decodes equal, and its signed digest can be computed.
 */
class SessionMessageFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void fuzzSessionMessage(FuzzedDataProvider data) {
    MessageType type = MessageType.values()[data.consumeInt(0, MessageType.values().length - 1)];
    String json = data.consumeRemainingAsString();
    SessionMessage m;
    try {
      m = SessionMessages.decode(type, WireJson.parseObject(json, "payload"));
    } catch (MalformedMessageException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(SessionMessages.decode(type, m.toJson())).isEqualTo(m);
    SignedEncoding.messageDigest("p", "id", 0, m);
  }
}
