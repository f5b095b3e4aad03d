package org.lotusia.p2p.coordinator;

import java.util.List;
import org.lotusia.p2p.security.CoreSecurityMetrics;

/**
 * A snapshot of the coordinator (lotus-sdk's {@code P2PStats}, extended with the counters a node
 * operator needs).
 *
 * @param peerId this node, or {@code not-started}
 * @param state the connection state
 * @param peers peers known and connected
 * @param dht the DHT's condition
 * @param localResources resources in the local cache (own and discovered)
 * @param multiaddrs this node's listen addresses
 * @param relayAddresses this node's {@code /p2p-circuit} addresses
 * @param messages direct-message counters of this run
 * @param topics topic-message counters of this run
 * @param security the security manager's metrics
 * @param droppedEvents events dropped because a listener fell too far behind
 */
public record P2PStats(
    String peerId,
    ConnectionState state,
    Peers peers,
    DhtStats dht,
    int localResources,
    List<String> multiaddrs,
    List<String> relayAddresses,
    Messages messages,
    Topics topics,
    CoreSecurityMetrics security,
    long droppedEvents) {

  /** Copies the lists. */
  public P2PStats {
    multiaddrs = List.copyOf(multiaddrs);
    relayAddresses = List.copyOf(relayAddresses);
  }

  /**
   * Peer counts.
   *
   * @param total peers known (connected, discovered, or recently disconnected)
   * @param connected peers with an open connection
   */
  public record Peers(int total, int connected) {}

  /**
   * Direct-message counts.
   *
   * @param received accepted and delivered
   * @param sent handed to a connection
   * @param refusedBusy refused because the handler's queue was full
   * @param channels message channels open or opening to other peers ({@link
   *     ProtocolIds#MESSAGE_CHANNEL})
   */
  public record Messages(long received, long sent, long refusedBusy, int channels) {}

  /**
   * Topic-message counts.
   *
   * @param delivered delivered to handlers
   * @param refused refused by the security manager
   * @param dropped dropped because a handler fell too far behind
   */
  public record Topics(long delivered, long refused, long dropped) {}
}
