package org.lotusia.libp2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lotusia.libp2p.protocol.autonat.NatTestNet.join;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.AddressManager.Verdict;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.interop.JsInterop;
import org.lotusia.libp2p.interop.JsPeer;
import org.lotusia.libp2p.protocol.relay.Reachability;

/**
 * AutoNAT v1 against js-libp2p ({@code @libp2p/autonat} 3.0.28) over loopback TCP, both ways.
 *
 * <p>js asks a Java server with a DIAL encoded by js's own codec: the Java server (private
 * addresses allowed, as on a LAN) dials js back and answers OK with the address it reached; with
 * the defaults it refuses a loopback address. Java asks a js server: js never dials private or
 * same-host addresses, so on one machine it answers {@code E_DIAL_REFUSED}, which the Java client
 * reads and records as no verdict (the reachability stays unknown).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AutoNatJsInteropTest {

  private final NatTestNet net = new NatTestNet();

  @BeforeEach
  void requireJs() {
    JsInterop.requireJsPeer();
  }

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  private static String tcpAddr(JsPeer js) {
    return Multiaddr.parse(js.addr()).withoutPeerId().toString();
  }

  @Test
  void jsAsksAJavaServerWhichDialsItBack() {
    Host s = net.host();
    AutoNatServer server =
        net.own(new AutoNatServer(s, AutoNatServerConfig.builder().allowPrivateAddresses(true).build()));
    try (JsPeer js = new JsPeer("autonat-client", "--autonat")) {
      js.cmd("dial", Map.of("addr", s.listenAddresses().get(0).toString()));

      JsonNode r = js.cmd("autonat-dial", Map.of("peer", s.peerId().toString()));

      assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("OK");
      assertThat(r.get("addr").asText()).isEqualTo(tcpAddr(js));
      assertThat(server.dialBacks()).isEqualTo(1);
    }
  }

  @Test
  void aJavaServerWithDefaultsRefusesJsLoopbackAddress() {
    Host s = net.host();
    AutoNatServer server = net.own(new AutoNatServer(s, AutoNatServerConfig.DEFAULT));
    try (JsPeer js = new JsPeer("autonat-client", "--autonat")) {
      js.cmd("dial", Map.of("addr", s.listenAddresses().get(0).toString()));

      JsonNode r = js.cmd("autonat-dial", Map.of("peer", s.peerId().toString()));

      assertThat(r.get("status").asText()).isEqualTo("E_DIAL_REFUSED");
      assertThat(r.get("statusText").asText()).isEqualTo("no dialable addresses");
      assertThat(server.dialBacks()).isZero();
    }
  }

  @Test
  void javaAsksAJsServerWhichRefusesLoopbackAndTheVerdictStaysUnknown() {
    Host c = net.host();
    AutoNat nat =
        net.own(new AutoNat(c, AutoNatConfig.builder().testPrivateAddresses(true).confidence(1, 1).build()));
    try (JsPeer js = new JsPeer("autonat-server", "--autonat")) {
      PeerId server = PeerId.parse(js.peerId());
      join(c.dial(Multiaddr.parse(js.addr())));
      join(c.identified(server));
      Multiaddr own = c.listenAddresses().get(0).withoutPeerId();

      ProbeResult r = join(nat.probe(server, List.of(own)));

      assertThat(r.version()).as("js speaks v1 only").isEqualTo(1);
      assertThat(r.outcome()).isEqualTo(Verdict.UNKNOWN);
      assertThat(r.detail()).contains("E_DIAL_REFUSED").contains("no dialable addresses");
      assertThat(nat.reachability()).isEqualTo(Reachability.UNKNOWN);
    }
  }
}
