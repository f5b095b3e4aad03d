package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.stack.Transports;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.WebSocketOptions;
import org.lotusia.libp2p.WebSocketTls;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.testing.TestCertificates;

/**
 * Attacks on a {@code /wss} listener: TLS garbage, a client that starts a TLS handshake and never
 * finishes it, a client that connects and sends nothing, and more such clients than the pending
 * limit. Each is cut off within the upgrade timeout, its slot is freed, and an honest client still
 * gets through (leak detection is paranoid for every test).
 */
class SecureWebSocketAttackTest {

  private static final TestCertificates CERTS = TestCertificates.create("127.0.0.1");
  private static final WebSocketOptions LIMITS =
      WebSocketOptions.DEFAULT.withUpgradeTimeout(Duration.ofSeconds(2)).withMaxPendingUpgrades(2);

  private final List<Host> started = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    for (Host h : started) {
      join(h.closeAsync());
    }
  }

  private Host start(WebSocketOptions options, String listen) {
    WebSocketTls tls =
        WebSocketTls.builder()
            .certificate(CERTS.serverKey().getPrivate(), CERTS.chain())
            .trustCertificates(List.of(CERTS.ca()))
            .build();
    HostBuilder b =
        new HostBuilder().eventLoopThreads(1).transports(Transports.websocket(options, tls));
    if (listen != null) {
      b.listen(listen);
    }
    Host h = b.build();
    h.addProtocol(new Ping());
    started.add(h);
    join(h.start());
    return h;
  }

  private Socket connect(Host h) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    int port = Integer.parseInt(h.listenAddresses().get(0).toString().split("/")[4]);
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout(30_000);
    return s;
  }

  /** An honest client's connection; proves the listener still serves. */
  private Connection honest(Host server) {
    Host client = start(LIMITS, null);
    Connection c = join(client.dial(server.listenAddresses().get(0), DialOptions.FORCE));
    assertThat(join(join(client.newStream(c, new Ping())).ping())).isPositive();
    return c;
  }

  private static long millisToClose(Socket s) throws IOException {
    long t0 = System.nanoTime();
    try {
      s.getInputStream().readAllBytes(); // the server's alert, if any, then end of stream
    } catch (java.net.SocketException reset) {
      // closed with our garbage unread: the kernel answers with a reset, which is a close too
      assertThat(reset.getMessage()).contains("reset");
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  @Test
  void tlsGarbageClosesTheConnectionAtOnce() throws Exception {
    Host server = start(LIMITS, "/ip4/127.0.0.1/tcp/0/wss");
    Connection before = honest(server);
    // not TLS at all: refused as soon as the first record header is read
    for (byte[] garbage :
        new byte[][] {
          "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n".getBytes(),
          random(4096),
        }) {
      Socket s = connect(server);
      s.getOutputStream().write(garbage);
      assertThat(millisToClose(s)).as("closed well before the upgrade timeout").isLessThan(1_500);
    }
    // a record header announcing more than TLS allows, and a few bytes: never buffered beyond the
    // record limit, cut off at the latest at the upgrade timeout
    Socket s = connect(server);
    s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, (byte) 0xff, (byte) 0xff, 1, 2, 3});
    assertThat(millisToClose(s)).isLessThan(20_000);
    assertThat(before.isOpen()).isTrue();
    honest(server);
  }

  @Test
  void aHandshakeThatNeverFinishesIsCutOffAtTheUpgradeTimeout() throws Exception {
    Host server = start(LIMITS, "/ip4/127.0.0.1/tcp/0/wss");
    Socket silent = connect(server);
    Socket halfHello = connect(server);
    // the first bytes of a ClientHello record, and then nothing
    halfHello.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00});
    assertThat(millisToClose(silent)).isBetween(1_000L, 25_000L);
    assertThat(millisToClose(halfHello)).isLessThan(25_000L);
    honest(server);
  }

  @Test
  void pendingHandshakesAreBoundedAndTheirSlotsFreed() throws Exception {
    Host server = start(LIMITS.withUpgradeTimeout(Duration.ofSeconds(20)), "/ip4/127.0.0.1/tcp/0/wss");
    Socket first = connect(server);
    Socket second = connect(server);
    Socket third = connect(server);
    // two handshakes pending: the third is closed on accept
    assertThat(third.getInputStream().read()).isEqualTo(-1);
    first.close();
    second.close();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(() -> honest(server));
  }

  @Test
  void aDialToAServerThatNeverAnswersTheHandshakeTimesOut() throws Exception {
    try (java.net.ServerSocket mute =
        new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
      Host client = start(LIMITS, null);
      long t0 = System.nanoTime();
      var dial = client.dial(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + mute.getLocalPort() + "/wss"));
      Socket accepted = mute.accept();
      sockets.add(accepted);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> join(dial))
          .hasMessageContaining("timed out");
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(25_000L);
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(7).nextBytes(b);
    return b;
  }
}
