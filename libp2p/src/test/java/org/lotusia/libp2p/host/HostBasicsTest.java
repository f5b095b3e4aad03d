package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.host.Hosts.Stack;
import org.lotusia.libp2p.protocol.identify.Identify;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.protocol.ping.PingSession;

class HostBasicsTest {

  private final Hosts hosts = new Hosts();

  @AfterEach
  void stop() {
    hosts.close();
  }

  @ParameterizedTest
  @EnumSource(Stack.class)
  void dialsBothWaysAndPings(Stack stack) {
    Host a = hosts.start(stack);
    Host b = hosts.start(stack);
    assertThat(a.listenAddresses()).hasSize(1);
    assertThat(a.listenAddresses().get(0).peerId()).contains(a.peerId());

    Connection ab = join(a.dial(b.listenAddresses().get(0)));
    assertThat(ab.remotePeer()).isEqualTo(b.peerId());
    assertThat(ab.direction()).isEqualTo(Direction.OUTBOUND);
    assertThat(ab.muxerProtocol()).isEqualTo("/yamux/1.0.0");
    PingSession ping = join(a.newStream(ab, new Ping()));
    Duration rtt = join(ping.ping());
    assertThat(rtt).isPositive();
    join(ping.ping());
    join(ping.close());

    Connection ba = join(b.dial(a.listenAddresses().get(0), DialOptions.FORCE));
    assertThat(ba.remotePeer()).isEqualTo(a.peerId());
    assertThat(join(join(b.newStream(ba, new Ping())).ping())).isPositive();
  }

  @ParameterizedTest
  @EnumSource(Stack.class)
  void identifyFillsThePeerStore(Stack stack) {
    Host a = hosts.start(stack);
    Host b = hosts.start(stack, x -> x.agentVersion("test-agent/1"));
    join(a.dial(b.listenAddresses().get(0)));
    await().atMost(Duration.ofSeconds(10)).until(() -> a.peerStore().agentVersion(b.peerId()).isPresent());
    assertThat(a.peerStore().agentVersion(b.peerId())).contains("test-agent/1");
    assertThat(a.peerStore().protocols(b.peerId()))
        .contains(Identify.PROTOCOL_ID, Identify.PUSH_PROTOCOL_ID, Ping.PROTOCOL_ID);
    assertThat(a.peerStore().addresses(b.peerId()))
        .containsExactly(b.listenAddresses().get(0).withoutPeerId());
    assertThat(a.peerStore().publicKey(b.peerId())).contains(b.identity().publicKey());
    await().atMost(Duration.ofSeconds(10)).until(() -> b.peerStore().agentVersion(a.peerId()).isPresent());
  }

  @org.junit.jupiter.api.Test
  void listenersSeeOpenStreamAndCloseEvents() {
    Host a = hosts.start(Stack.MEMORY_PLAINTEXT);
    Host b = hosts.start(Stack.MEMORY_PLAINTEXT);
    java.util.List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    b.addListener(new org.lotusia.libp2p.HostListener() {
      @Override
      public void connectionOpened(Connection c) {
        events.add("open " + c.remotePeer() + " " + c.direction());
      }

      @Override
      public void streamOpened(org.lotusia.libp2p.Stream s) {
        events.add("stream " + s.protocol() + " " + s.direction());
      }

      @Override
      public void connectionClosed(Connection c) {
        events.add("closed " + c.remotePeer());
      }
    });
    Connection c = join(a.dial(b.listenAddresses().get(0)));
    join(join(a.newStream(c, new Ping())).ping());
    join(c.close());
    await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("closed " + a.peerId()));
    assertThat(events).contains("open " + a.peerId() + " INBOUND",
        "stream " + Ping.PROTOCOL_ID + " INBOUND", "stream " + Identify.PROTOCOL_ID + " OUTBOUND");
    assertThat(events.get(0)).startsWith("open ");
    assertThat(events.get(events.size() - 1)).startsWith("closed ");
  }

  @org.junit.jupiter.api.Test
  void builderRejectsBadSettings() {
    org.lotusia.libp2p.HostBuilder b = new org.lotusia.libp2p.HostBuilder();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.connectionLimits(10, 5, 6))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lowWater");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.dialTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dialTimeout");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.listen("/ip4/999.0.0.1/tcp/1"))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.maxStreamBuffer(10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxStreamBuffer");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DialOptions(false, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void startFailsWhenNoTransportCanListen() {
    Host h = new org.lotusia.libp2p.HostBuilder().listen("/ip6/::1/udp/1").build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> join(h.start()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no transport can listen");
  }
}
