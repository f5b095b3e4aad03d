package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ConnectionGatedException;
import org.lotusia.libp2p.ConnectionGater;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.host.Hosts.Stack;
import org.lotusia.libp2p.internal.transport.TcpAddress;
import org.lotusia.libp2p.protocol.ping.Ping;

/** The connection gater: each of its three questions, its threading, and slow or hostile input. */
class ConnectionGaterTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Hosts hosts = new Hosts();
  private final List<String> calls = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    hosts.close();
  }

  /** A gater that records each call with its thread, answering from the given policy. */
  private ConnectionGater recording(ConnectionGater policy) {
    return new ConnectionGater() {
      @Override
      public boolean allowDial(PeerId peer) {
        calls.add("dial " + Thread.currentThread().getName());
        return policy.allowDial(peer);
      }

      @Override
      public boolean allowInbound(Multiaddr remoteAddress) {
        calls.add("inbound " + remoteAddress + " " + Thread.currentThread().getName());
        return policy.allowInbound(remoteAddress);
      }

      @Override
      public boolean allowSecured(PeerId peer, Direction direction, Multiaddr remoteAddress) {
        calls.add("secured " + direction + " " + peer + " " + Thread.currentThread().getName());
        return policy.allowSecured(peer, direction, remoteAddress);
      }
    };
  }

  @ParameterizedTest
  @EnumSource(
      value = Stack.class,
      names = {"MEMORY_NOISE", "TCP_NOISE"})
  void allowingGaterIsAskedThreeTimesOnCallbackThreads(Stack stack) {
    Host a = hosts.start(stack, x -> x.connectionGater(recording(new ConnectionGater() {})));
    Host b = hosts.start(stack, x -> x.connectionGater(recording(new ConnectionGater() {})));
    Connection c = join(a.dial(b.listenAddresses().get(0)));
    assertThat(join(join(a.newStream(c, new Ping())).ping())).isPositive();
    await().atMost(WAIT).until(() -> calls.size() == 4);
    assertThat(calls)
        .anyMatch(s -> s.startsWith("dial "))
        .anyMatch(s -> s.startsWith("inbound /ip4/127.0.0.1/tcp/"))
        .anyMatch(s -> s.startsWith("secured OUTBOUND " + b.peerId()))
        .anyMatch(s -> s.startsWith("secured INBOUND " + a.peerId()))
        .allMatch(s -> s.contains("lotus-p2p-callback-"));
  }

  @Test
  void refusedDialFailsNamingThePeerAndDialsNothing() {
    Host b = hosts.start(Stack.TCP_NOISE);
    Host a =
        hosts.start(
            Stack.TCP_NOISE,
            x ->
                x.connectionGater(
                    recording(
                        new ConnectionGater() {
                          @Override
                          public boolean allowDial(PeerId peer) {
                            return !peer.equals(b.peerId());
                          }
                        })));
    assertThatThrownBy(() -> join(a.dial(b.listenAddresses().get(0))))
        .isInstanceOf(ConnectionGatedException.class)
        .hasMessageContaining(b.peerId().toString())
        .hasMessageContaining("allowDial");
    a.peerStore()
        .addAddresses(b.peerId(), List.of(b.listenAddresses().get(0)), Duration.ofHours(1));
    assertThatThrownBy(() -> join(a.newStream(b.peerId(), List.of(Ping.PROTOCOL_ID))))
        .isInstanceOf(ConnectionGatedException.class);
    assertThat(a.connections()).isEmpty();
    assertThat(b.connections()).isEmpty();
    assertThat(a.stats().gatedDials()).isEqualTo(2);
    // b dialling a is not a's dial: allowed.
    join(b.dial(a.listenAddresses().get(0)));
    await().atMost(WAIT).until(() -> a.isConnected(b.peerId()));
  }

  @ParameterizedTest
  @EnumSource(
      value = Stack.class,
      names = {"MEMORY_NOISE", "TCP_NOISE"})
  void refusedInboundConnectionIsClosedBeforeAnyUpgrade(Stack stack) {
    Host b =
        hosts.start(
            stack,
            x ->
                x.connectionGater(
                    recording(
                        new ConnectionGater() {
                          @Override
                          public boolean allowInbound(Multiaddr remoteAddress) {
                            return false;
                          }
                        })));
    Host a = hosts.start(stack);
    assertThatThrownBy(() -> join(a.dial(b.listenAddresses().get(0)))).isNotNull();
    assertThat(calls).hasSize(1).allMatch(s -> s.startsWith("inbound "));
    assertThat(b.connections()).isEmpty();
    assertThat(b.stats().gatedInbound()).isEqualTo(1);
    assertThat(b.stats().gatedSecured()).isZero();
  }

  @ParameterizedTest
  @EnumSource(
      value = Stack.class,
      names = {"MEMORY_NOISE", "TCP_NOISE"})
  void refusedSecuredConnectionNeverReachesTheMuxer(Stack stack) {
    Host a = hosts.start(stack);
    Host b =
        hosts.start(
            stack,
            x ->
                x.connectionGater(
                    recording(
                        new ConnectionGater() {
                          @Override
                          public boolean allowSecured(
                              PeerId peer, Direction direction, Multiaddr remoteAddress) {
                            return !peer.equals(a.peerId());
                          }
                        })));
    List<Connection> openedAtB = new CopyOnWriteArrayList<>();
    b.addListener(
        new HostListener() {
          @Override
          public void connectionOpened(Connection connection) {
            openedAtB.add(connection);
          }
        });
    // Both offer their muxers in the handshake, so the dialer's side is complete once it sent the
    // last handshake message: its dial may succeed, and the connection then closes when b refuses.
    try {
      join(a.dial(b.listenAddresses().get(0)));
    } catch (RuntimeException refusedInTime) {
      // b's refusal arrived before the dial completed
    }
    await().atMost(WAIT).until(() -> !a.isConnected(b.peerId()));
    assertThat(calls).anyMatch(s -> s.startsWith("secured INBOUND " + a.peerId()));
    assertThat(b.connections()).isEmpty();
    assertThat(openedAtB).isEmpty();
    assertThat(b.stats().gatedSecured()).isEqualTo(1);
    // Another peer is let in.
    Host c = hosts.start(stack);
    join(c.dial(b.listenAddresses().get(0)));
    await().atMost(WAIT).until(() -> b.isConnected(c.peerId()));
  }

  @Test
  void outboundSecuredRefusalFailsTheDialWithConnectionGatedException() {
    Host b = hosts.start(Stack.TCP_NOISE);
    Host a =
        hosts.start(
            Stack.TCP_NOISE,
            x ->
                x.connectionGater(
                    new ConnectionGater() {
                      @Override
                      public boolean allowSecured(
                          PeerId peer, Direction direction, Multiaddr remoteAddress) {
                        return direction != Direction.OUTBOUND;
                      }
                    }));
    // Without /p2p the peer is unknown before the handshake, so only allowSecured can refuse.
    Multiaddr anonymous = b.listenAddresses().get(0).withoutPeerId();
    assertThatThrownBy(() -> join(a.dial(anonymous)))
        .isInstanceOf(ConnectionGatedException.class)
        .hasMessageContaining(b.peerId().toString())
        .hasMessageContaining("allowSecured");
    assertThat(a.connections()).isEmpty();
    await().atMost(WAIT).until(() -> b.connections().isEmpty());
  }

  @Test
  void aThrowingGaterRefuses() {
    Host b =
        hosts.start(
            Stack.MEMORY_NOISE,
            x ->
                x.connectionGater(
                    new ConnectionGater() {
                      @Override
                      public boolean allowInbound(Multiaddr remoteAddress) {
                        throw new IllegalStateException("policy store unavailable");
                      }
                    }));
    Host a = hosts.start(Stack.MEMORY_NOISE);
    assertThatThrownBy(() -> join(a.dial(b.listenAddresses().get(0)))).isNotNull();
    assertThat(b.connections()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = Stack.class,
      names = {"MEMORY_NOISE", "TCP_NOISE"})
  void slowGaterLosesNoByteTheRemoteSentMeanwhile(Stack stack) throws Exception {
    CountDownLatch inbound = new CountDownLatch(1);
    CountDownLatch secured = new CountDownLatch(1);
    CountDownLatch securedAsked = new CountDownLatch(1);
    Host b =
        hosts.start(
            stack,
            x ->
                x.connectionGater(
                    new ConnectionGater() {
                      @Override
                      public boolean allowInbound(Multiaddr remoteAddress) {
                        return admitAfter(inbound);
                      }

                      @Override
                      public boolean allowSecured(
                          PeerId peer, Direction direction, Multiaddr remoteAddress) {
                        securedAsked.countDown();
                        return admitAfter(secured);
                      }
                    }));
    Host a = hosts.start(stack);
    CompletableFuture<Connection> dial = a.dial(b.listenAddresses().get(0));
    inbound.countDown();
    // Both offer their muxers in the handshake, so a's side is complete once it sent the last
    // handshake message: its dial completes and its streams (identify, then this ping) go out
    // while b's gater is still deciding. b holds those bytes until it admits the connection.
    assertThat(securedAsked.await(30, TimeUnit.SECONDS)).isTrue();
    Connection c = join(dial);
    var rtt = a.newStream(c, new Ping()).thenCompose(p -> p.ping());
    assertThat(rtt).isNotDone();
    secured.countDown();
    assertThat(join(rtt)).isPositive();
    await().atMost(WAIT).until(() -> b.isConnected(a.peerId()));
  }

  @Test
  void remoteThatFloodsWhileTheGaterDecidesIsClosed() throws Exception {
    CountDownLatch decide = new CountDownLatch(1);
    Host b =
        hosts.start(
            Stack.TCP_NOISE,
            x ->
                x.connectionGater(
                    new ConnectionGater() {
                      @Override
                      public boolean allowInbound(Multiaddr remoteAddress) {
                        return admitAfter(decide);
                      }
                    }));
    var tcp = TcpAddress.of(b.listenAddresses().get(0)).orElseThrow();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tcp.port())) {
      s.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = s.getOutputStream();
      byte[] junk = new byte[16 * 1024];
      try {
        for (int i = 0; i < 64; i++) {
          out.write(junk);
          out.flush();
        }
      } catch (java.io.IOException closedByB) {
        // b closed the connection while we were still writing: what this test wants.
      }
      decide.countDown();
      assertThat(readUntilClosed(s.getInputStream())).isZero();
    }
    assertThat(b.connections()).isEmpty();
  }

  @Test
  void aGaterThatNeverAnswersTimesOutAndGivesItsSlotBack() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger asked =
        new java.util.concurrent.atomic.AtomicInteger();
    // One connection at most: a slot kept by the stuck first question would refuse the second.
    Host b =
        hosts.start(
            Stack.TCP_NOISE,
            x ->
                x.connectionLimits(1, 1, 1)
                    .handshakeTimeout(Duration.ofMillis(500))
                    .connectionGater(
                        new ConnectionGater() {
                          @Override
                          public boolean allowInbound(Multiaddr remoteAddress) {
                            return asked.incrementAndGet() > 1 || admitAfter(never);
                          }
                        }));
    Host a = hosts.start(Stack.TCP_NOISE);
    Host c = hosts.start(Stack.TCP_NOISE);
    assertThatThrownBy(() -> join(a.dial(b.listenAddresses().get(0)))).isNotNull();
    // The first question is still unanswered, yet its slot is free again.
    join(c.dial(b.listenAddresses().get(0)));
    await().atMost(WAIT).until(() -> b.isConnected(c.peerId()));
    never.countDown();
    assertThat(b.isConnected(a.peerId())).isFalse();
  }

  private static boolean admitAfter(CountDownLatch latch) {
    try {
      return latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int readUntilClosed(InputStream in) throws Exception {
    int total = 0;
    try {
      int n;
      byte[] buf = new byte[1024];
      while ((n = in.read(buf)) >= 0) {
        total += n;
      }
    } catch (java.net.SocketException reset) {
      // a reset also means closed
    }
    return total;
  }
}
