package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.libp2p.WebSocketOptions;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.stack.Transports;

/** Java to Java over {@code /tcp/<port>/ws}: echo, a big transfer, many streams, selection. */
class WebSocketTransportTest {

  private static final String ECHO = "/test/echo/1.0.0";
  private static final String SINK = "/test/sha256/1.0.0";

  private final List<Host> started = new ArrayList<>();

  @AfterEach
  void stop() {
    for (Host h : started) {
      join(h.closeAsync());
    }
  }

  /** A host with TCP and WebSocket, listening on one address of each. */
  private Host start(HostBuilder builder) {
    Host h = builder.build();
    h.addProtocol(new Ping());
    h.setStreamHandler(ECHO, EchoStreams::serve);
    h.setStreamHandler(SINK, WebSocketTransportTest::sha256);
    started.add(h);
    join(h.start());
    return h;
  }

  private Host startBoth() {
    return start(
        new HostBuilder()
            .eventLoopThreads(1)
            .transports(Transports.tcp(), Transports.websocket())
            .listen("/ip4/127.0.0.1/tcp/0")
            .listen("/ip4/127.0.0.1/tcp/0/ws"));
  }

  private static Multiaddr wsAddress(Host h) {
    return h.listenAddresses().stream()
        .filter(a -> a.toString().contains("/ws"))
        .findFirst()
        .orElseThrow();
  }

  private static Multiaddr tcpAddress(Host h) {
    return h.listenAddresses().stream()
        .filter(a -> !a.toString().contains("/ws"))
        .findFirst()
        .orElseThrow();
  }

  /** Reads to the end and answers the SHA-256 of what it read. */
  private static void sha256(Stream s) {
    MessageDigest digest = sha256();
    s.setReader(
        new StreamReader() {
          @Override
          public void onData(Stream stream, byte[] chunk) {
            digest.update(chunk);
          }

          @Override
          public void onEnd(Stream stream) {
            stream.write(digest.digest()).thenCompose(v -> stream.closeWrite());
          }
        });
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void listenAddressesReportTheBoundPortAndWs() {
    Host h = startBoth();
    Multiaddr ws = wsAddress(h);
    assertThat(ws.toString()).matches("/ip4/127\\.0\\.0\\.1/tcp/[1-9][0-9]*/ws(/p2p/.*)?");
    assertThat(tcpAddress(h).toString()).doesNotContain("/ws");
  }

  @Test
  void echoAndPingOverWebSocketWithWsAddressesAndIdentify() {
    Host a = startBoth();
    Host b = startBoth();
    CompletableFuture<IdentifyInfo> atA = new CompletableFuture<>();
    a.addListener(
        new HostListener() {
          @Override
          public void identifyCompleted(Connection connection, IdentifyInfo info) {
            atA.complete(info);
          }
        });
    Connection c = join(a.dial(wsAddress(b)));
    assertThat(c.remoteAddress().withoutPeerId()).isEqualTo(wsAddress(b).withoutPeerId());
    assertThat(c.localAddress().toString()).endsWith("/ws");
    await().atMost(Duration.ofSeconds(10)).until(() -> !b.connections(a.peerId()).isEmpty());
    assertThat(b.connections(a.peerId()).get(0).remoteAddress().toString()).endsWith("/ws");

    Stream s = join(c.newStream(List.of(ECHO)));
    byte[] payload = "hello over a websocket".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    join(s.write(payload).thenCompose(v -> s.closeWrite()));
    assertThat(join(s.readAll(1024))).isEqualTo(payload);
    assertThat(join(join(a.newStream(c, new Ping())).ping())).isPositive();

    IdentifyInfo info = join(atA);
    assertThat(info.observedAddr()).contains(c.localAddress());
    assertThat(info.listenAddrs())
        .contains(wsAddress(b).withoutPeerId(), tcpAddress(b).withoutPeerId());
  }

  @Test
  void eightMebibytesArriveIntact() throws Exception {
    Host a = startBoth();
    Host b = startBoth();
    byte[] data = new byte[8 << 20];
    new Random(8).nextBytes(data);
    Stream s = join(a.newStream(wsAddress(b), List.of(SINK)));
    CompletableFuture<byte[]> answer = s.readAll(64);
    for (int off = 0; off < data.length; off += 100_000) {
      byte[] chunk = java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + 100_000));
      join(s.write(chunk));
    }
    join(s.closeWrite());
    assertThat(join(answer)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    assertThat(s.connection().remoteAddress().toString()).contains("/ws");
  }

