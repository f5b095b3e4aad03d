package org.lotusia.libp2p;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.lotusia.libp2p.crypto.PublicKey;

/**
 * What a host knows about other peers: addresses with an expiry, supported protocols, public keys and
 * agent versions. Bounded: at most a configured number of peers (the least recently updated one is
 * forgotten first), addresses and protocols per peer.
 *
 * <p>Thread-safe. Expiry uses the host's {@link java.time.Clock}.
 */
public interface PeerStore {

  /** Adds or refreshes addresses of {@code peer}, valid for {@code ttl}; {@code /p2p} suffixes are removed. */
  void addAddresses(PeerId peer, Collection<Multiaddr> addresses, Duration ttl);

  /** The unexpired addresses of {@code peer}, most recently added first. */
  List<Multiaddr> addresses(PeerId peer);

  /** Replaces the protocols of {@code peer}. */
  void setProtocols(PeerId peer, Collection<String> protocols);

  /** The protocols {@code peer} announced, empty when unknown. */
  List<String> protocols(PeerId peer);

  /**
   * Stores the key of {@code peer}.
   *
   * @throws IllegalArgumentException when the key does not match the peer ID
   */
  void putPublicKey(PeerId peer, PublicKey key);

  /** The key of {@code peer}: stored, or inlined in the peer ID. */
  Optional<PublicKey> publicKey(PeerId peer);

  /** Stores the agent version {@code peer} announced. */
  void setAgentVersion(PeerId peer, String agentVersion);

  /** The agent version {@code peer} announced. */
  Optional<String> agentVersion(PeerId peer);

  /** The peers with any stored data. */
  Set<PeerId> peers();

  /** Forgets {@code peer}. */
  void remove(PeerId peer);
}
