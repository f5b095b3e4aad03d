package org.lotusia.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** P2PProtocol against lotus-sdk's golden vectors and behaviour. */
class P2PProtocolTest {

  static final long NOW = 1_700_000_000_000L;
  final MutableClock clock = new MutableClock(NOW);
  final P2PProtocol protocol = P2PProtocol.builder().clock(clock).random(new Random(7)).build();

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void goldenVectorOfTheReferenceSerializesByteForByte() {
    var payload = JsonNodeFactory.instance.objectNode().put("a", 1);
    P2PMessage m =
        new P2PMessage(
            "test-type",
            "12D3KooWSender",
            "12D3KooWTarget",
            payload,
            NOW,
            "lq5x1c2p-0011223344556677",
            null,
            "chat");
    String expected =
        "{\"type\":\"test-type\",\"from\":\"12D3KooWSender\",\"to\":\"12D3KooWTarget\","
            + "\"payload\":{\"a\":1},\"timestamp\":1700000000000,\"messageId\":\"lq5x1c2p-0011223344556677\","
            + "\"protocol\":\"chat\"}";
    assertThat(new String(protocol.serialize(m), StandardCharsets.UTF_8)).isEqualTo(expected);
    assertThat(protocol.computeMessageHash(m))
        .isEqualTo("1326ae5270ddb02d82c9d7e86fcf224b186a3915a10f86432b510a537b27f3f6");
    P2PMessage noTo =
        new P2PMessage(
            "test-type",
            "12D3KooWSender",
            null,
            payload,
            NOW,
            "lq5x1c2p-0011223344556677",
            null,
            "chat");
    assertThat(protocol.computeMessageHash(noTo))
        .isEqualTo("860ea5075b846d1675a2ca2570104df490ceb30aa0b352202e9071c7a58fef50");
    assertThat(protocol.deserialize(utf8(expected))).isEqualTo(m);
  }

  @Test
  void bufferSignatureSerializesLikeNode() {
    P2PMessage m = new P2PMessage("t", "f", null, null, NOW, "id", new byte[] {1, 2, 3}, null);
    assertThat(MessageJson.toJson(m))
        .isEqualTo(
            "{\"type\":\"t\",\"from\":\"f\",\"timestamp\":1700000000000,\"messageId\":\"id\","
                + "\"signature\":{\"type\":\"Buffer\",\"data\":[1,2,3]}}");
    P2PMessage back =
        protocol.deserialize(protocol.serialize(m.withSignature(new byte[] {(byte) 255, 0})));
    assertThat(back.signature()).containsExactly(255, 0);
  }

  @Test
  void everyGoldenMessageFromNodeRoundTripsAndHashes() throws Exception {
    JsonNode golden = JsJsonWriterTest.resource("golden-messages.json");
    assertThat(golden.size()).isEqualTo(5);
    for (JsonNode g : golden) {
      byte[] bytes = utf8(g.get("json").asText());
      P2PMessage m = protocol.deserialize(bytes);
      assertThat(protocol.serialize(m)).as(g.get("json").asText()).isEqualTo(bytes);
      assertThat(protocol.computeMessageHash(m)).isEqualTo(g.get("hash").asText());
    }
  }

  @Test
  void nullPayloadIsKeptAbsentPayloadOmitted() {
    P2PMessage m =
        protocol.deserialize(
            utf8(
                "{\"type\":\"t\",\"from\":\"f\",\"payload\":null,\"timestamp\":1,\"messageId\":\"m\"}"));
    assertThat(m.payload()).isEqualTo(NullNode.instance);
    P2PMessage n =
        protocol.deserialize(
            utf8(
                "{\"type\":\"t\",\"from\":\"f\",\"timestamp\":1,\"messageId\":\"m\",\"to\":null}"));
    assertThat(n.payload()).isNull();
    assertThat(n.to()).isNull();
    assertThat(MessageJson.toJson(n))
        .isEqualTo("{\"type\":\"t\",\"from\":\"f\",\"timestamp\":1,\"messageId\":\"m\"}");
  }

