package org.lotusia.p2p.coordinator.discovery;

import java.security.SecureRandom;
import java.util.List;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;

/** Advertisements for tests: a peer identity with a signing key, and signed advertisements. */
final class TestAds {

  static final long T0 = 1_700_000_000_000L;
  static final long TTL = 30 * 60_000L;
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestAds() {}

  /** A libp2p peer ID with a secp256k1 advertisement signing key. */
  record Identity(String peerId, PrivateKey key) {}

  static Identity identity() {
    return new Identity(
        PeerId.fromPublicKey(Keys.generateEd25519().publicKey()).toBase58(),
        PrivateKey.random(RANDOM));
  }

  static DiscoveryAdvertisement.Builder draft(Identity who, String id, long createdAt, long ttl) {
    return DiscoveryAdvertisement.builder()
        .id(id)
        .protocol("test-proto")
        .peerInfo(
            DiscoveryPeerInfo.of(who.peerId(), List.of("/ip4/127.0.0.1/tcp/4001/p2p/" + who.peerId()))
                .withPublicKey(who.key().publicKey()))
        .capabilities(List.of("signing", "relay"))
        .createdAt(createdAt)
        .expiresAt(createdAt + ttl)
        .reputation(50);
  }

  /** A signed advertisement with exactly the given times (one signature in 256 starts with 0x30). */
  static DiscoveryAdvertisement ad(Identity who, String id, long createdAt) {
    return exact(draft(who, id, createdAt, TTL), who.key());
  }

  /** Signs once, keeping the times exactly as drafted. */
  static DiscoveryAdvertisement exact(DiscoveryAdvertisement.Builder draft, PrivateKey key) {
    return draft.signature(AdvertisementSigner.signOnce(draft, key)).build();
  }
}
