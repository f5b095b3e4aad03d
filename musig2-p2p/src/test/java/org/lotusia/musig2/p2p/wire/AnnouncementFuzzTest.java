package org.lotusia.musig2.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the decoder of session announcements, the JSON a peer publishes on the announcement
 * topic (the input is the message body). {@code mvn test} runs the committed seeds; the fuzzing
 * pass fuzzes it. Contract: only {@link MalformedMessageException} escapes, and whatever decodes
 * re-encodes to an announcement that decodes equal.
 */
class AnnouncementFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void fuzzAnnouncement(byte[] input) {
    SessionAnnouncement a;
    try {
      a = SessionAnnouncement.decode(WireJson.parseObject(input, 65_536, "announcement"));
    } catch (MalformedMessageException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(SessionAnnouncement.decode(a.toJson())).isEqualTo(a);
  }
}
