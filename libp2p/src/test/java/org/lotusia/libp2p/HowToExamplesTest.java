package org.lotusia.libp2p;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lotusia.libp2p.crypto.KeyFiles;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.protocol.ping.PingSession;

/**
 * The examples of docs/HOWTO.md for the libp2p module, compiled and run on loopback TCP. The regions
 * between the {@code howto:begin} and {@code howto:end} markers are compared with the document.
 */
class HowToExamplesTest {

  private final List<Host> started = new ArrayList<>();

  @AfterEach
  void closeHosts() {
    started.forEach(h -> h.closeAsync().join());
  }

  private Host startServer() {
    Host server = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
    server.addProtocol(new Ping());
    server.start().join();
    started.add(server);
    return server;
  }

  @Test
  void startHost(@TempDir Path dir) {
    Path keyFile = dir.resolve("identity.key");
    // howto:begin start-host
    IdentityPrivateKey identity = KeyFiles.loadOrCreate(keyFile, KeyType.ED25519); // reused on restart
    Host host = new HostBuilder()
        .identity(identity)
        .listen("/ip4/127.0.0.1/tcp/0") // port 0: the system picks a free port
        .build(); // TCP, Noise and Yamux by default
    host.addProtocol(new Ping()); // serve /ipfs/ping/1.0.0
    host.start().join();
    PeerId me = host.peerId();
    List<Multiaddr> addrs = host.listenAddresses(); // .../tcp/40913/p2p/12D3KooW...
    // ... use the host ...
    host.close(); // closes and waits (at most Host.CLOSE_TIMEOUT); pending futures fail
    // howto:end start-host

    assertThat(me).isEqualTo(PeerId.fromPublicKey(identity.publicKey()));
    assertThat(addrs).hasSize(1);
    assertThat(addrs.get(0).peerId()).contains(me);
    assertThat(KeyFiles.loadOrCreate(keyFile, KeyType.ED25519).publicKey())
        .isEqualTo(identity.publicKey());
  }

  @Test
  void resourceLimits() {
    // howto:begin resource-limits
    ResourceLimits limits = ResourceLimits.builder()
        .maxPendingInboundPerIp(8) // sockets one IP may hold in their handshake (default 16)
        .inboundRatePerIp(32, 4.0) // per IP: a burst of 32 connections, then 4 per second
        .maxConnectionsPerPeer(4) // default 8
        .protocolStreams("/my-app/1.0.0", 64, 16) // open streams of one protocol, in / out
        .build();
    Host host = new HostBuilder()
        .listen("/ip4/0.0.0.0/tcp/4001")
        .resourceLimits(limits)
        .build();
    // later, for metrics: what each limit refused
    HostStats.Refusals refused = host.stats().refusals();
    // howto:end resource-limits
    started.add(host); // closed (never started) after the test

    assertThat(refused.total()).isZero();
    assertThat(limits.streamLimit("/my-app/1.0.0"))
        .isEqualTo(new ResourceLimits.StreamLimit(64, 16));
    assertThat(limits.maxPendingInbound()).isEqualTo(ResourceLimits.DEFAULT_PENDING_INBOUND);
  }

  @Test
  void dialAndPing() {
    Host server = startServer();
    Host host = new HostBuilder().build();
    host.start().join();
    started.add(host);
    Multiaddr serverAddress = server.listenAddresses().get(0);
    String text = serverAddress.toString();
    // howto:begin dial-ping
    Multiaddr addr = Multiaddr.parse(text); // "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW..."
    Connection conn = host.dial(addr).join(); // reuses an open connection to that peer
    PingSession ping = host.newStream(conn, new Ping()).join();
    Duration rtt = ping.ping().join();
    ping.close().join();
    // howto:end dial-ping

    assertThat(conn.remotePeer()).isEqualTo(server.peerId());
    assertThat(conn.securityProtocol()).isEqualTo("/noise");
    assertThat(conn.muxerProtocol()).isEqualTo("/yamux/1.0.0");
    assertThat(rtt).isPositive();
    assertThat(host.dial(addr, DialOptions.FORCE).join()).isNotSameAs(conn);
  }

  @Test
  void echoHandlerAndStream() {
    Host server = startServer();
    // howto:begin echo-handler
    server.setStreamHandler("/my/echo/1.0.0", stream -> stream.setReader(new StreamReader() {
      @Override
      public void onData(Stream s, byte[] chunk) {
        s.write(chunk);
      }

      @Override
      public void onEnd(Stream s) {
        s.closeWrite();
      }

      @Override
      public void onError(Stream s, Throwable cause) {
        // reset by the remote, or the connection was lost
      }
    }));
    // howto:end echo-handler

    Host host = new HostBuilder().build();
    host.start().join();
    started.add(host);
    Multiaddr addr = server.listenAddresses().get(0);
    // howto:begin stream-write-read
    Stream s = host.newStream(addr, List.of("/my/echo/1.0.0")).join();
    s.write("hello".getBytes(UTF_8)).join(); // completes when the stream can take more
    s.closeWrite().join(); // half-close: we keep reading
    byte[] reply = s.readAll(1 << 20).join(); // until the remote closes; fails above the limit
    // howto:end stream-write-read

    assertThat(new String(reply, UTF_8)).isEqualTo("hello");
    assertThat(s.protocol()).isEqualTo("/my/echo/1.0.0");

    server.removeStreamHandler("/my/echo/1.0.0");
    assertThat(host.newStream(addr, List.of("/my/echo/1.0.0")))
        .failsWithin(Duration.ofSeconds(20))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(ProtocolNotSupportedException.class);
  }
}
