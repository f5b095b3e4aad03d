package org.lotusia.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties every decoded input must satisfy, shared by the fuzz and randomized tests. */
final class DecoderProperties {

  private DecoderProperties() {}

  /**
   * Deserializes arbitrary bytes: either a MessageFormatException or a message satisfying
   * checkMessage.
   */
  static void checkDeserialize(P2PProtocol protocol, byte[] input) {
    P2PMessage m;
    try {
      m = protocol.deserialize(input);
    } catch (MessageFormatException e) {
      assertThat(e.getMessage()).isNotBlank();
      assertThat(e.failure()).isNotNull();
      return;
    }
    checkMessage(protocol, m);
  }

  /**
   * A decoded message re-encodes, decodes to an equal message, and its encoding is a fixed point.
   */
  static void checkMessage(P2PProtocol protocol, P2PMessage m) {
    byte[] once = MessageJson.toBytes(m);
    P2PMessage again = MessageJson.parse(once, 0, once.length);
    byte[] twice = MessageJson.toBytes(again);
    assertThat(twice).isEqualTo(once);
    assertThat(MessageJson.toBytes(MessageJson.parse(twice, 0, twice.length))).isEqualTo(once);
    assertThat(protocol.computeMessageHash(m))
        .hasSize(64)
        .isEqualTo(protocol.computeMessageHash(again));
    protocol.validate(m);
    MessageAuthenticator.signingBytes(m);
  }
}
