package org.lotusia.p2p.coordinator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the coordinator knows about one peer (lotus-sdk's {@code PeerInfo}, extended).
 *
 * @param peerId the peer ID (base58, e.g. {@code 12D3KooW...})
 * @param multiaddrs the addresses of its open connections when connected, else the addresses last
 *     known for it (without {@code /p2p})
 * @param protocols the protocols it announced through identify, empty before identify completed
 * @param agentVersion its agent version from identify, if known
 * @param connected whether a connection to it is open now
 * @param lastSeen when it was last connected or heard from
 */
public record PeerInfo(
    String peerId,
    List<String> multiaddrs,
    List<String> protocols,
    Optional<String> agentVersion,
    boolean connected,
    Instant lastSeen) {

  /** Copies the lists and checks for nulls. */
  public PeerInfo {
    Objects.requireNonNull(peerId, "peerId");
    multiaddrs = List.copyOf(multiaddrs);
    protocols = List.copyOf(protocols);
    Objects.requireNonNull(agentVersion, "agentVersion");
    Objects.requireNonNull(lastSeen, "lastSeen");
  }

  /**
   * A peer known only by its ID (lotus-sdk's {@code {peerId, lastSeen}}).
   *
   * @param peerId the peer ID
   * @param connected whether it is connected
   * @param lastSeen when it was seen
   * @return the info
   */
  public static PeerInfo of(String peerId, boolean connected, Instant lastSeen) {
    return new PeerInfo(peerId, List.of(), List.of(), Optional.empty(), connected, lastSeen);
  }
}