  @Test
  void createMessageUsesLotusIdFormatAndClock() {
    P2PMessage m =
        protocol.createMessage(
            "chat", JsonNodeFactory.instance.textNode("hi"), "peerA", "peerB", "chat", null);
    assertThat(m.timestamp()).isEqualTo(NOW);
    assertThat(m.messageId())
        .matches("[0-9a-z]+-[0-9a-f]{16}")
        .startsWith(Long.toString(NOW, 36) + "-");
    assertThat(protocol.createMessage("x", null, "p").messageId()).isNotEqualTo(m.messageId());
    assertThat(protocol.validateMessage(m)).isTrue();
    assertThatThrownBy(() -> protocol.createMessage("", null, "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("type");
  }

  @Test
  void validationNamesTheMissingField() {
    assertThat(
            protocol
                .validate(new P2PMessage(null, "f", null, null, NOW, "m", null, null))
                .problem())
        .contains("'type'");
    assertThat(
            protocol.validate(new P2PMessage("t", "", null, null, NOW, "m", null, null)).problem())
        .contains("'from'");
    assertThat(
            protocol.validate(new P2PMessage("t", "f", null, null, 0, "m", null, null)).problem())
        .contains("'timestamp'");
    assertThat(
            protocol.validate(new P2PMessage("t", "f", null, null, NOW, "", null, null)).problem())
        .contains("'messageId'");
  }

  @Test
  void clockSkewWindowIsFiveMinutesByDefaultAndConfigurable() {
    P2PMessage old = new P2PMessage("t", "f", null, null, NOW - 300_000, "m", null, null);
    P2PMessage tooOld = new P2PMessage("t", "f", null, null, NOW - 300_001, "m", null, null);
    P2PMessage future = new P2PMessage("t", "f", null, null, NOW + 400_000, "m", null, null);
    assertThat(protocol.validateMessage(old)).isTrue();
    assertThat(protocol.validate(tooOld).problem()).contains("in the past");
    assertThat(protocol.validate(future).problem()).contains("in the future");
    P2PProtocol wide =
        P2PProtocol.builder().clock(clock).maxClockSkew(Duration.ofMinutes(10)).build();
    assertThat(wide.validateMessage(future)).isTrue();
  }

  @Test
  void deserializeErrorsSayWhatIsWrong() {
    assertError("", DecodeFailure.EMPTY, "empty");
    assertError("{\"type\":1}", DecodeFailure.INVALID_FIELD, "'type' must be a string");
    assertError(
        "{\"timestamp\":\"1\"}", DecodeFailure.INVALID_FIELD, "'timestamp' must be a number");
    assertError("{\"timestamp\":1.5}", DecodeFailure.INVALID_FIELD, "integer");
    assertError("{\"signature\":\"abc\"}", DecodeFailure.INVALID_FIELD, "Buffer");
    assertError(
        "{\"signature\":{\"type\":\"Buffer\",\"data\":[256]}}",
        DecodeFailure.INVALID_FIELD,
        "0..255");
    assertError("[1,2]", DecodeFailure.NOT_AN_OBJECT, "array");
    assertError("{} {}", DecodeFailure.MALFORMED_JSON, "not valid JSON");
    assertError("{\"a\":1,}", DecodeFailure.MALFORMED_JSON, "not valid JSON");
    assertError("\uFEFF{}", DecodeFailure.MALFORMED_JSON, "not valid JSON");
    assertError(
        "{\"a\":" + "[".repeat(300) + "]".repeat(300) + "}", DecodeFailure.MALFORMED_JSON, "depth");
    assertError("{\"a\":" + "1".repeat(500) + "}", DecodeFailure.MALFORMED_JSON, "length");
  }

  @Test
  void deserializeEnforcesTheCap() {
    P2PProtocol small = P2PProtocol.builder().clock(clock).maxMessageSize(64).build();
    byte[] big = utf8("{\"type\":\"" + "x".repeat(100) + "\"}");
    assertThatThrownBy(() -> small.deserialize(big))
        .isInstanceOf(MessageFormatException.class)
        .hasMessageContaining("cap of 64")
        .extracting(e -> ((MessageFormatException) e).failure())
        .isEqualTo(DecodeFailure.OVERSIZED);
    P2PMessage m = new P2PMessage("x".repeat(100), "f", null, null, NOW, "m", null, null);
    assertThatThrownBy(() -> small.serialize(m))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cap of 64");
  }

  @Test
  void invalidUtf8IsReplacedLikeNode() {
    byte[] bytes = utf8("{\"type\":\"a?b\",\"from\":\"f\",\"timestamp\":1,\"messageId\":\"m\"}");
    bytes[10] = (byte) 0xFF;
    assertThat(protocol.deserialize(bytes).type()).isEqualTo("a\uFFFDb");
  }

  @Test
  void validateMessageSizeUsesSerializedLength() {
    P2PMessage small = protocol.createMessage("t", JsonNodeFactory.instance.textNode("x"), "f");
    P2PMessage big =
        protocol.createMessage("t", JsonNodeFactory.instance.textNode("x".repeat(10_000)), "f");
    assertThat(protocol.validateMessageSize(small, 1024)).isTrue();
    assertThat(protocol.validateMessageSize(big, 1024)).isFalse();
    assertThat(protocol.validateMessageSize(big)).isTrue();
  }

  @Test
  void utilityMessagesHaveLotusShapes() {
    P2PMessage hs =
        protocol.createHandshake("me", JsonNodeFactory.instance.objectNode().put("v", 1));
    assertThat(hs.type()).isEqualTo("peer-handshake");
    assertThat(JsJsonWriter.write(hs.payload()))
        .isEqualTo("{\"peerId\":\"me\",\"timestamp\":" + NOW + ",\"metadata\":{\"v\":1}}");
    assertThat(JsJsonWriter.write(protocol.createHeartbeat("me").payload()))
        .isEqualTo("{\"timestamp\":" + NOW + "}");
    P2PMessage d = protocol.createDisconnect("me", "test reason");
    assertThat(d.type()).isEqualTo("peer-disconnect");
    assertThat(JsJsonWriter.write(d.payload()))
        .isEqualTo("{\"reason\":\"test reason\",\"timestamp\":" + NOW + "}");
    P2PMessage e = protocol.createError("me", "boom", JsonNodeFactory.instance.textNode("ctx"));
    assertThat(e.type()).isEqualTo("error");
    assertThat(JsJsonWriter.write(e.payload()))
        .isEqualTo("{\"error\":\"boom\",\"context\":\"ctx\",\"timestamp\":" + NOW + "}");
    assertThat(hs.from()).isEqualTo("me");
  }

  @Test
  void differentMessagesHashDifferently() {
    P2PMessage a = new P2PMessage("a", "f", null, null, NOW, "m", null, null);
    P2PMessage b = new P2PMessage("b", "f", null, null, NOW, "m", null, null);
    assertThat(protocol.computeMessageHash(a))
        .hasSize(64)
        .isNotEqualTo(protocol.computeMessageHash(b));
    assertThat(protocol.computeMessageHash(a)).isEqualTo(protocol.computeMessageHash(a));
  }

  private void assertError(String json, DecodeFailure failure, String text) {
    assertThatThrownBy(() -> protocol.deserialize(utf8(json)))
        .isInstanceOf(MessageFormatException.class)
        .hasMessageContaining(text)
        .extracting(e -> ((MessageFormatException) e).failure())
        .isEqualTo(failure);
  }
}
