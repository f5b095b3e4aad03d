package org.lotusia.libp2p.protocol.kad;

import java.util.List;
import java.util.Objects;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;

/**
 * A peer as the DHT reports it: its ID and the addresses learned for it.
 *
 * @param id the peer
 * @param addresses its addresses (without {@code /p2p}), possibly empty
 */
public record KadPeer(PeerId id, List<Multiaddr> addresses) {

  /** Validates and copies. */
  public KadPeer {
    Objects.requireNonNull(id, "id");
    addresses = List.copyOf(addresses);
  }
}
