package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.PeerStoreView;
import org.lotusia.libp2p.ProtocolNotSupportedException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.host.Hosts.Stack;
import org.lotusia.libp2p.protocol.identify.Identify;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.lotusia.libp2p.protocol.ping.Ping;

/** {@link Host#identified}: success, at once, and every way it fails. */
class IdentifiedTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Hosts hosts = new Hosts();
  private final List<Stream> held = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    hosts.close();
  }

  @ParameterizedTest
  @EnumSource(
      value = Stack.class,
      names = {"MEMORY_NOISE", "TCP_NOISE"})
  void completesWithWhatThePeerReportedThenAtOnce(Stack stack) {
    Host a = hosts.start(stack);
    Host b = hosts.start(stack, x -> x.agentVersion("identified-test/1"));
    join(a.dial(b.listenAddresses().get(0)));
    IdentifyInfo info = join(a.identified(b.peerId()));
    assertThat(info.agentVersion()).isEqualTo("identified-test/1");
    assertThat(info.protocols()).contains(Ping.PROTOCOL_ID, Identify.PROTOCOL_ID);
    assertThat(info.publicKey()).isEqualTo(b.identity().publicKey());
    // The peer store was updated before the future completed; read it through the read-only view.
    PeerStoreView view = a.peerStore();
    assertThat(view.agentVersion(b.peerId())).contains("identified-test/1");
    assertThat(view.protocols(b.peerId())).contains(Ping.PROTOCOL_ID);
    assertThat(view.addresses(b.peerId())).contains(b.listenAddresses().get(0).withoutPeerId());
    // Already identified: answered without another exchange.
    CompletableFuture<IdentifyInfo> again = a.identified(b.peerId());
    assertThat(join(again)).isEqualTo(info);
  }

  @Test
  void seesTheMostRecentPush() {
    Host a = hosts.start(Stack.MEMORY_NOISE);
    Host b = hosts.start(Stack.MEMORY_NOISE);
    join(a.dial(b.listenAddresses().get(0)));
    join(a.identified(b.peerId()));
    b.setStreamHandler("/test/new/1", s -> s.reset());
    await()
        .atMost(WAIT)
        .until(() -> join(a.identified(b.peerId())).protocols().contains("/test/new/1"));
  }

  @Test
  void failsAtOnceForAPeerThatIsNotConnected() {
    Host a = hosts.start(Stack.MEMORY_NOISE);
    PeerId stranger = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    assertThatThrownBy(() -> join(a.identified(stranger)))
        .isInstanceOf(ConnectionClosedException.class)
        .hasMessageContaining(stranger.toString());
  }

  @ParameterizedTest
  @EnumSource(
      value = Stack.class,
      names = {"MEMORY_NOISE", "TCP_NOISE"})
  void failsWhenThePeerDisconnectsFirst(Stack stack) {
    Host a = hosts.start(stack);
    Host b = silentIdentify(hosts.start(stack));
    join(a.dial(b.listenAddresses().get(0)));
    // A second connection, to show that the wait lasts until the last one is gone.
    join(a.dial(b.listenAddresses().get(0), DialOptions.FORCE));
    CompletableFuture<IdentifyInfo> waiting = a.identified(b.peerId());
    await().atMost(WAIT).until(() -> held.size() == 2);
    assertThat(waiting).isNotDone();
    a.connections(b.peerId()).get(0).close();
    await().atMost(WAIT).until(() -> a.connections(b.peerId()).size() == 1);
    assertThat(waiting).isNotDone();
    join(a.disconnect(b.peerId()));
    assertThatThrownBy(() -> join(waiting)).isInstanceOf(ConnectionClosedException.class);
  }

  @Test
  void failsWithTheIdentifyErrorWhenThePeerDoesNotSpeakIdentify() {
    Host a = hosts.start(Stack.MEMORY_NOISE);
    Host b = hosts.start(Stack.MEMORY_NOISE);
    b.removeStreamHandler(Identify.PROTOCOL_ID);
    join(a.dial(b.listenAddresses().get(0)));
    assertThatThrownBy(() -> join(a.identified(b.peerId())))
        .isInstanceOf(ProtocolNotSupportedException.class);
    assertThat(a.isConnected(b.peerId())).isTrue();
  }

  @Test
  void failsWithATimeoutWhenThePeerNeverAnswers() throws Exception {
    Host a = hosts.start(Stack.TCP_NOISE, x -> x.identifyTimeout(Duration.ofMillis(300)));
    Host b = silentIdentify(hosts.start(Stack.TCP_NOISE));
    join(a.dial(b.listenAddresses().get(0)));
    CompletableFuture<IdentifyInfo> waiting = a.identified(b.peerId());
    assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
    // The stuck identify stream was reset on both sides.
    await().atMost(WAIT).until(() -> held.size() == 1 && !held.get(0).isOpen());
  }

  @Test
  void failsWhenTheHostCloses() {
    Host a = hosts.start(Stack.MEMORY_NOISE);
    Host b = silentIdentify(hosts.start(Stack.MEMORY_NOISE));
    join(a.dial(b.listenAddresses().get(0)));
    CompletableFuture<IdentifyInfo> waiting = a.identified(b.peerId());
    join(a.closeAsync());
    assertThatThrownBy(() -> join(waiting)).isInstanceOf(ConnectionClosedException.class);
  }

  /** Makes {@code host} accept identify streams and never answer them. */
  private Host silentIdentify(Host host) {
    host.setStreamHandler(Identify.PROTOCOL_ID, held::add);
    return host;
  }
}
