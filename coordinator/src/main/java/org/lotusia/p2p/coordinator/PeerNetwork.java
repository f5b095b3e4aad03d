package org.lotusia.p2p.coordinator;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.PeerStoreView;

/**
 * Peers and addresses of a running {@link P2PCoordinator}. Methods that need the network throw
 * {@link IllegalStateException} ("node is not started") before the coordinator started; queries
 * answer "nothing" instead.
 *
 * <p>Every call that takes a peer takes its base58 string (as lotus-sdk does, and as the protocol and
 * security modules, which do not depend on libp2p, speak) and, as an overload, a libp2p {@link
 * PeerId}; the overload is the same call with {@link PeerId#toBase58()}.
 */
public interface PeerNetwork {

  /**
   * Connects to a peer.
   *
   * @param multiaddr an address ending in {@code /p2p/<peer ID>} (or without, to accept whoever
   *     answers)
   * @return the connected peer
   * @throws IllegalArgumentException when the address is invalid
   */
  CompletableFuture<PeerInfo> connectToPeer(String multiaddr);

  /**
   * Closes every connection to a peer. The peer is not redialled as a lost peer (see {@link
   * BootstrapConfig}); a bootstrap peer is, as in lotus-sdk.
   *
   * @param peerId the peer
   * @return completes when they are closed
   */
  CompletableFuture<Void> disconnectFromPeer(String peerId);

  /**
   * Closes every connection to a peer: {@link #disconnectFromPeer(String)} with the peer's base58
   * form.
   *
   * @param peer the peer
   * @return completes when they are closed
   */
  default CompletableFuture<Void> disconnectFromPeer(PeerId peer) {
    return disconnectFromPeer(Objects.requireNonNull(peer, "peer").toBase58());
  }

  /**
   * The connected peers.
   *
   * @return their information; empty when not started
   */
  List<PeerInfo> getConnectedPeers();

  /**
   * A connected or recently known peer.
   *
   * @param peerId the peer
   * @return its information, or empty when unknown or not started
   */
  Optional<PeerInfo> getPeer(String peerId);

  /**
   * A connected or recently known peer: {@link #getPeer(String)} with the peer's base58 form.
   *
   * @param peer the peer
   * @return its information, or empty when unknown or not started
   */
  default Optional<PeerInfo> getPeer(PeerId peer) {
    return getPeer(Objects.requireNonNull(peer, "peer").toBase58());
  }

  /**
   * Whether a connection to a peer is open.
   *
   * @param peerId the peer
   * @return false also when not started
   */
  boolean isConnected(String peerId);

  /**
   * Whether a connection to a peer is open: {@link #isConnected(String)} with the peer's base58 form.
   *
   * @param peer the peer
   * @return false also when not started
   */
  default boolean isConnected(PeerId peer) {
    return isConnected(Objects.requireNonNull(peer, "peer").toBase58());
  }

  /**
   * What the host knows about peers (addresses, protocols, keys), read-only.
   *
   * @return the peer store view
   */
  PeerStoreView peerStore();

  /**
   * Addresses other peers can use to reach this node: relay addresses when it has any, else its
   * public listen addresses, else all listen addresses.
   *
   * @return multiaddrs ending in {@code /p2p/<peer ID>}
   */
  List<String> getReachableAddresses();

  /**
   * This node's {@code /p2p-circuit} addresses.
   *
   * @return the relay addresses
   */
  List<String> getRelayAddresses();

  /**
   * Whether this node has relay addresses.
   *
   * @return true when it has one
   */
  boolean hasRelayAddresses();
}
