package org.lotusia.libp2p;

import java.util.Map;

/**
 * A snapshot of a host's numbers, for metrics: open connections, and per protocol open streams and
 * bytes; refusals by the callback executor and the connection gater; trimmed connections; the state
 * of the callback executor. Counters count since the host was built; the others are taken when
 * {@link Host#stats()} is called. Immutable.
 *
 * @param inboundConnections open connections a remote dialled
 * @param outboundConnections open connections this host dialled
 * @param protocols per negotiated protocol ID: open streams and bytes; at most {@value
 *     #MAX_PROTOCOLS} protocol IDs are counted on their own, the rest together under {@value
 *     #OTHER_PROTOCOLS}
 * @param refusedStreams inbound streams reset because the callback executor could not take them
 * @param gatedDials dials refused by {@link ConnectionGater#allowDial}
 * @param gatedInbound inbound connections refused by {@link ConnectionGater#allowInbound} (or
 *     refused because the callback executor could not ask it)
 * @param gatedSecured connections refused by {@link ConnectionGater#allowSecured} (or refused
 *     because the callback executor could not ask it)
 * @param trimmedConnections connections closed by the trimmer above the high-water mark
 * @param callbackRejections tasks the callback executor rejected (each was kept and offered again,
 *     or was new work and refused)
 * @param parkedCallbacks tasks waiting now for the callback executor to take them
 * @param refusals connections and streams refused by the resource manager's limits (see {@link
 *     ResourceLimits})
 */
public record HostStats(
    int inboundConnections,
    int outboundConnections,
    Map<String, ProtocolStats> protocols,
    long refusedStreams,
    long gatedDials,
    long gatedInbound,
    long gatedSecured,
    long trimmedConnections,
    long callbackRejections,
    int parkedCallbacks,
    Refusals refusals) {

  /** How many protocol IDs are counted on their own. */
  public static final int MAX_PROTOCOLS = 256;

  /** The key under which protocols beyond {@link #MAX_PROTOCOLS} are counted together. */
  public static final String OTHER_PROTOCOLS = "(other)";

  /** Copies the map. */
  public HostStats {
    protocols = Map.copyOf(protocols);
    java.util.Objects.requireNonNull(refusals, "refusals");
  }

  /** The numbers of {@code protocol}, zeros when it was never used. */
  public ProtocolStats protocol(String protocol) {
    return protocols.getOrDefault(protocol, ProtocolStats.NONE);
  }

  /** Open connections in both directions. */
  public int connections() {
    return inboundConnections + outboundConnections;
  }

  /**
   * The numbers of one protocol.
   *
   * @param openStreams streams of the protocol open now, in both directions
   * @param bytesRead payload bytes received on its streams (after decryption and demultiplexing)
   * @param bytesWritten payload bytes its streams handed to the muxer
   */
  public record ProtocolStats(int openStreams, long bytesRead, long bytesWritten) {

    /** A protocol that was never used. */
    public static final ProtocolStats NONE = new ProtocolStats(0, 0, 0);
  }

  /**
   * What the resource manager refused since the host was built, one counter per limit of {@link
   * ResourceLimits}.
   *
   * @param inboundRate inbound sockets closed because their IP exceeded its connection rate
   * @param pendingPerIp inbound sockets closed because their IP had too many connections in their
   *     upgrade
   * @param pendingPerSubnet inbound sockets closed because their subnet (IPv4 /24, IPv6 /48) had too
 *     many connections in their upgrade
 * @param pendingTotal inbound sockets closed because too many connections were in their upgrade
   * @param connectionsPerPeer upgraded connections closed because their peer had too many
   * @param streamsPerConnection streams refused because their connection had too many open in
   *     their direction
   * @param streamsPerProtocol streams refused because their protocol had too many open in their
   *     direction
   * @param listenerBacklog inbound connections and streams refused because a {@link HostListener}
   *     was {@link ResourceLimits#maxQueuedEventsPerListener()} events behind
   */
  public record Refusals(
      long inboundRate,
      long pendingPerIp,
      long pendingPerSubnet,
      long pendingTotal,
      long connectionsPerPeer,
      long streamsPerConnection,
      long streamsPerProtocol,
      long listenerBacklog) {

    /** All refusals together. */
    public long total() {
      return inboundRate
          + pendingPerIp
          + pendingPerSubnet
          + pendingTotal
          + connectionsPerPeer
          + streamsPerConnection
          + streamsPerProtocol
          + listenerBacklog;
    }
  }
}
