package org.lotusia.p2p.protocol.howto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
// howto:begin protocol-imports
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.lotusia.p2p.protocol.DecodeResult;
import org.lotusia.p2p.protocol.MessageStreamDecoder;
import org.lotusia.p2p.protocol.MessageStreamEncoder;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.protocol.P2PProtocol;
import org.lotusia.p2p.protocol.ValidationResult;
// howto:end protocol-imports

/**
 * The examples of docs/HOWTO.md for the protocol module, compiled and run. The regions between the
 * {@code howto:begin} and {@code howto:end} markers are compared with the document. The test lives
 * outside the module's package so that the imports shown are exactly the ones a user needs.
 */
class HowToExamplesTest {

  private static final String ALICE = "12D3KooWBmwkafWE2fqfzS96VoTZnUVXvqFPJhW9FpoaRHbT8aD7";
  private static final String BOB = "12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo";

  @Test
  void buildSerializeValidate() {
    // howto:begin message-create
    String myPeerId = "12D3KooWBmwkafWE2fqfzS96VoTZnUVXvqFPJhW9FpoaRHbT8aD7"; // P2PCoordinator.peerId()
    P2PProtocol protocol = P2PProtocol.defaults(); // or builder(): clock, skew, size cap
    ObjectNode payload = JsonNodeFactory.instance.objectNode().put("text", "hello");
    P2PMessage msg = protocol.createMessage(
        "chat-message", payload, myPeerId, /* to */ null, /* protocol */ "chat", /* signature */ null);
    byte[] wire = protocol.serialize(msg); // the bytes JSON.stringify writes; refused above the cap

    P2PMessage received = protocol.deserialize(wire); // MessageFormatException names the problem
    ValidationResult v = protocol.validate(received); // v.valid(), v.problem()
    String hash = protocol.computeMessageHash(received); // lotus-sdk's de-duplication hash (hex)
    // howto:end message-create

    assertThat(v.valid()).isTrue();
    assertThat(received.type()).isEqualTo("chat-message");
    assertThat(received.payload().get("text").asText()).isEqualTo("hello");
    assertThat(hash).hasSize(64).isEqualTo(protocol.computeMessageHash(msg));
    assertThat(new String(wire, java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("{\"type\":\"chat-message\",\"from\":\"" + ALICE + "\",\"payload\":");
  }

  @Test
  void decodeFromAStream() {
    P2PProtocol protocol = P2PProtocol.defaults();
    P2PMessage msg = protocol.createMessage("peer-heartbeat", null, BOB, ALICE, null, null);
    // howto:begin message-stream
    // Sending: write these bytes on a /lotus/message/1.0.0 stream, then close the write side.
    byte[] bytes = new MessageStreamEncoder(protocol).encode(msg);

    // Receiving: one decoder per inbound stream, fed with the chunks as they arrive.
    MessageStreamDecoder decoder = new MessageStreamDecoder(protocol); // 100,000-byte cap
    DecodeResult r = null;
    for (int off = 0; off < bytes.length && r == null; off += 7) {
      byte[] chunk = Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + 7));
      r = decoder.onData(chunk); // null: keep reading; Failed: abort the stream now
    }
    if (r == null) {
      r = decoder.onEndOfStream(); // the remote closed its write side
    }
    if (r instanceof DecodeResult.Decoded d) {
      P2PMessage message = d.message();
      // hand the message on (for example to CoreSecurityManager.checkMessage)
    } else if (r instanceof DecodeResult.Failed f) {
      // f.failure() says what was wrong, f.detail() explains
    }
    // howto:end message-stream

    assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
    assertThat(((DecodeResult.Decoded) r).message()).isEqualTo(msg);
    assertThat(r.bytesReceived()).isEqualTo(bytes.length);
  }
}
