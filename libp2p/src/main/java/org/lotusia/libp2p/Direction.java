package org.lotusia.libp2p;

/** Which side opened a connection or a stream. */
public enum Direction {
  /** Opened by the remote peer. */
  INBOUND,
  /** Opened by this host. */
  OUTBOUND
}
