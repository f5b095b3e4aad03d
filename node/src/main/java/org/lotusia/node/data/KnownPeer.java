package org.lotusia.node.data;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A peer kept in the data directory: its dialable addresses (without {@code /p2p}) and when it was
 * last connected.
 *
 * @param peerId the base58 peer ID
 * @param addresses its addresses, most useful first
 * @param lastSeen when it was last connected
 */
public record KnownPeer(String peerId, List<String> addresses, Instant lastSeen) {
  /** Checks for nulls and copies the list. */
  public KnownPeer {
    Objects.requireNonNull(peerId, "peerId");
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(lastSeen, "lastSeen");
  }
}
