package org.lotusia.p2p.coordinator;

import java.util.Objects;
import java.util.Optional;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.protocol.kad.KadDht;
import org.lotusia.libp2p.protocol.pubsub.GossipSub;

/**
 * The libp2p objects under a running {@link P2PCoordinator}, for monitoring: connections and their
 * streams ({@link Host#connections()}), the DHT's routing table and counters ({@link
 * KadDht#stats()}, {@link KadDht#addListener}), GossipSub's meshes and counters ({@link
 * GossipSub#stats()}, {@link GossipSub#meshPeers}).
 *
 * <p>Ownership: the coordinator owns them and closes them at {@code stop()}; they belong to one run
 * and are not reused by a later {@code start()}. Read them, and add protocols of your own to the
 * host if you need to; do not close them, replace the coordinator's handlers or change their
 * configuration, which would break the coordinator.
 *
 * @param host the libp2p host
 * @param dht the Kad-DHT, when enabled
 * @param gossip GossipSub, when enabled
 */
public record NetworkComponents(Host host, Optional<KadDht> dht, Optional<GossipSub> gossip) {

  /** Checks for nulls. */
  public NetworkComponents {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dht, "dht");
    Objects.requireNonNull(gossip, "gossip");
  }
}
