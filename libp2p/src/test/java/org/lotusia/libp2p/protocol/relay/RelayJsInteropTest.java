package org.lotusia.libp2p.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.relay.RelayNet.join;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.interop.JsInterop;
import org.lotusia.libp2p.interop.JsPeer;
import org.lotusia.libp2p.protocol.ping.Ping;

/**
 * Circuit relay v2 against js-libp2p ({@code @libp2p/circuit-relay-v2} 4.2.13) over TCP: a Java
 * node reserves on a js relay and a js node dials it through that relay; a js node reserves on a
 * Java relay and a Java node dials it through that relay. In both, the relayed connection is
 * limited on both ends and runs ping and an echo protocol marked for limited connections, end to
 * end through Noise and Yamux.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RelayJsInteropTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private RelayNet net;

  @BeforeEach
  void setUp() {
    JsInterop.requireJsPeer();
    net = new RelayNet(true);
  }

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.close();
    }
  }

  private static byte[] echo(Connection c, int size) {
    byte[] payload = new byte[size];
    new SecureRandom().nextBytes(payload);
    Stream s = join(c.newStream(List.of(RelayNet.ECHO_LIMITED)));
    byte[] back =
        join(s.write(payload).thenCompose(v -> s.closeWrite()).thenCompose(v -> s.readAll(size)));
    assertThat(back).isEqualTo(payload);
    return back;
  }

  @Test
  void javaReservesOnJsRelayAndJsDialsThroughIt() {
    try (JsPeer relay = new JsPeer("relay-server", "--relay-server");
        JsPeer dialer = new JsPeer("relay-dialer", "--relay")) {
      Host a = net.host();
      CircuitRelay ca = net.client(a, Clock.systemUTC());
      Reservation r = join(ca.reserve(Multiaddr.parse(relay.addr())));
      assertThat(r.relay()).isEqualTo(PeerId.parse(relay.peerId()));
      assertThat(r.voucher()).as("js signs a voucher").isPresent();
      assertThat(r.voucher().get().peer()).isEqualTo(a.peerId());
      assertThat(r.limit()).isPresent();
      assertThat(r.limit().get().bytes()).isEqualTo(131_072);
      assertThat(relay.cmd("relay-reservations", Map.of()).get("peers").toString())
          .contains(a.peerId().toString());

      Multiaddr circuit = ca.circuitAddresses().get(0);
      JsonNode conn = dialer.cmd("dial", Map.of("addr", circuit.toString()));
      assertThat(conn.get("peer").asText()).isEqualTo(a.peerId().toString());
      assertThat(conn.get("limited").asBoolean()).isTrue();
      assertThat(dialer.cmd("ping", Map.of("peer", a.peerId().toString())).get("rttMs").asDouble())
          .isGreaterThanOrEqualTo(0);
      assertThat(
              dialer
                  .cmd("echo-limited", Map.of("peer", a.peerId().toString(), "bytes", 20_000))
                  .get("bytes")
                  .asInt())
          .isEqualTo(20_000);

      PeerId js = PeerId.parse(dialer.peerId());
      await()
          .atMost(WAIT)
          .until(() -> a.connections(js).stream().anyMatch(Connection::limited));
      Connection inbound =
          a.connections(js).stream().filter(Connection::limited).findFirst().orElseThrow();
      assertThat(inbound.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT)).isTrue();
      assertThat(join(join(a.newStream(inbound, new Ping())).ping())).isPositive();
      echo(inbound, 10_000);
    }
  }

  @Test
  void jsReservesOnJavaRelayAndJavaDialsThroughIt() {
    Host r = net.host();
    RelayService service = net.relay(r, RelayServiceConfig.DEFAULT, Clock.systemUTC());
    try (JsPeer target = new JsPeer("relay-target", "--relay")) {
      JsonNode listen =
          target.cmd("relay-listen", Map.of("addr", r.listenAddresses().get(0).toString()));
      assertThat(listen.get("addrs")).isNotEmpty();
      String circuit = listen.get("addrs").get(0).asText();
      assertThat(circuit).contains("/p2p/" + r.peerId() + "/p2p-circuit/p2p/" + target.peerId());
      assertThat(service.reservationCount()).isEqualTo(1);

      Host b = net.host();
      net.client(b, Clock.systemUTC());
      Connection c = join(b.dial(Multiaddr.parse(circuit)));
      assertThat(c.remotePeer()).isEqualTo(PeerId.parse(target.peerId()));
      assertThat(c.limited()).isTrue();
      assertThat(join(join(b.newStream(c, new Ping())).ping())).isPositive();
      echo(c, 50_000);
      assertThat(service.circuitCount()).isEqualTo(1);

      // js sees the connection as limited too, and can use it back
      JsonNode peers = target.cmd("peers", Map.of());
      assertThat(peers.get("connections").toString()).contains("\"limited\":true");
      JsonNode back =
          target.cmd("echo-limited", Map.of("peer", b.peerId().toString(), "bytes", 5_000));
      assertThat(back.get("bytes").asInt()).isEqualTo(5_000);
    }
  }
}
