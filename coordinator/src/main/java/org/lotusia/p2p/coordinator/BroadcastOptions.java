package org.lotusia.p2p.coordinator;

import java.util.Objects;
import java.util.Set;

/**
 * Options of {@link P2PCoordinator#broadcast(org.lotusia.p2p.protocol.P2PMessage,
 * BroadcastOptions)} (lotus-sdk's {@code BroadcastOptions}).
 *
 * @param exclude peer IDs that must not receive the message
 * @param includedOnly when not empty, only these connected peers receive it
 * @param protocolId the libp2p protocol the message is sent on; default {@code
 *     /lotus/message/1.0.0}
 */
public record BroadcastOptions(Set<String> exclude, Set<String> includedOnly, String protocolId) {

  /** The defaults: every connected peer, on {@code /lotus/message/1.0.0}. */
  public static final BroadcastOptions DEFAULT =
      new BroadcastOptions(Set.of(), Set.of(), ProtocolIds.MESSAGE);

  /** Copies the sets and checks the protocol ID. */
  public BroadcastOptions {
    exclude = Set.copyOf(exclude);
    includedOnly = Set.copyOf(includedOnly);
    Objects.requireNonNull(protocolId, "protocolId");
    ProtocolIds.check(protocolId);
  }

  /**
   * Broadcast to every connected peer except these.
   *
   * @param peerIds the excluded peers
   * @return the options
   */
  public static BroadcastOptions excluding(String... peerIds) {
    return new BroadcastOptions(Set.of(peerIds), Set.of(), ProtocolIds.MESSAGE);
  }

  /**
   * Broadcast only to these peers (those of them that are connected).
   *
   * @param peerIds the peers
   * @return the options
   */
  public static BroadcastOptions only(String... peerIds) {
    return new BroadcastOptions(Set.of(), Set.of(peerIds), ProtocolIds.MESSAGE);
  }
}
