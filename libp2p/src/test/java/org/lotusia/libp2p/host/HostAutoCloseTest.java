package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.stack.Transports;

/** A host in a try-with-resources block is closed when the block ends, as its peers see. */
class HostAutoCloseTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Hosts hosts = new Hosts();

  @AfterEach
  void stop() {
    hosts.close();
  }

  @Test
  void tryWithResourcesClosesTheListenersAndConnections() {
    Host peer = hosts.start(Hosts.Stack.TCP_NOISE);
    PeerId id;
    Multiaddr listening;
    Connection seenByPeer;
    CompletableFuture<Void> closing;
    try (Host host = tcpHost()) {
      join(host.start());
      id = host.peerId();
      listening = host.listenAddresses().get(0);
      join(host.dial(peer.listenAddresses().get(0)));
      await().atMost(WAIT).until(() -> !peer.connections(id).isEmpty());
      seenByPeer = peer.connections(id).get(0);
      assertThat(canConnect(listening)).as("listening inside the block").isTrue();
      closing = host.closeAsync();
      assertThat(host.closeAsync()).as("one close, however often asked").isSameAs(closing);
    }

    // close() returned only once the host was closed.
    assertThat(closing).isCompleted();
    join(seenByPeer.closeFuture());
    assertThat(seenByPeer.closedByRemote()).as("the peer sees the host end the connection").isTrue();
    await().atMost(WAIT).until(() -> !peer.isConnected(id));
    assertThat(canConnect(listening)).as("the listener is unbound").isFalse();
    assertThatThrownBy(() -> join(peer.dial(listening))).as("a dial back finds no host").isNotNull();
  }

  @Test
  void closeIsIdempotentAndAfterCloseAsyncReturnsAtOnce() {
    Host host = tcpHost();
    join(host.start());
    CompletableFuture<Void> closing = host.closeAsync();
    host.close();
    assertThat(closing).isCompleted();
    host.close();
    assertThat(host.closeAsync()).isCompleted();
  }

  private static Host tcpHost() {
    Host h =
        new HostBuilder()
            .eventLoopThreads(1)
            .transports(Transports.tcp())
            .listen("/ip4/127.0.0.1/tcp/0")
            .build();
    h.addProtocol(new Ping());
    return h;
  }

  private static boolean canConnect(Multiaddr addr) {
    try (Socket s = new Socket()) {
      int port = Integer.parseInt(addr.valueOf(MultiaddrProtocol.TCP).orElseThrow());
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
