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
}
