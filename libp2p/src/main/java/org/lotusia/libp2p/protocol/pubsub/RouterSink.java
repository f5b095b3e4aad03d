package org.lotusia.libp2p.protocol.pubsub;

import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;

/** Where the I/O-free {@link GossipRouter} puts its output. Called on the router's thread. */
interface RouterSink {

  /** Queues {@code rpc} for {@code peer}; must not block. */
  void send(PeerId peer, RPC rpc);

  /** Hands a validated message of a subscribed topic to the application. */
  void deliver(PubsubMessage message);

  /**
   * Asks for a connection to a peer learnt through PX.
   *
   * @param peer the peer
   * @param signedRecord its signed peer record as received (not yet verified), or null
   */
  default void connect(PeerId peer, byte[] signedRecord) {}

  /** {@code peer} joined {@code topic}. */
  default void peerSubscribed(PeerId peer, String topic) {}

  /** {@code peer} left {@code topic}, or went away while subscribed to it. */
  default void peerUnsubscribed(PeerId peer, String topic) {}
}
