package org.lotusia.libp2p.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;

class PeerStoreImplTest {

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };

  private static PeerId peer() {
    return PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
  }

  @Test
  void addressesExpireAfterTheirTtl() {
    PeerStoreImpl store = new PeerStoreImpl(clock, 10, 10, 10);
    PeerId p = peer();
    Multiaddr a = Multiaddr.parse("/ip4/1.2.3.4/tcp/1");
    Multiaddr b = Multiaddr.parse("/ip4/1.2.3.4/tcp/2");
    store.addAddresses(p, List.of(a), Duration.ofMinutes(1));
    store.addAddresses(p, List.of(b.withPeerId(p)), Duration.ofMinutes(10));
    assertThat(store.addresses(p)).containsExactly(b, a);
    now.set(now.get().plus(Duration.ofMinutes(2)));
    assertThat(store.addresses(p)).containsExactly(b);
    now.set(now.get().plus(Duration.ofMinutes(10)));
    assertThat(store.addresses(p)).isEmpty();
  }

  @Test
  void limitsBoundPeersAddressesAndProtocols() {
    PeerStoreImpl store = new PeerStoreImpl(clock, 2, 3, 2);
    PeerId first = peer();
    store.setAgentVersion(first, "a");
    store.setAgentVersion(peer(), "b");
    store.setAgentVersion(peer(), "c");
    assertThat(store.size()).isEqualTo(2);
    assertThat(store.peers()).doesNotContain(first);

    PeerId p = peer();
    for (int i = 1; i <= 5; i++) {
      store.addAddresses(p, List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/" + i)), Duration.ofHours(1));
    }
    assertThat(store.addresses(p))
        .hasSize(3)
        .first()
        .isEqualTo(Multiaddr.parse("/ip4/1.2.3.4/tcp/5"));
    store.setProtocols(p, List.of("/a", "/b", "/c"));
    assertThat(store.protocols(p)).containsExactly("/a", "/b");
  }

  @Test
  void keysMustMatchThePeer() {
    PeerStoreImpl store = new PeerStoreImpl(clock, 10, 10, 10);
    IdentityPrivateKey key = Keys.generateEd25519();
    PeerId p = PeerId.fromPublicKey(key.publicKey());
    assertThat(store.publicKey(p)).contains(key.publicKey()); // inlined in the Ed25519 peer ID
    assertThatThrownBy(() -> store.putPublicKey(p, Keys.generateEd25519().publicKey()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match");
    assertThatThrownBy(() -> new PeerStoreImpl(clock, 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
