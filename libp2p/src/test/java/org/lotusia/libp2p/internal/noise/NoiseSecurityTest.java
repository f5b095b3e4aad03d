package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;

class NoiseSecurityTest {

  private static final IdentityPrivateKey ID = Keys.generateEd25519();

  @Test
  void builderRejectsBadSettings() {
    NoiseSecurity.Builder b = NoiseSecurity.builder(ID);
    assertThatThrownBy(() -> b.handshakeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> b.maxHandshakeMessageLength(95))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("96 to 65535, got 95");
    assertThatThrownBy(() -> b.maxHandshakeMessageLength(65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 65536");
    assertThatThrownBy(() -> b.staticKey(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32-byte");
    assertThatThrownBy(() -> NoiseSecurity.builder(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void givenStaticKeyIsUsedAndEachInstanceOtherwiseGetsItsOwn() {
    byte[] sk = new byte[32];
    sk[0] = 42;
    NoiseSecurity fixed = NoiseSecurity.builder(ID).staticKey(sk).build();
    assertThat(fixed.staticPublicKey()).isEqualTo(X25519KeyPair.fromPrivateKey(sk).publicKey());
    assertThat(NoiseSecurity.builder(ID).build().staticPublicKey())
        .isNotEqualTo(NoiseSecurity.builder(ID).build().staticPublicKey());
    assertThat(fixed.localPeer()).isEqualTo(PeerId.fromPublicKey(ID.publicKey()));
    assertThat(fixed.handshakeTimeout()).isEqualTo(NoiseSecurity.DEFAULT_HANDSHAKE_TIMEOUT);
    assertThat(fixed.maxHandshakeMessageLength()).isEqualTo(65535);
    assertThat(NoiseSecurity.PROTOCOL_ID).isEqualTo("/noise");
  }

  @Test
  void limitAppliesToMessageTwoOnTheDialer() throws Exception {
    NoiseSecurity dialerSec =
        NoiseSecurity.builder(Keys.generateEd25519()).maxHandshakeMessageLength(150).build();
    NoiseHandler dialerHandler = dialerSec.newInitiator(null);
    NoiseHandler listenerHandler = NoiseSecurity.responder(ID); // its message 2 is about 200 bytes
    try (ChannelPair p = new ChannelPair(dialerHandler, listenerHandler)) {
      p.pump();
      assertThatThrownBy(() -> dialerHandler.session().get())
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(ProtocolViolationException.class)
          .hasMessageContaining("message 2 of")
          .hasMessageContaining("exceeds the limit of 150");
    }
  }

  @Test
  void trailingBytesAfterMessageTwoAreRejected() {
    NoiseHandler dialerHandler = NoiseSecurity.initiator(Keys.generateEd25519(), null);
    NoiseHandler listenerHandler = NoiseSecurity.responder(ID);
    EmbeddedChannel dialer = new EmbeddedChannel(dialerHandler);
    EmbeddedChannel listener = new EmbeddedChannel(listenerHandler);
    ChannelPair.move(dialer, listener);
    ByteBuf m2 = ChannelPair.drainOutbound(listener);
    // A responder cannot send transport data before message 3: whatever follows message 2 is
    // garbage.
    ByteBuf both =
        Unpooled.wrappedBuffer(
            m2,
            Unpooled.wrappedBuffer(
                new byte[] {
                  0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20
                }));
    assertThatThrownBy(() -> dialer.writeInbound(both))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("authentication failed");
    assertThat(dialerHandler.session()).isCompleted(); // the handshake itself had succeeded
    assertThat(dialer.isOpen()).isFalse();
    dialer.finishAndReleaseAll();
    listener.finishAndReleaseAll();
  }
}
