package org.lotusia.libp2p.protocol.relay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.lotusia.libp2p.ConnectionLimits;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;

/**
 * A reservation this host holds on a relay (the answer to a hop {@code RESERVE}).
 *
 * @param relay the relay's peer ID
 * @param expiration when the relay drops the reservation unless it is renewed
 * @param relayAddresses the relay's addresses, each ending in {@code /p2p/<relay>}; the circuit
 *     addresses of this host are built from them
 * @param limit the limits the relay applies to each relayed connection, if any
 * @param voucher the relay's signed voucher, when it sent one
 */
public record Reservation(
    PeerId relay,
    Instant expiration,
    List<Multiaddr> relayAddresses,
    Optional<ConnectionLimits> limit,
    Optional<ReservationVoucher> voucher) {

  /** Copies the list. */
  public Reservation {
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(expiration, "expiration");
    relayAddresses = List.copyOf(relayAddresses);
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(voucher, "voucher");
  }

  /**
   * The addresses at which other peers reach {@code self} through this relay: each relay address
   * followed by {@code /p2p-circuit/p2p/<self>}.
   */
  public List<Multiaddr> circuitAddresses(PeerId self) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : relayAddresses) {
      Multiaddr circuit =
          a.withPeerId(relay)
              .encapsulate(Multiaddr.Component.of(MultiaddrProtocol.P2P_CIRCUIT))
              .withPeerId(self);
      if (!out.contains(circuit)) {
        out.add(circuit);
      }
    }
    return out;
  }
}
