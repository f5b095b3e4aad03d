package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.ResourceLimitException;
import org.lotusia.libp2p.ResourceLimits;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.host.Hosts.Stack;
import org.lotusia.libp2p.protocol.perf.Perf;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.protocol.ping.PingSession;

/**
 * Attacks on the connection and stream limits of the resource manager: a peer that opens more
 * connections or streams than allowed is refused, counted, and the host keeps serving within the
 * limits.
 */
class ResourceLimitsStreamsTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final List<String> PING = List.of(Ping.PROTOCOL_ID);

  private final Hosts hosts = new Hosts();

  @AfterEach
  void stop() {
    hosts.close();
  }

  private Host withLimits(ResourceLimits limits) {
    return hosts.start(Stack.MEMORY_NOISE, b -> b.resourceLimits(limits));
  }

  @Test
  void inboundConnectionsPerPeerAreRefusedBeyondTheLimit() {
    Host target = withLimits(ResourceLimits.builder().maxConnectionsPerPeer(2).build());
    Host attacker = hosts.start(Stack.MEMORY_NOISE);
    Multiaddr addr = target.listenAddresses().get(0);
    for (int i = 0; i < 5; i++) {
      try {
        join(attacker.dial(addr, DialOptions.FORCE));
      } catch (RuntimeException e) {
        // the target may close the refused connection before the attacker registered it
      }
    }
    await().atMost(DEADLINE).until(() -> target.stats().refusals().connectionsPerPeer() == 3);
    assertThat(target.connections(attacker.peerId())).hasSize(2);
    await().atMost(DEADLINE).until(() -> attacker.connections(target.peerId()).size() == 2);
    // the two admitted connections keep working
    join(join(attacker.newStream(target.peerId(), PING)).close());
  }

  @Test
  void outboundConnectionsPerPeerFailWithResourceLimitException() {
    Host dialer = withLimits(ResourceLimits.builder().maxConnectionsPerPeer(1).build());
    Host other = hosts.start(Stack.MEMORY_NOISE);
    Multiaddr addr = other.listenAddresses().get(0);
    join(dialer.dial(addr));
    assertThatThrownBy(() -> join(dialer.dial(addr, DialOptions.FORCE)))
        .isInstanceOf(ResourceLimitException.class)
        .hasMessageContaining("maxConnectionsPerPeer 1");
    assertThat(dialer.stats().refusals().connectionsPerPeer()).isEqualTo(1);
    assertThat(dialer.connections(other.peerId())).hasSize(1);
  }

  @Test
  void inboundStreamsPerConnectionAreResetBeyondTheLimitAndFreedOnClose() {
    Host target = withLimits(ResourceLimits.builder().streamsPerConnection(3, 512).build());
    Host attacker = hosts.start(Stack.MEMORY_NOISE);
    Connection conn = join(attacker.dial(target.listenAddresses().get(0)));
    // identify's stream to the target counts too: let it finish first
    join(attacker.identified(target.peerId()));
    await()
        .atMost(DEADLINE)
        .until(() -> target.connections(attacker.peerId()).get(0).streams().isEmpty());
    List<Stream> open = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      open.add(join(conn.newStream(PING)));
    }
    // the fourth is reset before negotiation, and the opener is told so
    assertThatThrownBy(() -> join(conn.newStream(PING)))
        .isInstanceOf(org.lotusia.libp2p.StreamResetException.class)
        .hasMessageContaining("stream limits");
    assertThat(target.stats().refusals().streamsPerConnection()).isEqualTo(1);
    // closing one gives its slot back
    join(open.get(0).close());
    open.get(0).reset();
    await()
        .atMost(DEADLINE)
        .until(() -> target.connections(attacker.peerId()).get(0).streams().size() < 3);
    PingSession session = join(attacker.newStream(conn, new Ping()));
    assertThat(join(session.ping())).isPositive();
  }

  @Test
  void outboundStreamsPerConnectionFailWithResourceLimitException() {
    Host local = withLimits(ResourceLimits.builder().streamsPerConnection(256, 2).build());
    Host remote = hosts.start(Stack.MEMORY_NOISE);
    Connection conn = join(local.dial(remote.listenAddresses().get(0)));
    // identify's own outbound stream counts too: let it finish first
    join(local.identified(remote.peerId()));
    await().atMost(DEADLINE).until(() -> conn.streams().isEmpty());
    Stream first = join(conn.newStream(PING));
    join(conn.newStream(PING));
    assertThatThrownBy(() -> join(conn.newStream(PING)))
        .isInstanceOf(ResourceLimitException.class)
        .hasMessageContaining("outbound streams open");
    assertThat(local.stats().refusals().streamsPerConnection()).isEqualTo(1);
    first.reset();
    await()
        .atMost(DEADLINE)
        .untilAsserted(() -> assertThat(join(conn.newStream(PING)).protocol()).isNotNull());
  }

  @Test
  void inboundStreamsPerProtocolAreBoundedAcrossConnections() {
    Host target =
        withLimits(ResourceLimits.builder().protocolStreams(Ping.PROTOCOL_ID, 2, 100).build());
    Host a = hosts.start(Stack.MEMORY_NOISE);
    Host b = hosts.start(Stack.MEMORY_NOISE);
    Multiaddr addr = target.listenAddresses().get(0);
    join(join(a.newStream(addr, new Ping())).ping());
    join(join(b.newStream(addr, new Ping())).ping());
    // a third ping stream, from either peer, is reset after negotiation
    CompletableFuture<?> third = a.newStream(addr, new Ping()).thenCompose(PingSession::ping);
    assertThatThrownBy(() -> join(third)).isInstanceOf(RuntimeException.class);
    assertThat(target.stats().refusals().streamsPerProtocol()).isEqualTo(1);
    // other protocols are not affected
    join(join(a.dial(addr)).newStream(List.of(Perf.PROTOCOL_ID)));
  }

  @Test
  void outboundStreamsPerProtocolFailWithResourceLimitException() {
    Host local =
        withLimits(ResourceLimits.builder().protocolStreams(Ping.PROTOCOL_ID, 100, 1).build());
    Host remote = hosts.start(Stack.MEMORY_NOISE);
    Connection conn = join(local.dial(remote.listenAddresses().get(0)));
    join(conn.newStream(PING));
    assertThatThrownBy(() -> join(conn.newStream(PING)))
        .isInstanceOf(ResourceLimitException.class)
        .hasMessageContaining("streams of " + Ping.PROTOCOL_ID);
    assertThat(local.stats().refusals().streamsPerProtocol()).isEqualTo(1);
  }

  @Test
  void limitsAreValidated() {
    assertThatThrownBy(() -> ResourceLimits.builder().maxPendingInboundPerIp(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPendingInboundPerIp must be >= 1");
    assertThatThrownBy(
            () -> ResourceLimits.builder().maxPendingInbound(4).maxPendingInboundPerIp(5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not exceed maxPendingInbound");
    assertThatThrownBy(() -> ResourceLimits.builder().inboundRatePerIp(1, Double.NaN).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inboundRatePerIp");
  }
}
