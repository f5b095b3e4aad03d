package org.lotusia.libp2p.protocol.pubsub;

/** The pubsub protocol a peer speaks, which decides the control messages it understands. */
enum PeerKind {
  FLOODSUB("/floodsub/1.0.0"),
  MESHSUB_10("/meshsub/1.0.0"),
  MESHSUB_11("/meshsub/1.1.0"),
  MESHSUB_12("/meshsub/1.2.0");

  final String protocolId;

  PeerKind(String protocolId) {
    this.protocolId = protocolId;
  }

  boolean gossip() {
    return this != FLOODSUB;
  }

  /** Whether PRUNE carries backoff and PX. */
  boolean v11() {
    return this == MESHSUB_11 || this == MESHSUB_12;
  }

  boolean idontwant() {
    return this == MESHSUB_12;
  }

  static PeerKind of(String protocol) {
    for (PeerKind k : values()) {
      if (k.protocolId.equals(protocol)) {
        return k;
      }
    }
    throw new IllegalArgumentException("not a pubsub protocol: " + protocol);
  }
}
