package org.lotusia.libp2p.protocol.dcutr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.autonat.NatTestNet.failure;
import static org.lotusia.libp2p.protocol.autonat.NatTestNet.join;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.framing.LengthPrefixed;
import org.lotusia.libp2p.protocol.autonat.NatTestNet;
import org.lotusia.libp2p.protocol.relay.CircuitRelay;
import org.lotusia.libp2p.protocol.relay.RelayService;
import org.lotusia.libp2p.protocol.relay.RelayServiceConfig;

/**
 * DCUtR between loopback hosts over a circuit relay: the exchange, the role rule of the
 * simultaneous open, new streams moving to the direct connection, and hostile messages.
 */
class DcutrTest {

  private final NatTestNet net = new NatTestNet();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  private static final DcutrConfig LOOPBACK =
      DcutrConfig.builder()
          .allowPrivateAddresses(true)
          .relayCloseGrace(Duration.ofMillis(500))
          .dialTimeout(Duration.ofSeconds(3))
          .build();

  private Host relay() {
    Host r = net.host();
    net.own(new RelayService(r, RelayServiceConfig.DEFAULT));
    return r;
  }

  @Test
  void relayedConnectionIsUpgradedToADirectOneAndTheRelayIsClosed() {
    Host r = relay();
    Host a = net.host();
    Host b = net.host();
    net.own(new CircuitRelay(a));
    CircuitRelay cb = net.own(new CircuitRelay(b));
    net.own(new Dcutr(a, LOOPBACK));
    Dcutr db = net.own(new Dcutr(b, LOOPBACK));
    CompletableFuture<DcutrResult> outcome = new CompletableFuture<>();
    db.addListener(outcome::complete);
    join(cb.reserve(r.listenAddresses().get(0)));
    Multiaddr circuit = cb.circuitAddresses().get(0);

    Connection relayed = join(a.dial(circuit));
    assertThat(relayed.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT)).isTrue();

    DcutrResult res = join(outcome);
    assertThat(res.direct()).as(res.detail()).isTrue();
    assertThat(res.unilateral()).isFalse();
    assertThat(res.attempts()).isBetween(1, 3);
    assertThat(res.rtt()).isPositive();
    // new streams go over the direct connection; the relayed one is closed after the grace
    await().atMost(Duration.ofSeconds(10)).until(() -> !relayed.isOpen());
    assertThat(a.connections(b.peerId()))
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT)).isFalse());
    Stream s = join(a.newStream(b.peerId(), List.of("/ipfs/id/1.0.0")));
    assertThat(s.connection().remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT)).isFalse();
    s.reset();
    assertThat(db.succeeded()).isEqualTo(1);
  }

  @Test
  void withoutUsableAddressesTheRelayStaysAsTheFallback() {
    Host r = relay();
    Host a = net.host();
    Host b = net.host();
    net.own(new CircuitRelay(a));
    CircuitRelay cb = net.own(new CircuitRelay(b));
    // private addresses not allowed: on loopback nobody has an address to punch to
    net.own(new Dcutr(a, DcutrConfig.builder().maxAttempts(2).build()));
    Dcutr db = net.own(new Dcutr(b, DcutrConfig.builder().maxAttempts(2).build()));
    CompletableFuture<DcutrResult> outcome = new CompletableFuture<>();
    db.addListener(outcome::complete);
    join(cb.reserve(r.listenAddresses().get(0)));

    Connection relayed = join(a.dial(cb.circuitAddresses().get(0)));

    DcutrResult res = join(outcome);
    assertThat(res.direct()).isFalse();
    assertThat(res.attempts()).isEqualTo(2);
    assertThat(relayed.isOpen()).isTrue();
    assertThat(db.failed()).isEqualTo(1);
  }

  @Test
  void dcutrOverADirectConnectionIsRefused() {
    Host a = net.host();
    Host b = net.host();
    net.own(new Dcutr(b, LOOPBACK));
    Stream s = join(a.newStream(b.listenAddresses().get(0), List.of(Dcutr.PROTOCOL)));
    assertThat(failure(s.readAll(64))).isNotNull();
  }

  @Test
  void malformedAndOversizedMessagesResetTheStream() {
    Host r = relay();
    Host a = net.host();
    Host b = net.host();
    net.own(new CircuitRelay(a));
    CircuitRelay cb = net.own(new CircuitRelay(b));
    net.own(new Dcutr(b, LOOPBACK)); // b answers; a speaks raw bytes
    join(cb.reserve(r.listenAddresses().get(0)));
    Connection relayed = join(a.dial(cb.circuitAddresses().get(0)));
    for (byte[] bad :
        List.of(
            LengthPrefixed.frame(new byte[] {0x08, 0x2c}), // SYNC where CONNECT is due
            LengthPrefixed.frame(new byte[] {0x08, 0x07}), // unknown type
            LengthPrefixed.frame(new byte[] {(byte) 0xff, 0x00}), // not protobuf
            new byte[] {(byte) 0xff, (byte) 0xff, 0x03})) { // longer than 4096
      Stream s = join(relayed.newStream(List.of(Dcutr.PROTOCOL), true));
      s.write(bad).handle((v, e) -> null).join();
      assertThat(failure(s.readAll(4096))).isNotNull();
    }
    assertThat(relayed.isOpen()).isTrue();
  }
}