  @Test
  void eightMebibytesArriveIntactWithTheSmallestFrameLimitOnBothSides() throws Exception {
    WebSocketOptions smallest =
        WebSocketOptions.DEFAULT.withMaxFrameSize(WebSocketOptions.MIN_FRAME_SIZE);
    Host a = start(smallFrames(smallest));
    Host b = start(smallFrames(smallest));
    byte[] data = new byte[8 << 20];
    new Random(9).nextBytes(data);
    Stream s = join(a.newStream(wsAddress(b), List.of(SINK, ECHO)));
    assertThat(s.protocol()).isEqualTo(SINK);
    CompletableFuture<byte[]> answer = s.readAll(64);
    writeInChunks(s, data);
    assertThat(join(answer)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    // and the other way round: b sends 8 MiB to a's echo
    Stream back = join(b.newStream(wsAddress(a), List.of(ECHO)));
    CompletableFuture<byte[]> echoed = back.readAll(data.length);
    writeInChunks(back, data);
    assertThat(join(echoed)).isEqualTo(data);
  }

  /** Writes {@code data} in 200 kB chunks, each after the previous one was accepted. */
  private static void writeInChunks(Stream s, byte[] data) {
    for (int off = 0; off < data.length; off += 200_000) {
      join(s.write(java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + 200_000))));
    }
    join(s.closeWrite());
  }

  private static HostBuilder smallFrames(WebSocketOptions options) {
    return new HostBuilder()
        .eventLoopThreads(1)
        .transports(Transports.websocket(options))
        .listen("/ip4/127.0.0.1/tcp/0/ws");
  }

  @Test
  void hundredConcurrentStreamsEcho() {
    Host a = startBoth();
    Host b = startBoth();
    Connection c = join(a.dial(wsAddress(b)));
    EchoStreams.assertConcurrentEchoes(c, ECHO, 100, 5000);
  }

  @Test
  void eachAddressGoesToItsTransport() {
    Host a = startBoth();
    Host b = startBoth();
    Connection overTcp = join(a.dial(tcpAddress(b), org.lotusia.libp2p.DialOptions.FORCE));
    Connection overWs = join(a.dial(wsAddress(b), org.lotusia.libp2p.DialOptions.FORCE));
    assertThat(overTcp.remoteAddress().toString()).doesNotContain("/ws");
    assertThat(overWs.remoteAddress().toString()).contains("/ws");
  }

  @Test
  void websocketOnlyHostCannotDialTcpAndTcpOnlyHostCannotDialWs() {
    Host wsOnly =
        start(
            new HostBuilder()
                .eventLoopThreads(1)
                .transports(Transports.websocket())
                .listen("/ip4/127.0.0.1/tcp/0/ws"));
    Host tcpOnly = start(new HostBuilder().eventLoopThreads(1).listen("/ip4/127.0.0.1/tcp/0"));
    assertThatThrownBy(() -> join(wsOnly.dial(tcpOnly.listenAddresses().get(0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no transport can dial");
    assertThatThrownBy(() -> join(tcpOnly.dial(wsOnly.listenAddresses().get(0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no transport can dial");
    Host both = startBoth();
    assertThat(join(both.dial(wsOnly.listenAddresses().get(0))).remoteAddress().toString())
        .contains("/ws");
  }

  @Test
  void listeningOnSecureWebSocketWithoutACertificateSaysWhatIsMissing() {
    Host wss =
        new HostBuilder()
            .transports(Transports.websocket())
            .listen("/ip4/127.0.0.1/tcp/0/wss")
            .build();
    assertThatThrownBy(() -> join(wss.start()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a server certificate")
        .hasMessageContaining("WebSocketTls");
    join(wss.closeAsync());
  }
}
