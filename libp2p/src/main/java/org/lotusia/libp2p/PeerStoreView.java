package org.lotusia.libp2p;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.lotusia.libp2p.crypto.IdentityPublicKey;

/**
 * The read-only queries of a {@link PeerStore}: what a host knows about other peers. Hand this view
 * to code that may look peers up but must not change what the host learnt from identify.
 *
 * <p>Thread-safe. Every result is a snapshot: later changes to the store do not show in a list or
 * set already returned.
 */
public interface PeerStoreView {

  /** The unexpired addresses of {@code peer} (without {@code /p2p}), most recently added first. */
  List<Multiaddr> addresses(PeerId peer);

  /** The protocols {@code peer} announced, empty when unknown. */
  List<String> protocols(PeerId peer);

  /** The key of {@code peer}: stored, or inlined in the peer ID; empty when neither. */
  Optional<IdentityPublicKey> publicKey(PeerId peer);

  /** The agent version {@code peer} announced, empty when unknown. */
  Optional<String> agentVersion(PeerId peer);

  /** The peers with any stored data. */
  Set<PeerId> peers();
}
