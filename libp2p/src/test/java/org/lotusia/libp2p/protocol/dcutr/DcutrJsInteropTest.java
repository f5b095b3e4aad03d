package org.lotusia.libp2p.protocol.dcutr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.autonat.NatTestNet.join;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.interop.JsInterop;
import org.lotusia.libp2p.interop.JsPeer;
import org.lotusia.libp2p.protocol.autonat.NatTestNet;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.protocol.relay.CircuitRelay;
import org.lotusia.libp2p.protocol.relay.RelayService;
import org.lotusia.libp2p.protocol.relay.RelayServiceConfig;

/**
 * DCUtR against js-libp2p ({@code @libp2p/dcutr} 3.0.28) over a Java circuit relay on loopback.
 *
 * <p>js dials only "public" addresses in DCUtR and counts every DNS address as public, so the Java
 * node announces {@code /dns4/localhost/tcp/<port>} beside {@code 127.0.0.1} (a node with a dynamic
 * DNS name does the same) and offers the name in its CONNECT; it resolves through /etc/hosts, no
 * query leaves the machine. js's own addresses are loopback ones, which the Java side accepts here
 * ({@link DcutrConfig.Builder#allowPrivateAddresses}).
 *
 * <ul>
 *   <li>Java receives the relayed connection and drives the upgrade: CONNECT both ways, the relay
 *       round trip, SYNC, then both sides dial; the direct connection replaces the relayed one.
 *   <li>js receives the relayed connection: it sees the Java node's announced name in identify and
 *       upgrades unilaterally (the spec's first step), which the Java side accepts as a plain
 *       inbound connection.
 * </ul>
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DcutrJsInteropTest {

  private static final Duration WAIT = Duration.ofSeconds(45);
  private static final DcutrConfig LOOPBACK =
      DcutrConfig.builder()
          .allowPrivateAddresses(true)
          .dialTimeout(Duration.ofSeconds(5))
          .relayCloseGrace(Duration.ofMillis(500))
          .build();

  private final NatTestNet net = new NatTestNet();

  @BeforeEach
  void requireJs() {
    JsInterop.requireJsPeer();
  }

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  private Host relay() {
    Host r = net.host();
    net.own(new RelayService(r, RelayServiceConfig.DEFAULT));
    return r;
  }

  /** A host on a fixed loopback port that announces it as 127.0.0.1 and as localhost. */
  private Host namedHost() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String ip = "/ip4/127.0.0.1/tcp/" + port;
    Host h = net.host(b -> b.listen(ip).announce(ip).announce("/dns4/localhost/tcp/" + port));
    h.addProtocol(new Ping());
    return h;
  }

  private static boolean relayed(Connection c) {
    return c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT);
  }

  private static boolean jsHasOnlyDirect(JsPeer js, PeerId peer) {
    JsonNode conns = js.cmd("dcutr-connections", Map.of("peer", peer.toString())).get("connections");
    boolean direct = false;
    for (JsonNode c : conns) {
      if (c.get("status").asText().equals("open")) {
        if (c.get("limited").asBoolean()) {
          return false;
        }
        direct = true;
      }
    }
    return direct;
  }

  @Test
  void javaDrivesTheHolePunchOfARelayedConnectionFromJs() throws IOException {
    Host r = relay();
    Host b = namedHost();
    CircuitRelay cb = net.own(new CircuitRelay(b));
    Dcutr db = net.own(new Dcutr(b, LOOPBACK));
    CompletableFuture<DcutrResult> outcome = new CompletableFuture<>();
    db.addListener(outcome::complete);
    join(cb.reserve(r.listenAddresses().get(0)));
    Multiaddr circuit = cb.circuitAddresses().get(0);

    try (JsPeer js = new JsPeer("dcutr-a", "--relay", "--dcutr")) {
      PeerId a = PeerId.parse(js.peerId());
      JsonNode conn = js.cmd("dial", Map.of("addr", circuit.toString()));
      assertThat(conn.get("limited").asBoolean()).isTrue();

      DcutrResult res = join(outcome.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertThat(res.direct()).as(res.detail()).isTrue();
      assertThat(res.unilateral()).as("the CONNECT/SYNC exchange ran").isFalse();
      assertThat(res.attempts()).isBetween(1, 3);
      assertThat(res.rtt()).isPositive();
      assertThat(res.peer()).isEqualTo(a);

      // the relayed connection is closed (by js once its dial succeeded, or by us after the grace)
      await()
          .atMost(WAIT)
          .until(() -> b.connections(a).stream().noneMatch(c -> c.isOpen() && relayed(c)));
      assertThat(b.connections(a)).anyMatch(c -> c.isOpen() && !relayed(c));
      await().atMost(WAIT).until(() -> jsHasOnlyDirect(js, b.peerId()));
      // and the direct connection carries streams: js pings over it
      assertThat(js.cmd("ping", Map.of("peer", b.peerId().toString())).get("rttMs").asDouble())
          .isGreaterThanOrEqualTo(0);
      assertThat(db.succeeded()).isEqualTo(1);
    }
  }

  @Test
  void jsUpgradesARelayedConnectionFromJavaToItsAnnouncedAddress() throws IOException {
    Host r = relay();
    Host a = namedHost();
    net.own(new CircuitRelay(a));
    net.own(new Dcutr(a, LOOPBACK));
    try (JsPeer js = new JsPeer("dcutr-b", "--relay", "--dcutr")) {
      PeerId b = PeerId.parse(js.peerId());
      JsonNode listen =
          js.cmd("relay-listen", Map.of("addr", r.listenAddresses().get(0).toString()));
      String circuit = listen.get("addrs").get(0).asText();

      Connection relayedConn = join(a.dial(Multiaddr.parse(circuit)));
      assertThat(relayed(relayedConn)).isTrue();

      // js dials the announced name and closes the relayed connection
      await()
          .atMost(WAIT)
          .until(
              () ->
                  a.connections(b).stream()
                      .anyMatch(c -> c.isOpen() && !relayed(c) && c.direction() == Direction.INBOUND));
      await().atMost(WAIT).until(() -> !relayedConn.isOpen());
      await().atMost(WAIT).until(() -> jsHasOnlyDirect(js, a.peerId()));
      assertThat(js.cmd("ping", Map.of("peer", a.peerId().toString())).get("rttMs").asDouble())
          .isGreaterThanOrEqualTo(0);
    }
  }
}
