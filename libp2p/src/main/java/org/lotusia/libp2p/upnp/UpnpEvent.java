package org.lotusia.libp2p.upnp;

import java.util.Objects;

/**
 * Something {@link UpnpNat} did or found.
 *
 * @param type what happened
 * @param mapping the mapping concerned, {@code null} for gateway-wide events
 * @param detail what happened, for logs
 */
public record UpnpEvent(Type type, PortMapping mapping, String detail) {

  /** The kinds of event. */
  public enum Type {
    /** A mapping was made and its external address given to the address manager. */
    MAPPING_ACTIVE,
    /** A mapping's lease was renewed. */
    MAPPING_RENEWED,
    /** Making or renewing a mapping failed; its address was withdrawn. */
    MAPPING_FAILED,
    /** A mapping was deleted from the gateway (on close). */
    MAPPING_REMOVED,
    /**
     * The gateway's external address is itself private (another NAT, e.g. carrier-grade NAT,
     * upstream): no mapping is made, as it would not be reachable from the internet.
     */
    DOUBLE_NAT,
    /** No usable gateway answered the discovery, or none of those that did worked. */
    NO_GATEWAY
  }

  /** Validates the parts. */
  public UpnpEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(detail, "detail");
  }
}
