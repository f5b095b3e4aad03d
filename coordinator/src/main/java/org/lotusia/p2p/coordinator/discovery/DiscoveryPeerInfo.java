package org.lotusia.p2p.coordinator.discovery;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.lotusia.chain.crypto.EcPoint;

/**
 * The {@code peerInfo} of an advertisement (lotus-sdk's {@code PeerInfo} as it travels in an
 * advertisement): who advertises and where to reach it.
 *
 * <p>{@code peerId} and {@code multiaddrs} are covered by the advertisement signature; {@code
 * publicKey} is the key that signs advertisements of protocols other than {@code musig2} and
 * {@code musig2-request}. Other members lotus-sdk may write ({@code metadata}, {@code lastSeen})
 * are kept in {@code extra}, in their order, and written back unchanged.
 *
 * @param peerId the advertising peer's libp2p peer ID text
 * @param multiaddrs where to reach it, at least one
 * @param publicKey the secp256k1 key that signed the advertisement, when given here
 * @param extra the other members (a copy is taken and returned)
 */
public record DiscoveryPeerInfo(
    String peerId, List<String> multiaddrs, Optional<EcPoint> publicKey, ObjectNode extra) {

  /** The member names with a meaning of their own; {@code extra} may not use them. */
  static final List<String> RESERVED = List.of("peerId", "multiaddrs", "publicKey");

  /**
   * Checks the values and copies the list and the tree.
   *
   * @throws IllegalArgumentException when {@code peerId} is empty, {@code multiaddrs} is empty or
   *     {@code extra} uses a reserved member name
   */
  public DiscoveryPeerInfo {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(publicKey, "publicKey");
    if (peerId.isEmpty()) {
      throw new IllegalArgumentException("peerInfo.peerId must not be empty");
    }
    multiaddrs = List.copyOf(multiaddrs);
    if (multiaddrs.isEmpty()) {
      throw new IllegalArgumentException("peerInfo.multiaddrs must hold at least one address");
    }
    extra = extra == null ? JsonNodeFactory.instance.objectNode() : extra.deepCopy();
    for (String name : RESERVED) {
      if (extra.has(name)) {
        throw new IllegalArgumentException(
            "peerInfo extra members must not use the name '" + name + "'");
      }
    }
  }

  /**
   * A peer info with no public key and no other members.
   *
   * @param peerId the peer ID
   * @param multiaddrs the addresses
   * @return the info
   */
  public static DiscoveryPeerInfo of(String peerId, List<String> multiaddrs) {
    return new DiscoveryPeerInfo(peerId, multiaddrs, Optional.empty(), null);
  }

  /**
   * The same info with another public key.
   *
   * @param key the key, or {@code null} for none
   * @return the new info
   */
  public DiscoveryPeerInfo withPublicKey(EcPoint key) {
    return new DiscoveryPeerInfo(peerId, multiaddrs, Optional.ofNullable(key), extra);
  }

  /**
   * A copy of the other members.
   *
   * @return the members other than {@code peerId}, {@code multiaddrs} and {@code publicKey}
   */
  @Override
  public ObjectNode extra() {
    return extra.deepCopy();
  }

  /** Read access without a copy, for the codec. */
  ObjectNode extraView() {
    return extra;
  }
}
