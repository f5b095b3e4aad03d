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
import org.lotusia.libp2p.protocol.ping.Ping;

/** Protection and tags steer the connection trimmer. */
class PeerProtectionTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Hosts hosts = new Hosts();

  @AfterEach
  void stop() {
    hosts.close();
  }

  @ParameterizedTest
  @EnumSource(
      value = Stack.class,
      names = {"MEMORY_NOISE", "TCP_NOISE"})
  void trimmingKeepsProtectedAndHighValuePeers(Stack stack) {
    Host hub = hosts.start(stack, x -> x.connectionLimits(20, 5, 3));
    Host[] peers = new Host[6];
    for (int i = 0; i < peers.length; i++) {
      peers[i] = hosts.start(stack);
    }
    // The two oldest connections: one protected, one tagged; a third peer is protected but later
    // unprotected, so it counts as an ordinary peer again.
    hub.protect(peers[0].peerId(), "bootstrap");
    hub.tagPeer(peers[1].peerId(), "session", 100);
    hub.tagPeer(peers[1].peerId(), "reputation", -20);
    hub.protect(peers[2].peerId(), "temporary");
    assertThat(hub.unprotect(peers[2].peerId(), "temporary")).isFalse();
    hub.tagPeer(peers[3].peerId(), "misbehaved", -5);
    Stream busy = null;
    for (int i = 0; i < 5; i++) {
      Connection c = join(peers[i].dial(hub.listenAddresses().get(0)));
      if (i == 4) {
        // The busy peer has the same value (0) as peer 2 but a stream in use: it goes after.
        busy = join(c.newStream(List.of(Ping.PROTOCOL_ID)));
      }
    }
    await().atMost(WAIT).until(() -> hub.connections().size() == 5);
    // The sixth connection passes the high-water mark: 3 of 6 must go.
    join(peers[5].dial(hub.listenAddresses().get(0)));
    await().atMost(WAIT).until(() -> hub.connections().size() == 3);
    assertThat(hub.stats().trimmedConnections()).isEqualTo(3);
    // Closed: peer 3 (value -5), then among value 0 the idle ones oldest first (peer 2, then the
    // newest, peer 5 if idle, else the busy peer 4). Kept: protected peer 0 and peer 1 (value 80).
    assertThat(hub.isConnected(peers[0].peerId())).isTrue();
    assertThat(hub.isConnected(peers[1].peerId())).isTrue();
    assertThat(hub.isConnected(peers[3].peerId())).isFalse();
    assertThat(hub.isConnected(peers[2].peerId())).isFalse();
    assertThat(busy.isOpen() || hub.isConnected(peers[5].peerId()))
        .as("one of the last two value-0 connections stays")
        .isTrue();
  }

  @Test
  void everyConnectionProtectedMeansNoneIsTrimmed() {
    Host hub = hosts.start(Stack.MEMORY_NOISE, x -> x.connectionLimits(10, 2, 1));
    for (int i = 0; i < 4; i++) {
      Host p = hosts.start(Stack.MEMORY_NOISE);
      hub.protect(p.peerId(), "keep");
      join(p.dial(hub.listenAddresses().get(0)));
    }
    await().atMost(WAIT).until(() -> hub.connections().size() == 4);
    Host unprotected = hosts.start(Stack.MEMORY_NOISE);
    join(unprotected.dial(hub.listenAddresses().get(0)));
    // The only unprotected connection is the one trimmed.
    await().atMost(WAIT).until(() -> !hub.isConnected(unprotected.peerId()));
    assertThat(hub.connections()).hasSize(4);
  }

  @Test
  void tagsAndProtectionsAreValidatedAndCounted() {
    Host h = hosts.start(Stack.MEMORY_NOISE);
    PeerId p = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    h.protect(p, "a");
    h.protect(p, "a");
    h.protect(p, "b");
    assertThat(h.unprotect(p, "a")).isTrue();
    assertThat(h.unprotect(p, "missing")).isTrue();
    assertThat(h.unprotect(p, "b")).isFalse();
    assertThat(h.unprotect(p, "b")).isFalse();
    h.tagPeer(p, "x", 5);
    h.tagPeer(p, "x", 7);
    h.untagPeer(p, "x");
    h.untagPeer(p, "never");
    assertThatThrownBy(() -> h.protect(p, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> h.tagPeer(p, "", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.protect(null, "a")).isInstanceOf(NullPointerException.class);
  }
}
