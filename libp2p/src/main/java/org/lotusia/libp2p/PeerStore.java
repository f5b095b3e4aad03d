package org.lotusia.libp2p;

import java.time.Duration;
import java.util.Collection;
import org.lotusia.libp2p.crypto.IdentityPublicKey;

/**
 * What a host knows about other peers: addresses with an expiry, supported protocols, public keys
 * and agent versions. Bounded: at most a configured number of peers (the least recently updated one
 * is forgotten first), addresses and protocols per peer.
 *
 * <p>The queries are those of {@link PeerStoreView}; this interface adds the updates.
 *
 * <p>Thread-safe. Expiry uses the host's {@link java.time.Clock}.
 */
public interface PeerStore extends PeerStoreView {

  /**
   * Adds or refreshes addresses of {@code peer}, valid for {@code ttl}; {@code /p2p} suffixes are
   * removed.
   */
  void addAddresses(PeerId peer, Collection<Multiaddr> addresses, Duration ttl);

  /** Replaces the protocols of {@code peer}. */
  void setProtocols(PeerId peer, Collection<String> protocols);

  /**
   * Stores the key of {@code peer}.
   *
   * @throws IllegalArgumentException when the key does not match the peer ID
   */
  void putPublicKey(PeerId peer, IdentityPublicKey key);

  /** Stores the agent version {@code peer} announced. */
  void setAgentVersion(PeerId peer, String agentVersion);

  /** Forgets {@code peer}. */
  void remove(PeerId peer);
}
