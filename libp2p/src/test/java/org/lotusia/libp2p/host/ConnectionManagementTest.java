package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.host.Hosts.Stack;
import org.lotusia.libp2p.protocol.ping.Ping;

class ConnectionManagementTest {

  private final Hosts hosts = new Hosts();

  @AfterEach
  void stop() {
    hosts.close();
  }

  @Test
  void dialReusesConnectionsUnlessForced() {
    Host a = hosts.start(Stack.MEMORY_PLAINTEXT);
    Host b = hosts.start(Stack.MEMORY_PLAINTEXT);
    Multiaddr addr = b.listenAddresses().get(0);
    Connection first = join(a.dial(addr));
    assertThat(join(a.dial(addr))).isSameAs(first);
    assertThat(join(a.newStream(b.peerId(), List.of(Ping.PROTOCOL_ID))).connection())
        .isSameAs(first);
    Connection forced = join(a.dial(addr, DialOptions.FORCE));
    assertThat(forced).isNotSameAs(first);
    assertThat(a.connections(b.peerId())).containsExactlyInAnyOrder(first, forced);
    await().atMost(Duration.ofSeconds(5)).until(() -> b.connections(a.peerId()).size() == 2);
  }

  @Test
  void concurrentDialsToOnePeerShareOneConnection() {
    Host a = hosts.start(Stack.TCP_NOISE);
    Host b = hosts.start(Stack.TCP_NOISE);
    List<CompletableFuture<Connection>> dials = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      dials.add(a.dial(b.listenAddresses().get(0)));
    }
    Connection first = join(dials.get(0));
    for (CompletableFuture<Connection> d : dials) {
      assertThat(join(d)).isSameAs(first);
    }
    assertThat(a.connections()).containsExactly(first);
  }

  @Test
  void manyInMemoryHostsShareEventLoopsAndPingAHub() {
    Host hub = hosts.start(Stack.MEMORY_NOISE);
    List<CompletableFuture<java.time.Duration>> pings = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Host h = hosts.start(Stack.MEMORY_NOISE);
      pings.add(h.newStream(hub.listenAddresses().get(0), new Ping()).thenCompose(p -> p.ping()));
    }
    for (CompletableFuture<java.time.Duration> p : pings) {
      assertThat(join(p)).isPositive();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> hub.connections().size() == 40);
  }

  @ParameterizedTest
  @EnumSource(Stack.class)
  void dialToTheWrongPeerIdFails(Stack stack) {
    Host a = hosts.start(stack);
    Host b = hosts.start(stack);
    PeerId other = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    Multiaddr wrong = b.listenAddresses().get(0).withoutPeerId().withPeerId(other);
    assertThatThrownBy(() -> join(a.dial(wrong))).hasMessageContaining(other.toString());
    assertThat(a.connections()).isEmpty();
  }

  @Test
  void trimsOldestIdleConnectionsAboveHighWater() {
    Host hub = hosts.start(Stack.MEMORY_PLAINTEXT, x -> x.connectionLimits(10, 4, 2));
    Host[] peers = new Host[5];
    for (int i = 0; i < peers.length; i++) {
      peers[i] = hosts.start(Stack.MEMORY_PLAINTEXT);
    }
    Stream busy = null;
    for (int i = 0; i < 4; i++) {
      Connection c = join(peers[i].dial(hub.listenAddresses().get(0)));
      if (i == 0) {
        // The oldest connection keeps a stream open, so it is not idle.
        busy = join(c.newStream(List.of(Ping.PROTOCOL_ID)));
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.connections().size() == 4);
    // Let identify streams finish so the others count as idle.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                hub.connections().stream()
                    .filter(c -> !c.remotePeer().equals(peers[0].peerId()))
                    .allMatch(c -> c.streams().isEmpty()));
    join(peers[4].dial(hub.listenAddresses().get(0)));
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.connections().size() == 2);
    assertThat(hub.connections().stream().map(Connection::remotePeer))
        .contains(peers[0].peerId())
        .doesNotContain(peers[1].peerId(), peers[2].peerId());
    assertThat(busy.isOpen()).isTrue();
  }

  @Test
  void refusesConnectionsBeyondTheMaximum() {
    Host hub = hosts.start(Stack.MEMORY_PLAINTEXT, x -> x.connectionLimits(1, 1, 1));
    Host a = hosts.start(Stack.MEMORY_PLAINTEXT);
    Host b = hosts.start(Stack.MEMORY_PLAINTEXT);
    join(a.dial(hub.listenAddresses().get(0)));
    assertThatThrownBy(() -> join(b.dial(hub.listenAddresses().get(0)))).isNotNull();
    assertThat(hub.connections()).hasSize(1);
    assertThat(hub.connections().get(0).remotePeer()).isEqualTo(a.peerId());
  }

  @Test
  void dialTimesOutAgainstAListenerThatNeverAnswers() throws Exception {
    Host a = hosts.start(Stack.TCP_NOISE);
    // A bound socket whose connections complete in the kernel backlog but are never accepted: the
    // TCP connect succeeds, multistream-select never gets an answer.
    try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Multiaddr addr = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + blackHole.getLocalPort());
      long start = System.nanoTime();
      assertThatThrownBy(() -> join(a.dial(addr, new DialOptions(false, Duration.ofMillis(500)))))
          .hasCauseInstanceOf(TimeoutException.class)
          .hasMessageContaining("did not finish within");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
    assertThat(a.connections()).isEmpty();
  }

  @Test
  void closeFailsPendingFutures() throws Exception {
    Host a = hosts.start(Stack.TCP_NOISE);
    Host b = hosts.start(Stack.TCP_NOISE);
    CompletableFuture<Stream> served = new CompletableFuture<>();
    b.setStreamHandler("/test/hold/1", served::complete);
    Stream s = join(a.newStream(b.listenAddresses().get(0), List.of("/test/hold/1")));
    CompletableFuture<byte[]> pendingRead = s.read(10);
    try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Connection> pendingDial =
          a.dial(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + blackHole.getLocalPort()));
      join(a.closeAsync());
      assertThatThrownBy(() -> join(pendingDial)).isInstanceOf(ConnectionClosedException.class);
    }
    assertThatThrownBy(() -> join(pendingRead)).isInstanceOf(ConnectionClosedException.class);
    assertThatThrownBy(() -> join(a.dial(b.listenAddresses().get(0))))
        .isInstanceOf(IllegalStateException.class);
    // The remote sees the connection go away.
    await().atMost(Duration.ofSeconds(5)).until(() -> b.connections().isEmpty());
  }

  @Test
  void misbehavingPeersAreDroppedWhileOthersAreServed() throws Exception {
    Host b = hosts.start(Stack.TCP_NOISE, x -> x.handshakeTimeout(Duration.ofSeconds(2)));
    Host good = hosts.start(Stack.TCP_NOISE);
    var tcp =
        org.lotusia.libp2p.internal.transport.TcpAddress.of(b.listenAddresses().get(0))
            .orElseThrow();
    // 1: garbage after agreeing on /noise.
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tcp.port())) {
      OutputStream out = s.getOutputStream();
      out.write(mss("/multistream/1.0.0"));
      out.write(mss("/noise"));
      out.write(new byte[] {0x00, 0x20});
      out.write(new byte[32]);
      out.flush();
      assertThat(readUntilClosed(s.getInputStream(), 1 << 16)).isLessThan(1 << 16);
    }
    // 2: an oversized multistream message.
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tcp.port())) {
      OutputStream out = s.getOutputStream();
      out.write(new byte[] {(byte) 0xff, (byte) 0xff, 0x03});
      out.write(new byte[4096]);
      out.flush();
      assertThat(readUntilClosed(s.getInputStream(), 1 << 16)).isLessThan(1 << 16);
    }
    // 3: an oversized Noise handshake frame length.
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tcp.port())) {
      OutputStream out = s.getOutputStream();
      out.write(mss("/multistream/1.0.0"));
      out.write(mss("/noise"));
      out.write(new byte[] {(byte) 0xff, (byte) 0xff});
      out.write(new byte[8192]);
      out.flush();
      assertThat(readUntilClosed(s.getInputStream(), 1 << 16)).isLessThan(1 << 16);
    }
    Connection c = join(good.dial(b.listenAddresses().get(0)));
    assertThat(join(join(good.newStream(c, new Ping())).ping())).isPositive();
    await().atMost(Duration.ofSeconds(5)).until(() -> b.connections().size() == 1);
  }

  private static byte[] mss(String line) {
    byte[] body = (line + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[body.length + 1];
    out[0] = (byte) body.length;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  /** Reads until the peer closes; returns the byte count (stops at {@code max}). */
  private static int readUntilClosed(InputStream in, int max) throws Exception {
    int total = 0;
    byte[] buf = new byte[1024];
    int n;
    try {
      while (total < max && (n = in.read(buf)) >= 0) {
        total += n;
      }
    } catch (java.net.SocketException reset) {
      // A reset also means closed.
    }
    return total;
  }
}
