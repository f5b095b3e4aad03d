package org.lotusia.libp2p.internal.host;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.lotusia.libp2p.ConnectionGater;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.ResourceLimits;
import org.lotusia.libp2p.SecureChannel;
import org.lotusia.libp2p.StreamMuxer;
import org.lotusia.libp2p.Transport;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;

/**
 * The validated settings of a host, made by {@link org.lotusia.libp2p.HostBuilder}.
 *
 * @param callbackExecutor the executor for callbacks, or {@code null} for a host-owned pool
 * @param connectionGater the gater, or {@code null} to allow every connection
 * @param announce addresses advertised instead of the listen addresses (empty: the listen ones)
 * @param noAnnounce addresses never advertised
 * @param resourceLimits the resource manager's limits
 */
public record HostConfig(
    IdentityPrivateKey identity,
    List<Multiaddr> listenAddresses,
    List<Transport> transports,
    List<SecureChannel> security,
    StreamMuxer muxer,
    int maxConnections,
    int highWater,
    int lowWater,
    Duration dialTimeout,
    Duration handshakeTimeout,
    Duration streamNegotiationTimeout,
    Executor callbackExecutor,
    int callbackThreads,
    Clock clock,
    String agentVersion,
    int eventLoopThreads,
    int maxStreamBuffer,
    int maxIdentifyMessage,
    int maxPeers,
    Duration addressTtl,
    Duration identifyTimeout,
    ConnectionGater connectionGater,
    List<Multiaddr> announce,
    List<Multiaddr> noAnnounce,
    ResourceLimits resourceLimits) {

  /** Copies the lists. */
  public HostConfig {
    listenAddresses = List.copyOf(listenAddresses);
    transports = List.copyOf(transports);
    security = List.copyOf(security);
    announce = List.copyOf(announce);
    noAnnounce = List.copyOf(noAnnounce);
  }
}
