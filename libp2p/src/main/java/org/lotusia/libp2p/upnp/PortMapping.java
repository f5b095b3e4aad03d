package org.lotusia.libp2p.upnp;

import java.time.Instant;
import java.util.Objects;
import org.lotusia.libp2p.Multiaddr;

/**
 * One TCP port mapping held on the gateway.
 *
 * @param internal the host's listen address the gateway forwards to ({@code /ip4/<lan>/tcp/<port>})
 * @param external the gateway's side ({@code /ip4/<external>/tcp/<port>}), given to the address
 *     manager as an {@link org.lotusia.libp2p.AddressManager.Source#IP_MAPPING}
 * @param leaseSeconds the lease granted, 0 for a permanent mapping
 * @param renewAt when the mapping is renewed next, {@code null} for a permanent mapping
 */
public record PortMapping(Multiaddr internal, Multiaddr external, long leaseSeconds, Instant renewAt) {

  /** Validates the parts. */
  public PortMapping {
    Objects.requireNonNull(internal, "internal");
    Objects.requireNonNull(external, "external");
    if (leaseSeconds < 0) {
      throw new IllegalArgumentException("leaseSeconds must be 0 or more, got " + leaseSeconds);
    }
  }
}
