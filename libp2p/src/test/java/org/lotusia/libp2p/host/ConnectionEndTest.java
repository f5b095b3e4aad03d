package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.host.Hosts.Stack;

/** How a connection ended, as each side sees it, and dialling a peer by its ID alone. */
class ConnectionEndTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Hosts hosts = new Hosts();

  @AfterEach
  void stop() {
    hosts.close();
  }

  @ParameterizedTest
  @EnumSource(Stack.class)
  void theSideThatDidNotCloseSeesTheRemoteEndedItOnPurpose(Stack stack) {
    Host a = hosts.start(stack);
    Host b = hosts.start(stack);
    Connection ab = join(a.dial(b.listenAddresses().get(0)));
    await().atMost(WAIT).until(() -> !b.connections(a.peerId()).isEmpty());
    Connection ba = b.connections(a.peerId()).get(0);
    quiet(a, b);
    assertThat(ab.closedByRemote()).isFalse();
    assertThat(ba.closedByRemote()).isFalse();

    join(ab.close());
    join(ba.closeFuture());

    assertThat(ba.closedByRemote()).as("the remote closed it").isTrue();
    assertThat(ab.closedByRemote()).as("this side closed it").isFalse();
  }

  @Test
  void aStoppingHostEndsItsConnectionsOnPurpose() {
    Host a = hosts.start(Stack.TCP_NOISE);
    Host b = hosts.start(Stack.TCP_NOISE);
    Connection ab = join(a.dial(b.listenAddresses().get(0)));
    quiet(a, b);
    join(b.closeAsync());
    join(ab.closeFuture());
    assertThat(ab.closedByRemote()).isTrue();
  }

  @Test
  void aStreamUsedAfterItsHostStoppedStillCompletesItsFutures() {
    Host a = hosts.start(Stack.TCP_NOISE);
    Host b = hosts.start(Stack.TCP_NOISE);
    b.setStreamHandler("/test/echo/1.0.0", EchoStreams::serve);
    Connection ab = join(a.dial(b.listenAddresses().get(0)));
    Stream s = join(ab.newStream(List.of("/test/echo/1.0.0")));
    join(a.closeAsync()); // its event loops are gone
    // neither a write nor the close can run on the terminated loop; their futures end all the same
    assertThat(s.write(new byte[] {1, 2, 3})).failsWithin(WAIT);
    assertThat(s.close()).succeedsWithin(WAIT);
  }

  /**
   * Waits until identify is done both ways, so that nothing is in flight when one side closes: a
   * TCP socket closed with unread data resets the connection, and the remote may then lose the
   * GoAway that came before (see {@link Connection#closedByRemote()}).
   */
  private static void quiet(Host a, Host b) {
    join(a.identified(b.peerId()));
    join(b.identified(a.peerId()));
  }

  @Test
  void aPeerIsDialledByItsIdThroughThePeerStore() {
    Host a = hosts.start(Stack.TCP_NOISE);
    Host b = hosts.start(Stack.TCP_NOISE);
    Connection first = join(a.dial(b.listenAddresses().get(0)));
    join(a.identified(b.peerId()));
    assertThat(join(a.dial(b.peerId()))).as("an existing connection is reused").isSameAs(first);

    join(first.close());
    await().atMost(WAIT).until(() -> !a.isConnected(b.peerId()));
    Connection again = join(a.dial(b.peerId()));
    assertThat(again).isNotSameAs(first);
    assertThat(again.remotePeer()).isEqualTo(b.peerId());
  }

  @Test
  void aPeerWithoutAddressesIsRefusedNamingIt() {
    Host a = hosts.start(Stack.TCP_NOISE);
    PeerId nobody = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    assertThatThrownBy(() -> join(a.dial(nobody)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no connection to and no address for peer " + nobody);
  }
}
