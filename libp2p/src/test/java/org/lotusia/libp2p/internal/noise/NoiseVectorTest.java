package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known-answer tests against the published Noise_XX_25519_ChaChaPoly_SHA256 vectors of cacophony
 * and snow (test resource {@code noise/noise-xx-vectors.json}, copied unchanged from the vector
 * files).
 */
class NoiseVectorTest {

  private static final HexFormat HEX = HexFormat.of();

  static Stream<Arguments> vectors() throws IOException {
    try (InputStream in =
        NoiseVectorTest.class.getResourceAsStream("/noise/noise-xx-vectors.json")) {
      JsonNode root = new ObjectMapper().readTree(in);
      List<Arguments> out = new ArrayList<>();
      for (JsonNode v : root.get("vectors")) {
        assertThat(v.get("protocol_name").asText()).isEqualTo(HandshakeState.PROTOCOL_NAME);
        for (AeadImplementation impl : AeadImplementation.values()) {
          if (impl.isAvailable()) {
            out.add(Arguments.of(Named.of(v.get("source").asText(), v), impl));
          }
        }
      }
      assertThat(out).hasSizeGreaterThanOrEqualTo(2);
      return out.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void handshakeAndTransportMatchVector(JsonNode v, AeadImplementation impl) {
    HandshakeState init =
        new HandshakeState(
            true,
            hex(v, "init_prologue"),
            X25519KeyPair.fromPrivateKey(hex(v, "init_static")),
            X25519KeyPair.fromPrivateKey(hex(v, "init_ephemeral")),
            impl);
    HandshakeState resp =
        new HandshakeState(
            false,
            hex(v, "resp_prologue"),
            X25519KeyPair.fromPrivateKey(hex(v, "resp_static")),
            X25519KeyPair.fromPrivateKey(hex(v, "resp_ephemeral")),
            impl);

    JsonNode messages = v.get("messages");
    assertThat(messages.size()).isGreaterThan(3);
    HandshakeState.TransportCiphers ic = null;
    HandshakeState.TransportCiphers rc = null;
    for (int i = 0; i < messages.size(); i++) {
      byte[] payload = hex(messages.get(i), "payload");
      byte[] expected = hex(messages.get(i), "ciphertext");
      boolean fromInitiator = i % 2 == 0;
      if (i < 3) {
        HandshakeState sender = fromInitiator ? init : resp;
        HandshakeState receiver = fromInitiator ? resp : init;
        byte[] wire = sender.writeMessage(payload);
        assertThat(HEX.formatHex(wire))
            .as("handshake message %d", i + 1)
            .isEqualTo(HEX.formatHex(expected));
        assertThat(receiver.readMessage(wire)).isEqualTo(payload);
        if (i == 2) {
          assertThat(init.isComplete()).isTrue();
          assertThat(resp.isComplete()).isTrue();
          assertThat(init.handshakeHash()).isEqualTo(resp.handshakeHash());
          if (v.has("handshake_hash")) {
            assertThat(HEX.formatHex(init.handshakeHash()))
                .isEqualTo(v.get("handshake_hash").asText());
          }
          assertThat(init.remoteStaticKey()).isEqualTo(resp.localStaticKey());
          assertThat(resp.remoteStaticKey()).isEqualTo(init.localStaticKey());
          ic = init.split();
          rc = resp.split();
        }
      } else {
        CipherState enc = fromInitiator ? ic.sender() : rc.sender();
        CipherState dec = fromInitiator ? rc.receiver() : ic.receiver();
        byte[] wire = new byte[payload.length + CipherState.TAG_LENGTH];
        assertThat(enc.encrypt(payload, 0, payload.length, wire, 0)).isEqualTo(wire.length);
        assertThat(HEX.formatHex(wire))
            .as("transport message %d", i + 1)
            .isEqualTo(HEX.formatHex(expected));
        assertThat(enc.implementation()).isEqualTo(impl);
        byte[] plain = new byte[payload.length];
        assertThat(dec.decrypt(wire, 0, wire.length, plain, 0)).isEqualTo(payload.length);
        assertThat(plain).isEqualTo(payload);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void flippedBitInMessageTwoFailsAuthentication(JsonNode v, AeadImplementation impl) {
    HandshakeState init =
        new HandshakeState(
            true,
            hex(v, "init_prologue"),
            X25519KeyPair.fromPrivateKey(hex(v, "init_static")),
            X25519KeyPair.fromPrivateKey(hex(v, "init_ephemeral")),
            impl);
    HandshakeState resp =
        new HandshakeState(
            false,
            hex(v, "resp_prologue"),
            X25519KeyPair.fromPrivateKey(hex(v, "resp_static")),
            X25519KeyPair.fromPrivateKey(hex(v, "resp_ephemeral")),
            impl);
    resp.readMessage(init.writeMessage(new byte[0]));
    byte[] m2 = resp.writeMessage(new byte[] {1, 2, 3});
    m2[40] ^= 1; // inside the encrypted static key
    assertThatThrownBy(() -> init.readMessage(m2))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining("authentication failed");
  }

  private static byte[] hex(JsonNode node, String field) {
    return HEX.parseHex(node.get(field).asText());
  }
}
