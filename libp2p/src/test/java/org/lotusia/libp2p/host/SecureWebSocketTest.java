package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.libp2p.host.Hosts.join;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lotusia.libp2p.stack.Transports;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.WebSocketOptions;
import org.lotusia.libp2p.WebSocketTls;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.testing.TestCertificates;

/**
 * Java to Java over secure WebSocket: a listener with a PEM or PKCS#12 certificate, a dialler
 * trusting the test CA; {@code /ws} unchanged beside it; the certificate checks that must fail.
 */
class SecureWebSocketTest {

  private static final String ECHO = "/test/echo/1.0.0";
  private static final TestCertificates CERTS = TestCertificates.create("localhost", "127.0.0.1");

  @TempDir Path dir;
  private final List<Host> started = new ArrayList<>();

  @AfterEach
  void stop() {
    for (Host h : started) {
      join(h.closeAsync());
    }
  }

  private Host start(WebSocketTls tls, String... listen) {
    HostBuilder b =
        new HostBuilder()
            .eventLoopThreads(1)
            .transports(Transports.tcp(), Transports.websocket(WebSocketOptions.DEFAULT, tls));
    for (String a : listen) {
      b.listen(a);
    }
    Host h = b.build();
    h.addProtocol(new Ping());
    h.setStreamHandler(ECHO, EchoStreams::serve);
    started.add(h);
    join(h.start());
    return h;
  }

  private WebSocketTls trustingCa() {
    return WebSocketTls.builder().trustPem(CERTS.caPem(dir)).build();
  }

  private static Multiaddr address(Host h, String suffix) {
    return h.listenAddresses().stream()
        .filter(a -> a.withoutPeerId().toString().endsWith(suffix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + suffix + " in " + h.listenAddresses()));
  }

  private static void echo(Connection c, int size) {
    byte[] payload = new byte[size];
    new SecureRandom().nextBytes(payload);
    Stream s = join(c.newStream(List.of(ECHO)));
    join(s.write(payload).thenCompose(v -> s.closeWrite()));
    assertThat(join(s.readAll(size + 1))).isEqualTo(payload);
  }

  @Test
  void pemCertificateServesWssAndPlainWsBesideIt() {
    WebSocketTls serverTls =
        WebSocketTls.builder().certificatePem(CERTS.chainPem(dir), CERTS.keyPem(dir)).build();
    Host server =
        start(serverTls, "/ip4/127.0.0.1/tcp/0/wss", "/ip4/127.0.0.1/tcp/0/ws");
    Host client = start(trustingCa());

    Multiaddr wss = address(server, "/wss");
    Connection secure = join(client.dial(wss.withPeerId(server.peerId())));
    assertThat(secure.remoteAddress().toString()).endsWith("/wss");
    assertThat(join(join(client.newStream(secure, new Ping())).ping())).isPositive();
    echo(secure, 300_000);
    // the listener reports the inbound connection as a /wss one too
    assertThat(server.connections(client.peerId()))
        .anySatisfy(c -> assertThat(c.localAddress().toString()).endsWith("/wss"));

    Connection plain = join(client.dial(address(server, "/ws"), DialOptions.FORCE));
    assertThat(plain.remoteAddress().toString()).endsWith("/ws").doesNotContain("wss");
    echo(plain, 10_000);
  }

  @Test
  void pkcs12CertificateServesTlsWsAndTheSniFormDials() {
    char[] password = "secret".toCharArray();
    WebSocketTls serverTls = WebSocketTls.builder().pkcs12(CERTS.pkcs12(dir, password), password)
        .build();
    Host server = start(serverTls, "/ip4/127.0.0.1/tcp/0/tls/ws");
    Host client = start(trustingCa());
    Multiaddr tlsWs = address(server, "/tls/ws");
    echo(join(client.dial(tlsWs)), 5_000);
    // the certificate names localhost: the SNI form checks that name, not the IP
    String port = tlsWs.toString().split("/")[4];
    Multiaddr sni = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port + "/tls/sni/localhost/ws");
    Connection c = join(client.dial(sni, DialOptions.FORCE));
    assertThat(c.remoteAddress().toString()).endsWith("/tls/sni/localhost/ws");
  }

  @Test
  void anUntrustedCertificateFailsTheDialWithATlsError() {
    Host server = start(WebSocketTls.builder().certificate(CERTS.serverKey().getPrivate(),
        CERTS.chain()).build(), "/ip4/127.0.0.1/tcp/0/wss");
    // the JDK's trust store does not know the test CA
    Host jdkTrust = start(WebSocketTls.DEFAULT);
    assertThatThrownBy(() -> join(jdkTrust.dial(address(server, "/wss"))))
        .satisfies(e -> assertThat(causes(e)).anyMatch(SSLHandshakeException.class::isInstance));
  }

  @Test
  void aCertificateForAnotherNameFailsTheDial() {
    TestCertificates other = TestCertificates.create("node.example");
    Host server = start(WebSocketTls.builder().certificate(other.serverKey().getPrivate(),
        other.chain()).build(), "/ip4/127.0.0.1/tcp/0/wss");
    Host client =
        start(WebSocketTls.builder().trustCertificates(List.of(other.ca())).build());
    Multiaddr wss = address(server, "/wss");
    assertThatThrownBy(() -> join(client.dial(wss)))
        .satisfies(e -> assertThat(causes(e)).anyMatch(SSLHandshakeException.class::isInstance));
    // the same server under the name its certificate carries is accepted
    String port = wss.toString().split("/")[4];
    Connection ok =
        join(client.dial(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port + "/tls/sni/node.example/ws")));
    echo(ok, 1_000);
  }

  @Test
  void badTlsConfigurationIsRefusedWithTheFileNamed() throws Exception {
    Path empty = java.nio.file.Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
    assertThatThrownBy(
            () -> WebSocketTls.builder().certificatePem(empty, CERTS.keyPem(dir)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no certificate");
    assertThatThrownBy(
            () -> WebSocketTls.builder().certificatePem(CERTS.chainPem(dir), empty).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty.pem");
    Path p12 = CERTS.pkcs12(dir, "right".toCharArray());
    assertThatThrownBy(() -> WebSocketTls.builder().pkcs12(p12, "wrong".toCharArray()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("wrong password");
    assertThatThrownBy(
            () -> WebSocketTls.builder().pkcs12(p12, "right".toCharArray())
                .certificatePem(CERTS.chainPem(dir), CERTS.keyPem(dir)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one server certificate");
  }

  private static List<Throwable> causes(Throwable t) {
    List<Throwable> out = new ArrayList<>();
    for (Throwable c = t; c != null && !out.contains(c); c = c.getCause()) {
      out.add(c);
    }
    return out;
  }
}
