package org.lotusia.libp2p.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.interop.JsInterop;
import org.lotusia.libp2p.interop.JsPeer;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.stack.SecureChannels;

/**
 * Early muxer negotiation (libp2p's inlined-muxer-negotiation spec): Noise carries the muxer lists,
 * and the muxer is installed without multistream-select between Java hosts and with js-libp2p in
 * both directions; plaintext, which carries no list, negotiates it with multistream-select.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EarlyMuxerNegotiationTest {

  private static final String YAMUX = "/yamux/1.0.0";
  private static final String MPLEX = "/mplex/6.7.0";

  private Host a;
  private Host b;

  @AfterEach
  void stop() {
    for (Host h : new Host[] {a, b}) {
      if (h != null) {
        h.closeAsync().join();
      }
    }
  }

  @Test
  void theFirstOfTheInitiatorsListThatBothSupportIsChosenOnBothSides() {
    List<String> initiator = List.of(YAMUX, MPLEX);
    List<String> responder = List.of(MPLEX, YAMUX);
    assertThat(Upgrader.earlyMuxer(true, initiator, responder)).contains(YAMUX);
    assertThat(Upgrader.earlyMuxer(false, responder, initiator)).contains(YAMUX);
    assertThat(Upgrader.earlyMuxer(true, List.of(MPLEX, YAMUX), List.of(YAMUX))).contains(YAMUX);
    assertThat(Upgrader.earlyMuxer(true, List.of(YAMUX), List.of(MPLEX))).isEmpty();
    assertThat(Upgrader.earlyMuxer(false, List.of(YAMUX), List.of(MPLEX))).isEmpty();
  }

  @Test
  void javaHostsChooseTheMuxerInTheNoiseHandshake() {
    a = start(new HostBuilder());
    b = start(new HostBuilder().listen("/ip4/127.0.0.1/tcp/0"));
    Connection c = a.dial(b.listenAddresses().get(0)).join();
    assertThat(c.muxerProtocol()).isEqualTo(YAMUX);
    assertThat(((ConnectionImpl) c).muxerFromHandshake()).isTrue();
    Connection atB = awaitConnection(b);
    assertThat(((ConnectionImpl) atB).muxerFromHandshake()).isTrue();
    assertThat(a.newStream(c, new Ping()).join().ping().join()).isPositive();
  }

  @Test
  void plaintextCarriesNoListSoTheMuxerIsNegotiatedWithMultistreamSelect() {
    a = start(new HostBuilder().security(SecureChannels.plaintext()));
    b =
        start(
            new HostBuilder()
                .security(SecureChannels.plaintext())
                .listen("/ip4/127.0.0.1/tcp/0"));
    Connection c = a.dial(b.listenAddresses().get(0)).join();
    assertThat(c.muxerProtocol()).isEqualTo(YAMUX);
    assertThat(((ConnectionImpl) c).muxerFromHandshake()).isFalse();
    assertThat(a.newStream(c, new Ping()).join().ping().join()).isPositive();
  }

  /**
   * js-libp2p lists its muxers in the handshake and installs the muxer without multistream-select
   * when the remote lists them too: had either side used multistream-select while the other did
   * not, the first Yamux frames would be taken for a multistream-select message and ping would
   * fail.
   */
  @Test
  void withJsLibp2pTheMuxerIsChosenInTheHandshakeInBothDirections() {
    JsInterop.requireJsPeer();
    a = start(new HostBuilder()); // dials js
    b = start(new HostBuilder().listen("/ip4/127.0.0.1/tcp/0")); // dialled by js
    try (JsPeer js = new JsPeer("early-muxer")) {
      js.awaitReady(Duration.ofSeconds(60));
      Connection out = a.dial(Multiaddr.parse(js.addr())).join();
      assertThat(((ConnectionImpl) out).muxerFromHandshake()).isTrue();
      assertThat(a.newStream(out, new Ping()).join().ping().join()).isPositive();

      Multiaddr addrOfB = b.listenAddresses().get(0).withPeerId(b.peerId());
      js.cmd("ping", java.util.Map.of("addr", addrOfB.toString()));
      Connection in = awaitConnection(b);
      assertThat(((ConnectionImpl) in).muxerFromHandshake()).isTrue();
    }
  }

  private static Host start(HostBuilder builder) {
    Host h = builder.build();
    h.addProtocol(new Ping());
    h.start().join();
    return h;
  }

  private static Connection awaitConnection(Host h) {
    await().atMost(Duration.ofSeconds(10)).until(() -> !h.connections().isEmpty());
    return h.connections().get(0);
  }
}
