package org.lotusia.libp2p.internal.host;

import java.net.SocketAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.HostStats;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ResourceLimitException;
import org.lotusia.libp2p.ResourceLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's resource manager: applies {@link ResourceLimits} to inbound sockets ({@link
 * InboundAdmission}), connections per peer, streams per connection and streams per protocol, and
 * counts and logs (at debug) every refusal.
 *
 * <p>Per-connection stream counts live on the connection ({@link ConnectionImpl}); this class
 * decides and counts. Per-protocol counts live here, keyed by protocol IDs the host negotiated:
 * inbound ones are protocols this host serves and outbound ones protocols its own code proposed,
 * so the map is bounded by local code, not by the network.
 *
 * <p>Thread-safe: the admission and the protocol counts are guarded by their own locks; counters
 * are {@link LongAdder}s.
 */
final class ResourceManager {

  private static final Logger LOG = LoggerFactory.getLogger(ResourceManager.class);

  private final ResourceLimits limits;
  private final InboundAdmission admission;
  private final Map<String, int[]> protocolStreams = new HashMap<>();
  private final LongAdder inboundRate = new LongAdder();
  private final LongAdder pendingPerIp = new LongAdder();
  private final LongAdder pendingPerSubnet = new LongAdder();
  private final LongAdder pendingTotal = new LongAdder();
  private final LongAdder connectionsPerPeer = new LongAdder();
  private final LongAdder streamsPerConnection = new LongAdder();
  private final LongAdder streamsPerProtocol = new LongAdder();
  private final LongAdder listenerBacklog = new LongAdder();

  ResourceManager(ResourceLimits limits, Clock clock) {
    this.limits = limits;
    this.admission = new InboundAdmission(limits, clock);
  }

  ResourceLimits limits() {
    return limits;
  }

  /**
   * Admits an inbound socket from {@code remote} to its upgrade; null when a limit refused it (the
   * caller closes it). The permit must be released when the upgrade ends.
   */
  InboundAdmission.Permit admitInbound(SocketAddress remote) {
    InboundAdmission.Decision d = admission.admit(remote);
    if (d.permit() != null) {
      return d.permit();
    }
    switch (d.refusal()) {
      case RATE -> {
        inboundRate.increment();
        LOG.debug(
            "refused inbound connection from {}: more than {} connections per second (burst {})",
            remote,
            limits.inboundRatePerIp(),
            limits.inboundBurstPerIp());
      }
      case PENDING_PER_IP -> {
        pendingPerIp.increment();
        LOG.debug(
            "refused inbound connection from {}: {} connections of its address in their upgrade",
            remote,
            limits.maxPendingInboundPerIp());
      }
      case PENDING_PER_SUBNET -> {
        pendingPerSubnet.increment();
        LOG.debug(
            "refused inbound connection from {}: {} connections of its subnet in their upgrade",
            remote,
            limits.maxPendingInboundPerSubnet());
      }
      case PENDING_TOTAL -> {
        pendingTotal.increment();
        LOG.debug(
            "refused inbound connection from {}: {} connections in their upgrade",
            remote,
            limits.maxPendingInbound());
      }
    }
    return null;
  }

  /** Inbound connections in their upgrade now. */
  int pendingInbound() {
    return admission.pending();
  }

  /**
   * Checks a new connection with {@code peer}, which already has {@code open} registered ones;
   * null when admitted, else the refusal (counted and logged).
   */
  ResourceLimitException admitConnection(PeerId peer, int open) {
    if (open < limits.maxConnectionsPerPeer()) {
      return null;
    }
    connectionsPerPeer.increment();
    LOG.debug("refused a connection with {}: it has {} already", peer, open);
    return new ResourceLimitException(
        "peer "
            + peer
            + " already has "
            + open
            + " connections (maxConnectionsPerPeer "
            + limits.maxConnectionsPerPeer()
            + ")");
  }

  /** The per-connection stream limit of {@code direction}. */
  int streamsPerConnection(Direction direction) {
    return direction == Direction.INBOUND
        ? limits.maxInboundStreamsPerConnection()
        : limits.maxOutboundStreamsPerConnection();
  }

  /** Counts and logs a stream refused by its connection's limit; returns the refusal. */
  ResourceLimitException refusedByConnection(ConnectionImpl conn, Direction direction) {
    streamsPerConnection.increment();
    int max = streamsPerConnection(direction);
    LOG.debug("refused an {} stream on {}: {} open", direction, conn, max);
    return new ResourceLimitException(
        "connection to "
            + conn.remotePeer()
            + " has "
            + max
            + " "
            + direction.name().toLowerCase(java.util.Locale.ROOT)
            + " streams open (the per-connection limit)");
  }

  /**
   * Takes a slot of {@code protocol} in {@code direction}; null when taken (give it back with
   * {@link #releaseProtocolStream}), else the refusal (counted and logged).
   */
  ResourceLimitException acquireProtocolStream(String protocol, Direction direction) {
    ResourceLimits.StreamLimit limit = limits.streamLimit(protocol);
    int i = direction == Direction.INBOUND ? 0 : 1;
    int max = i == 0 ? limit.inbound() : limit.outbound();
    synchronized (protocolStreams) {
      int[] open = protocolStreams.computeIfAbsent(protocol, p -> new int[2]);
      if (open[i] < max) {
        open[i]++;
        return null;
      }
    }
    streamsPerProtocol.increment();
    LOG.debug("refused an {} stream of {}: {} open", direction, protocol, max);
    return new ResourceLimitException(
        max
            + " "
            + direction.name().toLowerCase(java.util.Locale.ROOT)
            + " streams of "
            + protocol
            + " are open (the per-protocol limit)");
  }

  /** Gives back a slot taken by {@link #acquireProtocolStream}. */
  void releaseProtocolStream(String protocol, Direction direction) {
    synchronized (protocolStreams) {
      int[] open = protocolStreams.get(protocol);
      if (open != null) {
        open[direction == Direction.INBOUND ? 0 : 1]--;
        if (open[0] == 0 && open[1] == 0) {
          protocolStreams.remove(protocol);
        }
      }
    }
  }

  /** Counts and logs inbound work ({@code what}) refused because a host listener is behind. */
  void refusedForBacklog(Object what) {
    listenerBacklog.increment();
    LOG.debug(
        "refused {}: a host listener has {} events waiting",
        what,
        limits.maxQueuedEventsPerListener());
  }

  /** The refusal counters now. */
  HostStats.Refusals refusals() {
    return new HostStats.Refusals(
        inboundRate.sum(),
        pendingPerIp.sum(),
        pendingPerSubnet.sum(),
        pendingTotal.sum(),
        connectionsPerPeer.sum(),
        streamsPerConnection.sum(),
        streamsPerProtocol.sum(),
        listenerBacklog.sum());
  }
}
