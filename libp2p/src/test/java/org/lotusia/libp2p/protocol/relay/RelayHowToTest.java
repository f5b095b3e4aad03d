package org.lotusia.libp2p.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.HandlerOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamHandler;

/** The circuit relay example of docs/HOWTO.md, run on loopback TCP. */
class RelayHowToTest {

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<Host> hosts = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    hosts.forEach(h -> h.closeAsync().join());
  }

  private Host start() {
    Host h = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
    h.start().join();
    hosts.add(h);
    return h;
  }

  @Test
  void walletBehindNatIsReachedThroughARelay() {
    Host relayHost = start();
    Host wallet = start();
    Host other = start();
    Multiaddr relayAddr = relayHost.listenAddresses().get(0);
    StreamHandler handler = Stream::close;
    List<Multiaddr> advertised = new ArrayList<>();

    // howto:begin relay
    // On a publicly reachable node: serve as a relay (off unless created).
    RelayService relayService = new RelayService(relayHost, RelayServiceConfig.DEFAULT);

    // On a wallet behind NAT: hold a reservation and advertise the /p2p-circuit address.
    CircuitRelay relay = new CircuitRelay(wallet);
    AutoRelay autoRelay =
        new AutoRelay(
            relay,
            AutoRelayConfig.builder()
                .staticRelays(List.of(relayAddr)) // a direct address ending in /p2p/<relay>
                .reachability(() -> Reachability.UNKNOWN) // feed AutoNAT's verdict here
                .build());
    autoRelay.addListener(
        new RelayListener() {
          @Override
          public void reservationCreated(Reservation r) {
            advertised.addAll(r.circuitAddresses(wallet.peerId()));
          }
        });
    // Protocols that are small enough for the relay's limits (128 KiB, 120 s) opt in:
    wallet.setStreamHandler("/my/small/1.0.0", handler, HandlerOptions.LIMITED_OK);

    // Anyone with a CircuitRelay dials the circuit address like any other.
    CircuitRelay otherRelay = new CircuitRelay(other);
    await().atMost(Duration.ofSeconds(30)).until(() -> !advertised.isEmpty());
    Connection c = other.dial(advertised.get(0)).join(); // .../p2p/<relay>/p2p-circuit/p2p/<wallet>
    boolean limited = c.limited(); // true: only protocols marked for limited connections run
    Stream s = c.newStream(List.of("/my/small/1.0.0"), true).join(); // true: it fits the limits
    // howto:end relay

    closing.add(otherRelay);
    closing.add(autoRelay);
    closing.add(relay);
    closing.add(relayService);
    assertThat(limited).isTrue();
    assertThat(c.remotePeer()).isEqualTo(wallet.peerId());
    assertThat(s.protocol()).isEqualTo("/my/small/1.0.0");
    assertThat(advertised.get(0).has(MultiaddrProtocol.P2P_CIRCUIT)).isTrue();
    assertThat(wallet.listenAddresses()).contains(advertised.get(0));
  }
}
