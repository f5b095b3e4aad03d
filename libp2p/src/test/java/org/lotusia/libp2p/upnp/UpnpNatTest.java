package org.lotusia.libp2p.upnp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.autonat.NatTestNet.join;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.AddressManager;
import org.lotusia.libp2p.AddressManager.Verdict;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.protocol.autonat.NatTestNet;

/**
 * UPnP port mapping against a fake gateway on loopback: discovery, the mapping and its address
 * (advertised only once confirmed), lease renewal, deletion on close, double NAT, and the gateway
 * quirks the IGD specs allow (WANPPPConnection, permanent leases only, a port taken).
 */
class UpnpNatTest {

  private final NatTestNet net = new NatTestNet();
  private final List<UpnpEvent> events = new CopyOnWriteArrayList<>();
  private FakeGateway gw;
  private UpnpNat upnp;

  @BeforeEach
  void setUp() throws Exception {
    gw = new FakeGateway();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (upnp != null) {
      upnp.close();
    }
    gw.close();
    net.close();
  }

  private UpnpConfig.Builder config() {
    return UpnpConfig.builder()
        .ssdpTarget(gw.ssdpAddress())
        .discoveryTimeout(Duration.ofSeconds(2))
        .httpTimeout(Duration.ofSeconds(5));
  }

  private UpnpNat start(Host h, UpnpConfig config) {
    upnp = new UpnpNat(h, config);
    upnp.addListener(events::add);
    return upnp;
  }

  private static int port(Host h) {
    return Integer.parseInt(h.listenAddresses().get(0).toString().split("/")[4]);
  }

  private static AddressManager.Entry entry(Host h, Multiaddr a) {
    return h.addresses().entries().stream()
        .filter(e -> e.address().equals(a))
        .findFirst()
        .orElseThrow(() -> new AssertionError(a + " not in " + h.addresses().entries()));
  }

