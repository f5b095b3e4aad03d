package org.lotusia.libp2p.protocol.relay;

/**
 * Whether this node can be dialled from the public internet, as AutoNAT (or the application) sees
 * it. {@link AutoRelay} reserves relay slots unless the node is {@link #PUBLIC}.
 */
public enum Reachability {
  /** Not known yet: AutoRelay reserves, as a node behind NAT needs it and a public one loses little. */
  UNKNOWN,
  /** Dialable directly: AutoRelay holds no reservations. */
  PUBLIC,
  /** Behind NAT or a firewall: AutoRelay keeps its target number of reservations. */
  PRIVATE
}
