package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.WebSocketOptions;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.stack.Transports;

/**
 * The WebSocket limits as attacks from raw sockets: each bad peer loses only its own connection,
 * while an honest connection to the same listener keeps working. Buffer leaks fail the class
 * through the leak-detection extension.
 */
class WebSocketLimitsTest {

  private static final WebSocketOptions LIMITS =
      WebSocketOptions.DEFAULT
          .withMaxFrameSize(WebSocketOptions.MIN_FRAME_SIZE)
          .withUpgradeTimeout(Duration.ofSeconds(2))
          .withMaxPendingUpgrades(2);

  private final List<Host> started = new ArrayList<>();
  private final List<AutoCloseable> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable s : sockets) {
      s.close();
    }
    for (Host h : started) {
      join(h.closeAsync());
    }
  }

  private Host start(WebSocketOptions options) {
    Host h =
        new HostBuilder()
            .eventLoopThreads(1)
            .transports(Transports.websocket(options))
            .listen("/ip4/127.0.0.1/tcp/0/ws")
            .build();
    h.addProtocol(new Ping());
    started.add(h);
    join(h.start());
    return h;
  }

  private static int port(Host h) {
    String[] parts = h.listenAddresses().get(0).toString().split("/");
    return Integer.parseInt(parts[4]);
  }

  private Socket connect(Host h) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.connect(new InetSocketAddress("127.0.0.1", port(h)), 10_000);
    s.setSoTimeout(10_000);
    return s;
  }

  private static void upgrade(Socket s) throws IOException {
    s.getOutputStream()
        .write(
            ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 101");
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** A masked client frame header (zero mask) announcing {@code length} payload bytes. */
  private static byte[] frameHeader(int opcode, long length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x80 | opcode);
    if (length < 126) {
      out.write(0x80 | (int) length);
    } else if (length < 65536) {
      out.write(0x80 | 126);
      out.write((int) (length >> 8));
      out.write((int) length);
    } else {
      out.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        out.write((int) (length >> (8 * i)));
      }
    }
    out.writeBytes(new byte[4]);
    return out.toByteArray();
  }

  /** Reads until the peer closes; fails if it does not within the socket timeout. */
  private static byte[] readToEnd(Socket s) throws IOException {
    return s.getInputStream().readAllBytes();
  }

  /** The status code of the close frame the server sent first after the upgrade. */
  private static int closeStatus(byte[] frames) {
    assertThat(frames.length).isGreaterThanOrEqualTo(4);
    assertThat(frames[0] & 0xff).isEqualTo(0x88);
    return ((frames[2] & 0xff) << 8) | (frames[3] & 0xff);
  }

  /** A host with an honest WebSocket connection to {@code target}. */
  private Connection honest(Host target) {
    Host a = start(WebSocketOptions.DEFAULT);
    return join(a.dial(target.listenAddresses().get(0)));
  }

  private static void stillWorks(Connection c) {
    assertThat(c.isOpen()).isTrue();
    join(join(c.newStream(List.of(Ping.PROTOCOL_ID))).close());
  }

  @Test
  void oversizedFrameClosesWith1009() throws Exception {
    Host b = start(LIMITS);
    Connection good = honest(b);
    Socket s = connect(b);
    upgrade(s);
    s.getOutputStream().write(frameHeader(0x2, WebSocketOptions.MIN_FRAME_SIZE + 1));
    s.getOutputStream().flush();
    assertThat(closeStatus(readToEnd(s))).isEqualTo(1009);
    stillWorks(good);
    assertThat(b.connections()).hasSize(1);
  }

  @Test
  void frameAtTheLimitPassesTheWebSocketLayer() throws Exception {
    Host b = start(LIMITS);
    Socket s = connect(b);
    upgrade(s);
    OutputStream out = s.getOutputStream();
    out.write(frameHeader(0x2, WebSocketOptions.MIN_FRAME_SIZE));
    // not a multistream header: the upgrade then fails above the WebSocket layer, not in it
    byte[] payload = new byte[WebSocketOptions.MIN_FRAME_SIZE];
    payload[0] = 0x13;
    out.write(payload);
    out.flush();
    // multistream-select refuses the payload and the connection closes normally, not with 1009
    assertThat(closeStatus(readToEnd(s))).isEqualTo(1000);
  }

  @Test
  void textFrameClosesWith1003() throws Exception {
    Host b = start(LIMITS);
    Connection good = honest(b);
    Socket s = connect(b);
    upgrade(s);
    OutputStream out = s.getOutputStream();
    out.write(frameHeader(0x1, 2));
    out.write("hi".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    assertThat(closeStatus(readToEnd(s))).isEqualTo(1003);
    stillWorks(good);
  }

  @Test
  void pingIsAnsweredWithPong() throws Exception {
    Host b = start(LIMITS);
    Socket s = connect(b);
    upgrade(s);
    OutputStream out = s.getOutputStream();
    out.write(frameHeader(0x9, 3));
    out.write(new byte[] {1, 2, 3});
    out.flush();
    InputStream in = s.getInputStream();
    byte[] pong = in.readNBytes(5);
    assertThat(pong).containsExactly(0x8a, 3, 1, 2, 3);
  }

  @Test
  void garbageHttpRequestGets400AndClose() throws Exception {
    Host b = start(LIMITS);
    Connection good = honest(b);
    Socket s = connect(b);
    s.getOutputStream()
        .write("\u0016\u0003\u0001 not http at all\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    String reply = new String(readToEnd(s), StandardCharsets.US_ASCII);
    assertThat(reply).startsWith("HTTP/1.1 400");
    stillWorks(good);
  }

  @Test
  void plainHttpGetWithoutUpgradeGets400AndClose() throws Exception {
    Host b = start(LIMITS);
    Socket s = connect(b);
    s.getOutputStream()
        .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    String reply = new String(readToEnd(s), StandardCharsets.US_ASCII);
    assertThat(reply).startsWith("HTTP/1.1 400").contains("not a WebSocket upgrade request");
  }

  @Test
  void oversizedHttpRequestGets400AndClose() throws Exception {
    Host b = start(LIMITS);
    Connection good = honest(b);
    Socket s = connect(b);
    String big = "x".repeat(WebSocketOptions.DEFAULT.maxHttpRequestSize() + 1);
    s.getOutputStream()
        .write(
            ("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nX-Big: " + big + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    String reply = new String(readToEnd(s), StandardCharsets.US_ASCII);
    assertThat(reply).startsWith("HTTP/1.1 400").contains("oversized");
    stillWorks(good);
  }

  @Test
  void slowUpgradeIsCutOffAtTheTimeout() throws Exception {
    Host b = start(LIMITS);
    Connection good = honest(b);
    Socket s = connect(b);
    long t0 = System.nanoTime();
    s.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
    readToEnd(s);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms).isBetween(1_500L, 30_000L);
    stillWorks(good);
  }

  @Test
  void pendingUpgradesAreBounded() throws Exception {
    Host b = start(LIMITS.withUpgradeTimeout(Duration.ofSeconds(20)));
    Socket first = connect(b);
    Socket second = connect(b);
    // one event loop accepts the sockets in arrival order, so the third finds two upgrades pending
    Socket third = connect(b);
    assertThat(third.getInputStream().read()).isEqualTo(-1);
    first.setSoTimeout(200);
    assertThatThrownBy(() -> first.getInputStream().read())
        .isInstanceOf(SocketTimeoutException.class);
    first.close();
    second.close();
    // once the listener has seen both closes, a new connection gets through the upgrade
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(() -> upgrade(connect(b)));
  }

  @Test
  void dialerGivesUpOnASilentServer() throws Exception {
    ServerSocket silent = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
    sockets.add(silent);
    Host a = start(LIMITS);
    long t0 = System.nanoTime();
    CompletableFuture<Connection> dial =
        a.dial(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + silent.getLocalPort() + "/ws"));
    Socket accepted = silent.accept();
    sockets.add(accepted);
    assertThatThrownBy(() -> join(dial)).hasMessageContaining("timed out");
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(30_000L);
  }

  @Test
  void aDialThatTimesOutClosesItsSocketThoughTheUpgradeTimeoutIsLonger() throws Exception {
    ServerSocket silent = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
    sockets.add(silent);
    Host a = start(LIMITS.withUpgradeTimeout(Duration.ofMinutes(5)));
    CompletableFuture<Connection> dial =
        a.dial(
            Multiaddr.parse("/ip4/127.0.0.1/tcp/" + silent.getLocalPort() + "/ws"),
            new DialOptions(false, Duration.ofMillis(300)));
    Socket accepted = silent.accept();
    sockets.add(accepted);
    accepted.setSoTimeout(60_000);
    assertThatThrownBy(() -> join(dial)).isNotNull();
    // the dialer hangs up at its dial timeout instead of keeping the socket for 5 minutes
    readHead(accepted.getInputStream());
    assertThat(accepted.getInputStream().read()).isEqualTo(-1);
  }

  @Test
  void dialerRefusesAnHttpErrorAndATextFrame() throws Exception {
    ServerSocket server = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
    sockets.add(server);
    Host a = start(LIMITS);
    Multiaddr addr = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + server.getLocalPort() + "/ws");

    CompletableFuture<Connection> refused = a.dial(addr);
    try (Socket s = server.accept()) {
      readHead(s.getInputStream());
      s.getOutputStream()
          .write(
              "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      assertThatThrownBy(() -> join(refused)).isNotNull();
    }

    CompletableFuture<Connection> text = a.dial(addr);
    try (Socket s = server.accept()) {
      s.setSoTimeout(10_000);
      String request = readHead(s.getInputStream());
      Matcher key = Pattern.compile("(?i)sec-websocket-key: *(\\S+)").matcher(request);
      assertThat(key.find()).isTrue();
      String accept =
          Base64.getEncoder()
              .encodeToString(
                  MessageDigest.getInstance("SHA-1")
                      .digest(
                          (key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                              .getBytes(StandardCharsets.US_ASCII)));
      OutputStream out = s.getOutputStream();
      out.write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: "
                  + accept
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[] {(byte) 0x81, 2, 'h', 'i'});
      out.flush();
      assertThatThrownBy(() -> join(text)).isNotNull();
      assertThat(a.connections()).isEmpty();
    }
  }
}
