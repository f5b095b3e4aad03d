package org.lotusia.libp2p.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.relay.RelayNet.join;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;

/** AutoRelay: static and discovered relays, restarts, renewal, reachability, address adverts. */
class AutoRelayTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final RelayNet net = new RelayNet();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  private static AutoRelayConfig.Builder fast() {
    return AutoRelayConfig.builder()
        .checkInterval(Duration.ofMillis(200))
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
  }

  private static boolean hasCircuit(List<Multiaddr> addrs) {
    return addrs.stream().anyMatch(a -> a.has(MultiaddrProtocol.P2P_CIRCUIT));
  }

  /** Records reservation events. */
  private static final class Events implements RelayListener {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void reservationCreated(Reservation r) {
      seen.add("created");
    }

    @Override
    public void reservationRenewed(Reservation r) {
      seen.add("renewed");
    }

    @Override
    public void reservationRemoved(Reservation r, String reason) {
      seen.add("removed:" + reason);
    }
  }

  @Test
  void staticRelayIsReservedAdvertisedAndReservedAgainAfterTheRelayRestarts() {
    IdentityPrivateKey relayKey = Keys.generateEd25519();
    Host r = net.host(b -> b.identity(relayKey));
    net.relay(r, RelayServiceConfig.DEFAULT, Clock.systemUTC());
    Multiaddr relayAddr = r.listenAddresses().get(0);
    Host a = net.host();
    Host c = net.host();
    join(c.dial(a.listenAddresses().get(0))); // c learns a's addresses through identify push
    CircuitRelay ca = net.client(a, Clock.systemUTC());
    Events events = new Events();
    AutoRelay auto =
        net.track(
            new AutoRelay(
                ca,
                fast().staticRelays(List.of(relayAddr)).targetReservations(0).build()));
    auto.addListener(events);

    await().atMost(WAIT).until(() -> hasCircuit(a.listenAddresses()));
    Multiaddr circuit =
        a.listenAddresses().stream()
            .filter(x -> x.has(MultiaddrProtocol.P2P_CIRCUIT))
            .findFirst()
            .orElseThrow();
    await().atMost(WAIT).until(() -> c.peerStore().addresses(a.peerId()).contains(circuit.withoutPeerId()));

    // the relay goes away: the reservation and its address are withdrawn, everywhere
    join(r.closeAsync());
    await().atMost(WAIT).until(() -> !hasCircuit(a.listenAddresses()));
    await().atMost(WAIT).until(() -> events.seen.contains("removed:connection closed"));

    // the relay comes back at the same address with the same identity: reserved again
    Host r2 = net.hostAt(relayAddr.withoutPeerId().toString(), b -> b.identity(relayKey));
    net.relay(r2, RelayServiceConfig.DEFAULT, Clock.systemUTC());
    await().atMost(WAIT).until(() -> hasCircuit(a.listenAddresses()));
    // the address changes at once, the listener hears of it on the event executor just after
    await()
        .atMost(WAIT)
        .until(() -> events.seen.stream().filter("created"::equals).count() >= 2);
    assertThat(events.seen.stream().filter("created"::equals)).hasSize(2);

    Host b = net.host();
    net.client(b, Clock.systemUTC());
    Connection relayed = join(b.dial(circuit));
    assertThat(relayed.remotePeer()).isEqualTo(a.peerId());
    assertThat(relayed.limited()).isTrue();
  }

  @Test
  void discoveredRelayFollowsReachability() {
    Host r = net.host();
    net.relay(r, RelayServiceConfig.DEFAULT, Clock.systemUTC());
    Host other = net.host(); // connected, but no relay: never chosen
    Host a = net.host();
    CircuitRelay ca = net.client(a, Clock.systemUTC());
    AtomicReference<Reachability> reach = new AtomicReference<>(Reachability.PUBLIC);
    AutoRelay auto =
        net.track(new AutoRelay(ca, fast().targetReservations(1).reachability(reach::get).build()));
    join(a.dial(other.listenAddresses().get(0)));
    join(a.dial(r.listenAddresses().get(0)));
    await()
        .atMost(WAIT)
        .until(() -> a.peerStore().protocols(r.peerId()).contains(RelayService.HOP));
    // public: no reservation wanted, over several checks
    long seen = auto.checksRun();
    await().atMost(WAIT).until(() -> auto.checksRun() >= seen + 3);
    assertThat(ca.reservations()).isEmpty();

    reach.set(Reachability.PRIVATE);
    auto.trigger();
    await().atMost(WAIT).until(() -> ca.reservations().size() == 1);
    assertThat(ca.reservations().get(0).relay()).isEqualTo(r.peerId());
    assertThat(hasCircuit(a.listenAddresses())).isTrue();

    reach.set(Reachability.PUBLIC);
    auto.trigger();
    await().atMost(WAIT).until(() -> ca.reservations().isEmpty());
    assertThat(hasCircuit(a.listenAddresses())).isFalse();
  }

  @Test
  void reservationIsRenewedBeforeItExpires() {
    StepClock clock = new StepClock(Instant.now());
    Host r = net.host();
    RelayService service = net.relay(r, RelayServiceConfig.DEFAULT, clock);
    Host a = net.host();
    CircuitRelay ca = net.client(a, clock);
    Events events = new Events();
    ca.addListener(events);
    AutoRelay auto =
        net.track(
        new AutoRelay(
            ca,
            fast()
                .staticRelays(List.of(r.listenAddresses().get(0)))
                .targetReservations(0)
                .renewBefore(Duration.ofMinutes(10))
                .build(),
            clock,
            null));
    await().atMost(WAIT).until(() -> ca.reservations().size() == 1);
    Instant first = ca.reservations().get(0).expiration();
    clock.step(Duration.ofMinutes(100)); // 20 minutes left: not yet
    long seen = auto.checksRun();
    await().atMost(WAIT).until(() -> auto.checksRun() >= seen + 3);
    assertThat(events.seen).doesNotContain("renewed");
    clock.step(Duration.ofMinutes(11)); // 9 minutes left: renew
    await().atMost(WAIT).until(() -> events.seen.contains("renewed"));
    Instant renewed = ca.reservations().get(0).expiration();
    assertThat(renewed).isAfter(first);
    assertThat(service.reservationExpiry(a.peerId())).contains(renewed);
    assertThat(ca.reservations()).hasSize(1);
  }

  @Test
  void unreachableStaticRelayBacksOffWithoutFailingStart() {
    Host a = net.host();
    CircuitRelay ca = net.client(a, Clock.systemUTC());
    PeerId ghost = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    ca.addListener(
        new RelayListener() {
          @Override
          public void reservationFailed(PeerId relay, Throwable cause) {
            failures.add(cause);
          }
        });
    Multiaddr nowhere = Multiaddr.parse("/ip4/127.0.0.1/tcp/1/p2p/" + ghost);
    net.track(new AutoRelay(ca, fast().staticRelays(List.of(nowhere)).build()));
    await().atMost(WAIT).until(() -> failures.size() >= 3);
    assertThat(ca.reservations()).isEmpty();
  }
}
