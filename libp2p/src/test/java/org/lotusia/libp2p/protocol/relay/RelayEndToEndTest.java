package org.lotusia.libp2p.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.relay.RelayNet.failure;
import static org.lotusia.libp2p.protocol.relay.RelayNet.join;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ConnectionLimits;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.LimitedConnectionException;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.ProtocolNotSupportedException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.protocol.ping.Ping;

/** A reserves on relay R, B dials A through R; protocols run end to end; the relay's limits cut. */
class RelayEndToEndTest {

  private final RelayNet net = new RelayNet();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  private static byte[] echo(Connection c, String protocol, byte[] payload) {
    Stream s = join(c.newStream(List.of(protocol)));
    return join(
        s.write(payload).thenCompose(v -> s.closeWrite()).thenCompose(v -> s.readAll(1 << 20)));
  }

  @Test
  void relayedDialRunsLimitedProtocolsEndToEnd() {
    Host r = net.host();
    net.relay(r, RelayServiceConfig.DEFAULT, Clock.systemUTC());
    Host a = net.host();
    Host b = net.host();
    CircuitRelay ca = net.client(a, Clock.systemUTC());
    net.client(b, Clock.systemUTC());

    Reservation res = join(ca.reserve(r.listenAddresses().get(0)));
    assertThat(res.relay()).isEqualTo(r.peerId());
    assertThat(res.voucher()).isPresent();
    assertThat(res.voucher().get().peer()).isEqualTo(a.peerId());
    assertThat(res.limit()).contains(new ConnectionLimits(Duration.ofSeconds(120), 128 * 1024));
    Multiaddr circuit = ca.circuitAddresses().get(0);
    assertThat(circuit.toString()).endsWith("/p2p/" + r.peerId() + "/p2p-circuit/p2p/" + a.peerId());
    assertThat(a.listenAddresses()).contains(circuit);

    Connection c = join(b.dial(circuit));
    assertThat(c.remotePeer()).isEqualTo(a.peerId());
    assertThat(c.limited()).isTrue();
    assertThat(c.limits()).contains(new ConnectionLimits(Duration.ofSeconds(120), 128 * 1024));
    byte[] payload = new byte[10_000];
    new Random(1).nextBytes(payload);
    assertThat(echo(c, RelayNet.ECHO_LIMITED, payload)).isEqualTo(payload);
    assertThat(join(join(b.newStream(c, new Ping())).ping())).isPositive();

    // the target sees an inbound limited connection from B, authenticated end to end
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> a.connections(b.peerId()).stream().anyMatch(Connection::limited));

