package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzzes the Noise XX handshake from the remote's side (noise-libp2p spec, "Handshake"). The first
 * input byte picks a scenario, the rest is what the remote controls in it:
 *
 * <ol>
 *   <li>0: the raw bytes a dialer sends to the responder (length prefixes, message 1, anything);
 *   <li>1: a valid message 1, then message 3 correctly encrypted around the fuzzed payload, so the
 *       payload decoder (protobuf, identity key, signature, extensions) sees arbitrary bytes;
 *   <li>2: the same for message 2 and the initiator;
 *   <li>3: a valid message 1, then raw bytes where message 3 belongs;
 *   <li>4: raw bytes where the initiator expects message 2.
 * </ol>
 *
 * The input's length picks the handler's ChaCha20-Poly1305 implementation among those that load.
 *
 * <p>Contract: the handshake is pending, established with the only remote that can sign its static
 * key, or failed with a {@code ProtocolViolationException} and the connection closed; nothing
 * escapes the pipeline and every buffer is released. Runs its seeds in every build and is fuzzed by
 * the build's fuzzing pass.
 */
class NoiseHandshakeFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void remoteHandshake(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    int scenario = (input[0] & 0xff) % 5;
    int chunk = 1 + ((input[0] & 0xff) / 5) * 8; // how the wire bytes are split
    NoiseFuzzPeer p = new NoiseFuzzPeer(scenario == 2 || scenario == 4, input.length);
    switch (scenario) {
      case 0 -> p.feed(rest, chunk);
      case 1 -> {
        respondUpToMessage3(p);
        p.feedMessage(p.remote.writeMessage(rest));
      }
      case 2 -> {
        p.remote.readMessage(p.writtenMessage());
        p.feedMessage(p.remote.writeMessage(rest));
      }
      case 3 -> {
        respondUpToMessage3(p);
        p.feed(rest, chunk);
      }
      default -> {
        p.remote.readMessage(p.writtenMessage());
        p.feed(rest, chunk);
      }
    }
    p.checkHandshakeOutcome();
    if (scenario == 1 || scenario == 2) {
      assertThat(p.handler.session()).as("a whole message 3/2 settles the handshake").isDone();
    }
    p.finish();
  }

  /** Sends a valid message 1 and reads the responder's message 2. */
  private static void respondUpToMessage3(NoiseFuzzPeer p) {
    p.feedMessage(p.remote.writeMessage(new byte[0]));
    p.remote.readMessage(p.writtenMessage());
    assertThat(p.handler.session()).isNotDone();
  }
}
