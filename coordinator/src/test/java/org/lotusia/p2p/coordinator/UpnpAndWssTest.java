package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.TestNodes.WAIT;
import static org.lotusia.p2p.coordinator.TestNodes.join;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lotusia.libp2p.stack.Transports;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.WebSocketOptions;
import org.lotusia.libp2p.WebSocketTls;
import org.lotusia.libp2p.testing.TestCertificates;
import org.lotusia.libp2p.upnp.FakeGateway;
import org.lotusia.libp2p.upnp.UpnpConfig;

/** The coordinator's UPnP switch against a fake gateway, and its {@code /wss} listeners. */
class UpnpAndWssTest {

  private final TestNodes nodes = new TestNodes();
  @TempDir Path dir;

  @AfterEach
  void close() {
    nodes.close();
  }

  @Test
  void theHowToConfigurationBuilds() {
    // howto:begin upnp-wss
    P2PConfig config =
        P2PConfig.builder()
            .listen("/ip4/0.0.0.0/tcp/4001", "/ip4/0.0.0.0/tcp/4002/wss")
            .wss(WssConfig.pem(Path.of("fullchain.pem"), Path.of("privkey.pem"))) // read at start
            .enableUpnp(true) // off by default, as in lotus-sdk
            .build();
    // howto:end upnp-wss
    assertThat(config.enableUpnp()).isTrue();
    assertThat(config.wss()).hasValueSatisfying(w -> assertThat(w.key()).isPresent());
  }

  @Test
  void upnpIsOffByDefault() {
    assertThat(P2PConfig.defaults().enableUpnp()).isFalse();
    assertThat(P2PConfig.defaults().wss()).isEmpty();
  }

  @Test
  void enableUpnpMapsTheListenPortAndStopDeletesIt() throws Exception {
    try (FakeGateway gw = new FakeGateway()) {
      P2PCoordinator node =
          nodes.start(
              b ->
                  b.enableUpnp(true)
                      .upnp(
                          UpnpConfig.builder()
                              .ssdpTarget(gw.ssdpAddress())
                              .discoveryTimeout(Duration.ofSeconds(2))
                              .build()));
      String port = TestNodes.addr(node).split("/")[4];
      await().atMost(WAIT).until(() -> gw.table.containsKey(Integer.parseInt(port)));
      assertThat(gw.table.get(Integer.parseInt(port))).containsEntry("NewInternalClient", "127.0.0.1");
      // not advertised before AutoNAT confirms it
      assertThat(node.getReachableAddresses()).noneMatch(a -> a.contains("203.0.113.7"));

      node.close();
      await().atMost(WAIT).until(() -> gw.table.isEmpty());
      assertThat(gw.calls("DeletePortMapping")).hasSize(1);
    }
  }

  @Test
  void wssListensWithTheConfiguredCertificateBesideTcp() {
    TestCertificates certs = TestCertificates.create("127.0.0.1");
    P2PCoordinator node =
        nodes.start(
            b ->
                b.listen("/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/tcp/0/wss")
                    .wss(WssConfig.pem(certs.chainPem(dir), certs.keyPem(dir))));
    String wss =
        node.getStats().multiaddrs().stream()
            .filter(a -> a.contains("/wss"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no /wss in " + node.getStats().multiaddrs()));

    Host client =
        new HostBuilder()
            .transports(
                Transports.websocket(
                    WebSocketOptions.DEFAULT,
                    WebSocketTls.builder().trustCertificates(List.of(certs.ca())).build()))
            .build();
    try {
      join(client.start());
      Connection c = join(client.dial(Multiaddr.parse(wss)));
      assertThat(c.remotePeer()).isEqualTo(PeerId.parse(node.peerId()));
      assertThat(c.remoteAddress().toString()).contains("/wss");
    } finally {
      join(client.closeAsync());
    }
  }

  @Test
  void wssWithoutACertificateFailsTheStartSayingSo() {
    P2PCoordinator node =
        new P2PCoordinator(TestNodes.config().listen("/ip4/127.0.0.1/tcp/0/wss").build());
    try {
      assertThatThrownBy(() -> join(node.start())).hasMessageContaining("server certificate");
    } finally {
      node.close();
    }
  }

  @Test
  void aPkcs12WssConfigNeedsItsPassword() {
    assertThatThrownBy(
            () -> new WssConfig(dir.resolve("x.p12"), java.util.Optional.empty(),
                java.util.Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("password");
  }
}
