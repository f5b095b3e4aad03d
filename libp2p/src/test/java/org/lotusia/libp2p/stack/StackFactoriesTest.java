package org.lotusia.libp2p.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.SecureChannel;
import org.lotusia.libp2p.StreamMuxer;
import org.lotusia.libp2p.Transport;

/**
 * The factories of the library's transports, security protocols and muxer, the deprecated
 * delegates that still reach them, and the refusal of implementations from elsewhere.
 */
class StackFactoriesTest {

  @Test
  void factoriesMakeTheLibrarysImplementations() {
    assertThat(Transports.tcp().canListen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).isTrue();
    assertThat(Transports.websocket().canListen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws")))
        .isTrue();
    assertThat(Transports.tcp(false).name()).isEqualTo(Transports.tcp().name());
    assertThat(SecureChannels.noise().protocolIds()).containsExactly("/noise");
    assertThat(SecureChannels.plaintext().protocolIds()).containsExactly("/plaintext/2.0.0");
    assertThat(StreamMuxers.yamux().protocolIds()).containsExactly("/yamux/1.0.0");
  }

  @Test
  @SuppressWarnings("deprecation")
  void deprecatedEntryPointsDelegateToTheFactories() {
    assertThat(Transport.tcp().getClass()).isEqualTo(Transports.tcp().getClass());
    assertThat(Transport.memory().getClass()).isEqualTo(Transports.memory().getClass());
    assertThat(Transport.websocket().getClass()).isEqualTo(Transports.websocket().getClass());
    assertThat(SecureChannel.noise().getClass()).isEqualTo(SecureChannels.noise().getClass());
    assertThat(StreamMuxer.yamux().getClass()).isEqualTo(StreamMuxers.yamux().getClass());
  }

  @Test
  void implementationsFromElsewhereAreRefused() {
    Transport foreign =
        new Transport() {
          @Override
          public String name() {
            return "carrier-pigeon";
          }

          @Override
          public boolean canDial(Multiaddr address) {
            return true;
          }

          @Override
          public boolean canListen(Multiaddr address) {
            return true;
          }
        };
    assertThatThrownBy(() -> new HostBuilder().transports(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use Transports.tcp(), websocket() or memory()");
    SecureChannel tls = () -> List.of("/tls/1.0.0");
    assertThatThrownBy(() -> new HostBuilder().security(tls))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use SecureChannels.noise()");
    StreamMuxer mplex = () -> List.of("/mplex/6.7.0");
    assertThatThrownBy(() -> new HostBuilder().muxer(mplex))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use StreamMuxers.yamux()");
  }
}
