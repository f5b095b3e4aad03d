package org.lotusia.libp2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.autonat.NatTestNet.join;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.AddressManager.Verdict;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.protocol.relay.Reachability;

/** AutoNAT v1 and v2 between loopback hosts: verdicts, the dial-back nonce, dial data. */
class AutoNatTest {

  private final NatTestNet net = new NatTestNet();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  private Host server(AutoNatServerConfig.Builder config) {
    Host s = net.host();
    net.own(new AutoNatServer(s, config.allowPrivateAddresses(true).build()));
    return s;
  }

  private AutoNat client(Host c, AutoNatConfig.Builder config) {
    return net.own(new AutoNat(c, config.testPrivateAddresses(true).build()));
  }

  private static Multiaddr closedPort(String ip) throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return Multiaddr.parse("/ip4/" + ip + "/tcp/" + s.getLocalPort());
    }
  }

  @Test
  void v2DialsBackWithTheNonceAndTheAddressBecomesReachable() {
    Host s = server(AutoNatServerConfig.builder());
    Host c = net.host();
    AutoNat nat = client(c, AutoNatConfig.builder().confidence(1, 1));
    join(c.dial(s.listenAddresses().get(0)));
    join(c.identified(s.peerId()));
    Multiaddr own = c.listenAddresses().get(0).withoutPeerId();

    ProbeResult r = join(nat.probe(s.peerId(), List.of(own)));

    assertThat(r.version()).isEqualTo(2);
    assertThat(r.outcome()).isEqualTo(Verdict.REACHABLE);
    assertThat(r.addresses()).containsExactly(own);
    assertThat(nat.reachability()).isEqualTo(Reachability.PUBLIC);
    assertThat(nat.verdicts()).containsEntry(own, Verdict.REACHABLE);
  }

  @Test
  void v2ReportsAnAddressNobodyListensOnAsUnreachable() throws IOException {
    Host s = server(AutoNatServerConfig.builder().dialTimeout(Duration.ofSeconds(3)));
    Host c = net.host();
    AutoNat nat = client(c, AutoNatConfig.builder().confidence(1, 1));
    join(c.dial(s.listenAddresses().get(0)));
    join(c.identified(s.peerId()));

    ProbeResult r = join(nat.probe(s.peerId(), List.of(closedPort("127.0.0.1"))));

    assertThat(r.outcome()).isEqualTo(Verdict.UNREACHABLE);
  }

  @Test
  void v1ServerAnswersWhenTheServerSpeaksNoV2() {
    Host s = server(AutoNatServerConfig.builder());
    s.removeStreamHandler(AutoNat.V2_DIAL_REQUEST);
    Host c = net.host();
    AutoNat nat = client(c, AutoNatConfig.builder().confidence(1, 1));
    join(c.dial(s.listenAddresses().get(0)));
    join(c.identified(s.peerId()));
    Multiaddr own = c.listenAddresses().get(0).withoutPeerId();

    ProbeResult r = join(nat.probe(s.peerId(), List.of(own)));

    assertThat(r.version()).isEqualTo(1);
    assertThat(r.outcome()).isEqualTo(Verdict.REACHABLE);
  }

  @Test
  void scheduledProbesReachAVerdictAndConfirmTheObservedAddress() {
    Host s = server(AutoNatServerConfig.builder().rateLimits(100, 100, Duration.ofMinutes(1)));
    Host c = net.host();
    AutoNat nat =
        client(
            c,
            AutoNatConfig.builder()
                .confidence(2, 3)
                .checkInterval(Duration.ofMillis(100))
                .intervals(Duration.ofMillis(100), Duration.ofMinutes(15)));
    join(c.dial(s.listenAddresses().get(0)));

    await().atMost(Duration.ofSeconds(30)).until(() -> nat.reachability() == Reachability.PUBLIC);
    Multiaddr own = c.listenAddresses().get(0).withoutPeerId();
    assertThat(c.addresses().entries())
        .anySatisfy(
            e -> {
              assertThat(e.address()).isEqualTo(own);
              assertThat(e.verdict()).isEqualTo(Verdict.REACHABLE);
            });
    assertThat(nat.probesRun()).isGreaterThanOrEqualTo(2);
  }
}
