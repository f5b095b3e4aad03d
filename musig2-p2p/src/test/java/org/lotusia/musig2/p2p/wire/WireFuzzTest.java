package org.lotusia.musig2.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lotusia.musig2.p2p.discovery.SignerAdvertisement;
import org.lotusia.musig2.p2p.discovery.SigningRequest;

/**
 * Jazzer fuzz tests of every decoder of this module: session messages, announcements, discovery
 * adverts. {@code mvn test} runs them over the committed seed corpus; with {@code JAZZER_FUZZ=1}
 * Jazzer fuzzes them. Properties: only {@link MalformedMessageException} escapes, and whatever
 * decodes re-encodes to a fixed point.
 */
class WireFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void fuzzSessionMessage(FuzzedDataProvider data) {
    MessageType type = MessageType.values()[data.consumeInt(0, MessageType.values().length - 1)];
    String json = data.consumeRemainingAsString();
    SessionMessage m;
    try {
      m = SessionMessages.decode(type, WireJson.parseObject(json, "payload"));
    } catch (MalformedMessageException e) {
      return;
    }
    assertThat(SessionMessages.decode(type, m.toJson())).isEqualTo(m);
    SignedEncoding.messageDigest("p", "id", 0, m);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzzAnnouncement(byte[] input) {
    SessionAnnouncement a;
    try {
      a = SessionAnnouncement.decode(WireJson.parseObject(input, 65_536, "announcement"));
    } catch (MalformedMessageException e) {
      return;
    }
    assertThat(SessionAnnouncement.decode(a.toJson())).isEqualTo(a);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzzAdverts(byte[] input) {
    ObjectNode o;
    try {
      o = WireJson.parseObject(input, 16_384, "advert");
    } catch (MalformedMessageException e) {
      return;
    }
    try {
      SignerAdvertisement s = SignerAdvertisement.decode(o);
      assertThat(SignerAdvertisement.decode(s.toJson()).toJson()).isEqualTo(s.toJson());
      s.signedDigest();
    } catch (MalformedMessageException e) {
      // refused with a reason
    }
    try {
      SigningRequest r = SigningRequest.decode(o);
      assertThat(SigningRequest.decode(r.toJson()).toJson()).isEqualTo(r.toJson());
      r.signedDigest();
    } catch (MalformedMessageException e) {
      // refused with a reason
    }
  }
}