  /** Waits for an event of {@code type}: listeners run on the host's callback executor. */
  private void awaitEvent(UpnpEvent.Type type) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> events.stream().anyMatch(e -> e.type() == type));
  }

  @Test
  void mapsTheListenPortAndAdvertisesItOnlyOnceConfirmed() {
    Host h = net.host();
    int port = port(h);
    List<PortMapping> made = join(start(h, config().build()).start());

    Multiaddr external = Multiaddr.parse("/ip4/203.0.113.7/tcp/" + port);
    assertThat(made).singleElement().satisfies(m -> {
      assertThat(m.external()).isEqualTo(external);
      assertThat(m.leaseSeconds()).isEqualTo(3600);
      assertThat(m.renewAt()).isNotNull();
    });
    Map<String, String> row = gw.table.get(port);
    assertThat(row).containsEntry("NewInternalClient", "127.0.0.1")
        .containsEntry("NewInternalPort", Integer.toString(port))
        .containsEntry("NewProtocol", "TCP")
        .containsEntry("NewLeaseDuration", "3600")
        .containsEntry("NewPortMappingDescription", "lotus-p2p");
    assertThat(upnp.externalAddress()).hasValueSatisfying(
        a -> assertThat(a.getHostAddress()).isEqualTo("203.0.113.7"));
    assertThat(upnp.doubleNat()).isFalse();

    // known and offered to AutoNAT, but not advertised before a verdict
    AddressManager.Entry e = entry(h, external);
    assertThat(e.source()).isEqualTo(AddressManager.Source.IP_MAPPING);
    assertThat(e.advertised()).isFalse();
    assertThat(h.addresses().candidates()).contains(external);
    h.addresses().setVerdict(external, Verdict.REACHABLE); // what AutoNAT does on a dial-back
    assertThat(h.addresses().advertised()).contains(external.withPeerId(h.peerId()));
    awaitEvent(UpnpEvent.Type.MAPPING_ACTIVE);
  }

  @Test
  void theLeaseIsRenewedAtHalfItsDuration() {
    Host h = net.host();
    int port = port(h);
    join(start(h, config().leaseDuration(Duration.ofSeconds(2)).build()).start());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> gw.calls("AddPortMapping").size() >= 3);
    assertThat(gw.calls("AddPortMapping"))
        .allSatisfy(c -> assertThat(c.args()).containsEntry("NewExternalPort", "" + port)
            .containsEntry("NewLeaseDuration", "2"));
    awaitEvent(UpnpEvent.Type.MAPPING_RENEWED);
  }

  @Test
  void closeDeletesTheMappingAndWithdrawsTheAddress() {
    Host h = net.host();
    int port = port(h);
    join(start(h, config().confirmMappings(true).build()).start());
    Multiaddr external = Multiaddr.parse("/ip4/203.0.113.7/tcp/" + port);
    assertThat(h.addresses().advertised()).contains(external.withPeerId(h.peerId()));

    upnp.close();

    assertThat(gw.table).isEmpty();
    assertThat(gw.calls("DeletePortMapping")).singleElement()
        .satisfies(c -> assertThat(c.args()).containsEntry("NewExternalPort", "" + port));
    assertThat(h.addresses().entries()).noneMatch(e -> e.address().equals(external));
    assertThat(upnp.mappings()).isEmpty();
  }

  @Test
  void aPrivateExternalAddressIsADoubleNatAndNothingIsMapped() {
    gw.externalIp = "100.64.12.34"; // carrier-grade NAT upstream
    Host h = net.host();
    List<PortMapping> made = join(start(h, config().build()).start());
    assertThat(made).isEmpty();
    assertThat(upnp.doubleNat()).isTrue();
    assertThat(gw.calls("AddPortMapping")).isEmpty();
    assertThat(h.addresses().entries())
        .noneMatch(e -> e.source() == AddressManager.Source.IP_MAPPING);
    awaitEvent(UpnpEvent.Type.DOUBLE_NAT);
  }

  @Test
  void pppGatewayWithPermanentLeasesOnlyAndATakenPort() {
    gw.serviceType = "urn:schemas-upnp-org:service:WANPPPConnection:1";
    gw.onlyPermanentLeases = true;
    Host h = net.host();
    int port = port(h);
    gw.takenPorts.add(port);
    List<PortMapping> made = join(start(h, config().build()).start());
    assertThat(made).singleElement().satisfies(m -> {
      assertThat(m.leaseSeconds()).isZero();
      assertThat(m.renewAt()).isNull();
      assertThat(m.external().toString()).startsWith("/ip4/203.0.113.7/tcp/")
          .doesNotEndWith("/tcp/" + port);
    });
    assertThat(gw.table).hasSize(1);
    assertThat(gw.table.values().iterator().next())
        .containsEntry("NewInternalPort", "" + port).containsEntry("NewLeaseDuration", "0");
  }

  @Test
  void noGatewayEndsTheStartWithAnEvent() throws Exception {
    Host h = net.host();
    gw.ssdpAnswers = List.of(); // nobody answers
    long t0 = System.nanoTime();
    assertThat(join(start(h, config().discoveryTimeout(Duration.ofSeconds(1)).build()).start()))
        .isEmpty();
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(20_000);
    awaitEvent(UpnpEvent.Type.NO_GATEWAY);
  }

  @Test
  void aFailedRenewalWithdrawsTheAddress() {
    Host h = net.host();
    int port = port(h);
    join(start(h, config().leaseDuration(Duration.ofSeconds(2)).confirmMappings(true).build())
        .start());
    Multiaddr external = Multiaddr.parse("/ip4/203.0.113.7/tcp/" + port);
    assertThat(h.addresses().advertised()).contains(external.withPeerId(h.peerId()));
    gw.failAddWith = 501; // ActionFailed
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> h.addresses().entries().stream().noneMatch(e -> e.address().equals(external)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> events.stream().anyMatch(ev -> ev.type() == UpnpEvent.Type.MAPPING_FAILED
            && ev.detail().contains("501")));
    gw.failAddWith = 0; // the gateway recovers: the mapping comes back at the next try
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> h.addresses().advertised().contains(external.withPeerId(h.peerId())));
  }

  @Test
  void badSettingsAreRefusedWithTheirName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> UpnpConfig.builder().leaseDuration(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseDuration");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> UpnpConfig.builder().description("tab\there").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("description");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> UpnpConfig.builder().maxDescription(10).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDescription");
  }
}
