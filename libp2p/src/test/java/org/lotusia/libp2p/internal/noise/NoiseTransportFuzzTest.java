package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.testing.FuzzSeeds;

/**
 * Fuzzes the Noise transport phase (noise-libp2p spec, "Wire Format"): after a real handshake, the
 * input is a script of what the remote sends, each step one of
 *
 * <ul>
 *   <li>{@code 0 hi lo}: a correctly encrypted message of {@code (hi << 8 | lo) % 65520} plaintext
 *       bytes (taken from the input, zero-padded), up to the 65519-byte maximum;
 *   <li>{@code 1 n}: {@code n} raw bytes from the input (a forged message or a partial one);
 *   <li>{@code 2 at}: a correctly encrypted message of the next input byte with the bit at {@code at}
 *       flipped (length prefix, ciphertext or tag);
 *   <li>{@code 3 len}: a length prefix of {@code len} (0..255) with that many bytes after it.
 * </ul>
 *
 * The first input byte picks the handler's role, heap or direct input buffers, and the chunk size of
 * delivery; the input's length picks the handler's ChaCha20-Poly1305 implementation among those that
 * load (native, JDK, plain Java), each checked against the remote's plain Java one.
 *
 * <p>Contract: the handler passes on exactly the plaintext of the correct messages that came before
 * the first forged or broken one, in order and nothing after it (what was accepted is never lost,
 * nothing forged gets through); a failure is a {@link ProtocolViolationException} that closes the
 * connection; nothing escapes the pipeline and every buffer is released.
 */
class NoiseTransportFuzzTest {

  /** Bounds the bytes one input may expand to (a few maximum-size messages). */
  private static final int MAX_WIRE = 1 << 20;

  @FuzzTest(maxDuration = "30s")
  void remoteTransportMessages(byte[] input) {
    if (input.length > 0) {
      run(input, input.length);
    }
  }

  /**
   * Every seed on every implementation that loads here, whatever its length picks: a forged tag,
   * a flipped bit and a maximum-size direct message are refused or opened alike by each.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "initiator-forged-message",
        "initiator-two-messages-chunked",
        "responder-bit-flip-after-data",
        "responder-direct-maximum-message",
        "responder-short-prefix",
        "responder-two-messages"
      })
  void everySeedHoldsOnEveryImplementation(String seed) {
    byte[] input = FuzzSeeds.read(NoiseTransportFuzzTest.class, "remoteTransportMessages", seed);
    for (int aead = 0; aead < NoiseFuzzPeer.AEADS.size(); aead++) {
      run(input, aead);
    }
  }

  /** Runs one script with the handler on {@code AEADS[aead % size]} and checks the contract. */
  private static void run(byte[] input, int aead) {
    boolean handlerIsInitiator = (input[0] & 1) != 0;
    int chunk = 1 + ((input[0] & 0xff) >>> 2) * 61;
    NoiseFuzzPeer p = establish(handlerIsInitiator, aead);
    p.directInput = (input[0] & 2) != 0;
    HandshakeState.TransportCiphers remote = p.remote.split();

    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    boolean broken = false;
    int i = 1;
    while (i < input.length && wire.size() < MAX_WIRE) {
      int op = (input[i++] & 0xff) % 4;
      int arg = i < input.length ? input[i++] & 0xff : 0;
      switch (op) {
        case 0 -> {
          int lo = i < input.length ? input[i++] & 0xff : 0;
          int n = ((arg << 8) | lo) % (NoiseHandler.MAX_PLAINTEXT + 1);
          byte[] plain = new byte[n];
          int take = Math.min(n, input.length - i);
          System.arraycopy(input, i, plain, 0, take);
          i += take;
          wire.writeBytes(seal(remote.sender(), plain));
          if (!broken) {
            expected.writeBytes(plain);
          }
        }
        case 1 -> {
          int take = Math.min(arg, input.length - i);
          wire.write(input, i, take);
          i += take;
          broken |= take > 0;
        }
        case 2 -> {
          byte[] plain = {i < input.length ? input[i++] : 0};
          byte[] msg = seal(remote.sender(), plain);
          int bit = arg % (msg.length * 8);
          msg[bit / 8] ^= (byte) (1 << (bit % 8));
          wire.writeBytes(msg);
          broken = true;
        }
        default -> {
          wire.write(0);
          wire.write(arg);
          int take = Math.min(arg, input.length - i);
          wire.write(input, i, take);
          i += take;
          broken = true;
        }
      }
    }
    p.feed(wire.toByteArray(), chunk);

    byte[] got = p.received.data.toByteArray();
    byte[] want = expected.toByteArray();
    if (p.received.failure != null || !p.channel.isOpen()) {
      assertThat(p.received.failure).isInstanceOf(ProtocolViolationException.class);
      assertThat(p.channel.isOpen()).isFalse();
    }
    assertThat(got).as("plaintext passed on").isEqualTo(want);
    p.finish();
  }

  /** A real handshake between the handler and the test-side remote. */
  static NoiseFuzzPeer establish(boolean handlerIsInitiator, int aead) {
    NoiseFuzzPeer p = new NoiseFuzzPeer(handlerIsInitiator, aead);
    if (handlerIsInitiator) {
      p.remote.readMessage(p.writtenMessage());
      p.feedMessage(p.remote.writeMessage(NoiseFuzzPeer.VALID_REMOTE_PAYLOAD));
      p.remote.readMessage(p.writtenMessage());
    } else {
      p.feedMessage(p.remote.writeMessage(new byte[0]));
      p.remote.readMessage(p.writtenMessage());
      p.feedMessage(p.remote.writeMessage(NoiseFuzzPeer.VALID_REMOTE_PAYLOAD));
    }
    assertThat(p.handler.session()).isCompleted();
    return p;
  }

  private static byte[] seal(CipherState sender, byte[] plain) {
    byte[] msg = new byte[2 + plain.length + CipherState.TAG_LENGTH];
    int len = plain.length + CipherState.TAG_LENGTH;
    msg[0] = (byte) (len >>> 8);
    msg[1] = (byte) len;
    sender.encrypt(plain, 0, plain.length, msg, 2);
    return msg;
  }
}