    // an application protocol that did not opt in is refused on the limited connection
    assertThat(failure(c.newStream(List.of(RelayNet.ECHO))))
        .isInstanceOf(LimitedConnectionException.class);
  }

  @Test
  void targetAnswersNaToProtocolsNotMarkedForLimitedConnections() {
    Host r = net.host();
    net.relay(r, RelayServiceConfig.DEFAULT, Clock.systemUTC());
    Host a = net.host();
    Host b = net.host();
    CircuitRelay ca = net.client(a, Clock.systemUTC());
    net.client(b, Clock.systemUTC());
    join(ca.reserve(r.listenAddresses().get(0)));
    Connection c = join(b.dial(ca.circuitAddresses().get(0)));
    // b opts in for the call; a still answers na: the protocol did not opt in on a's side
    assertThat(failure(c.newStream(List.of(RelayNet.ECHO), true)))
        .isInstanceOf(ProtocolNotSupportedException.class);
    // both sides agreeing works
    Stream ok = join(c.newStream(List.of(RelayNet.ECHO_LIMITED), true));
    assertThat(ok.protocol()).isEqualTo(RelayNet.ECHO_LIMITED);
  }

  @Test
  void newStreamToAPeerBehindALimitedConnectionDialsDirectlyOrRefuses() {
    Host r = net.host();
    net.relay(r, RelayServiceConfig.DEFAULT, Clock.systemUTC());
    Host a = net.host();
    Host b = net.host();
    CircuitRelay ca = net.client(a, Clock.systemUTC());
    net.client(b, Clock.systemUTC());
    join(ca.reserve(r.listenAddresses().get(0)));
    Connection relayed = join(b.dial(ca.circuitAddresses().get(0)));
    assertThat(relayed.limited()).isTrue();
    // identify over the relayed connection told b a's direct addresses: forget them
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> b.peerStore().protocols(a.peerId()).contains(RelayNet.ECHO_LIMITED));
    b.peerStore().remove(a.peerId());
    // no direct address known: an application protocol cannot be opened
    assertThat(failure(b.newStream(a.peerId(), List.of(RelayNet.ECHO))))
        .isInstanceOf(LimitedConnectionException.class);
    // a limited-capable protocol uses the relayed connection
    Stream onRelay = join(b.newStream(a.peerId(), List.of(RelayNet.ECHO_LIMITED)));
    assertThat(onRelay.connection()).isSameAs(relayed);
    onRelay.reset();
    // once a direct address is known, the host dials it for the application protocol
    b.peerStore().addAddresses(a.peerId(), a.listenAddresses().stream().map(Multiaddr::withoutPeerId).toList(), Duration.ofMinutes(5));
    Stream direct = join(b.newStream(a.peerId(), List.of(RelayNet.ECHO)));
    assertThat(direct.connection().limited()).isFalse();
    assertThat(direct.connection()).isNotSameAs(relayed);
    direct.reset();
    // and from now on the direct connection is preferred
    Stream next = join(b.newStream(a.peerId(), List.of(RelayNet.ECHO_LIMITED)));
    assertThat(next.connection().limited()).isFalse();
  }

  @Test
  void anExpiredReservationIsWithdrawnAndItsCircuitsRefused() {
    Host r = net.host();
    net.relay(r, RelayServiceConfig.DEFAULT, Clock.systemUTC());
    Host a = net.host();
    Host b = net.host();
    StepClock clock = new StepClock(java.time.Instant.now());
    CircuitRelay ca = net.client(a, clock);
    net.client(b, Clock.systemUTC());
    Reservation res = join(ca.reserve(r.listenAddresses().get(0)));
    Multiaddr circuit = ca.circuitAddresses().get(0);
    clock.step(Duration.between(clock.instant(), res.expiration()));
    assertThat(ca.reservations()).isEmpty();
    assertThat(a.listenAddresses()).doesNotContain(circuit);
    // the relay (on its own clock) still forwards, but a refuses: it holds no reservation there
    Throwable t = failure(b.dial(circuit));
    assertThat(t).isInstanceOf(RelayException.class);
    assertThat(((RelayException) t).status()).isEqualTo(RelayStatus.CONNECTION_FAILED);
    assertThat(a.connections(b.peerId())).isEmpty();
  }

  @Test
  void relayWithoutLimitsGivesAnUnlimitedRelayedConnection() {
    Host r = net.host();
    net.relay(r, RelayServiceConfig.builder().circuitLimits(null).build(), Clock.systemUTC());
    Host a = net.host();
    Host b = net.host();
    CircuitRelay ca = net.client(a, Clock.systemUTC());
    net.client(b, Clock.systemUTC());
    join(ca.reserve(r.listenAddresses().get(0)));
    Connection c = join(b.dial(ca.circuitAddresses().get(0)));
    assertThat(c.limited()).isFalse();
    byte[] payload = new byte[300_000];
    new Random(2).nextBytes(payload);
    assertThat(echo(c, RelayNet.ECHO, payload)).isEqualTo(payload);
  }

  @Test
  void dataLimitResetsTheCircuit() {
    Host r = net.host();
    net.relay(
        r,
        RelayServiceConfig.builder()
            .circuitLimits(new ConnectionLimits(Duration.ZERO, 64 * 1024))
            .build(),
        Clock.systemUTC());
    Host a = net.host();
    Host b = net.host();
    CircuitRelay ca = net.client(a, Clock.systemUTC());
    net.client(b, Clock.systemUTC());
    join(ca.reserve(r.listenAddresses().get(0)));
    Connection c = join(b.dial(ca.circuitAddresses().get(0)));
    Stream s = join(c.newStream(List.of(RelayNet.ECHO_LIMITED)));
    byte[] chunk = new byte[16 * 1024];
    // write well past the limit; the relay must cut the circuit and both ends see it closed
    for (int i = 0; i < 16 && c.isOpen(); i++) {
      s.write(chunk);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> !c.isOpen());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> a.connections(b.peerId()).isEmpty());
  }

  @Test
  void durationLimitResetsTheCircuit() {
    Host r = net.host();
    net.relay(
        r,
        RelayServiceConfig.builder()
            .circuitLimits(new ConnectionLimits(Duration.ofSeconds(1), 0))
            .build(),
        Clock.systemUTC());
    Host a = net.host();
    Host b = net.host();
    CircuitRelay ca = net.client(a, Clock.systemUTC());
    net.client(b, Clock.systemUTC());
    join(ca.reserve(r.listenAddresses().get(0)));
    Connection c = join(b.dial(ca.circuitAddresses().get(0)));
    assertThat(c.limits()).contains(new ConnectionLimits(Duration.ofSeconds(1), 0));
    await().atMost(Duration.ofSeconds(20)).until(() -> !c.isOpen());
  }
}
