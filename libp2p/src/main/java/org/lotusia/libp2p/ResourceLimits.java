package org.lotusia.libp2p;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The resource manager's limits: what one remote address, one peer, one connection and one
 * protocol may hold of a host, so that no single source can lock out the others. Set with {@link
 * HostBuilder#resourceLimits(ResourceLimits)}; every refusal is counted in {@link
 * HostStats#refusals()} and logged at debug.
 *
 * <p>The limits, in the order a new inbound connection meets them:
 *
 * <ol>
 *   <li>{@code inboundBurstPerIp} / {@code inboundRatePerIp}: a token bucket per remote IP (per /64
 *       for IPv6, since one host usually owns a whole /64) on the host's clock; each accepted
 *       socket takes a token. A refused socket is closed at once, before any byte is read.
 *   <li>{@code maxPendingInboundPerIp}: inbound connections from one IP (one /64) still in their
 *       upgrade (multistream-select, security handshake, muxer), i.e. not yet authenticated.
 *   <li>{@code maxPendingInboundPerSubnet}: the same for one subnet, an IPv4 /24 or an IPv6 /48
 *       (what one network operator usually holds), so that an attacker with many addresses of one
 *       network gets no more slots than this.
 *   <li>{@code maxPendingInbound}: all inbound connections still in their upgrade. A socket that
 *       never speaks holds its slot until the handshake timeout closes it, so the per-IP and
 *       per-subnet limits are what keep one address or one network from filling this one.
 *   <li>{@code maxConnectionsPerPeer}: upgraded connections with one peer, both directions; a
 *       further connection is closed once the peer is authenticated (a dial to it fails with {@link
 *       ResourceLimitException}).
 * </ol>
 *
 * <p>Streams: {@code maxInboundStreamsPerConnection} / {@code maxOutboundStreamsPerConnection}
 * bound the open streams of one connection by who opened them (an inbound stream beyond the limit
 * is reset before negotiation; {@link Connection#newStream} beyond it fails with {@link
 * ResourceLimitException}); {@code maxInboundStreamsPerProtocol} / {@code
 * maxOutboundStreamsPerProtocol} bound the open streams of one protocol across all connections,
 * checked once the protocol is negotiated, with per-protocol overrides in {@code protocols}.
 *
 * <p>The rate table keeps at most {@code maxTrackedIps} addresses; beyond that the least recently
 * seen one is forgotten (it starts again with a full bucket), so the table itself cannot be grown
 * without bound from the network.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxPendingInbound inbound connections in their upgrade, in total; default {@value
 *     #DEFAULT_PENDING_INBOUND}
 * @param maxPendingInboundPerIp inbound connections in their upgrade per IP (IPv6: per /64);
 *     default {@value #DEFAULT_PENDING_INBOUND_PER_IP}
 * @param maxPendingInboundPerSubnet inbound connections in their upgrade per IPv4 /24 or IPv6 /48;
 *     default {@value #DEFAULT_PENDING_INBOUND_PER_SUBNET}
 * @param inboundBurstPerIp the token bucket's size per IP: inbound connections accepted at once
 *     from one IP; default {@value #DEFAULT_INBOUND_BURST_PER_IP}
 * @param inboundRatePerIp tokens added per second per IP; default {@value
 *     #DEFAULT_INBOUND_RATE_PER_IP}
 * @param maxTrackedIps addresses the rate table remembers; default {@value #DEFAULT_TRACKED_IPS}
 * @param maxConnectionsPerPeer upgraded connections with one peer; default {@value
 *     #DEFAULT_CONNECTIONS_PER_PEER}
 * @param maxInboundStreamsPerConnection streams the remote may hold open on one connection;
 *     default {@value #DEFAULT_INBOUND_STREAMS_PER_CONNECTION}
 * @param maxOutboundStreamsPerConnection streams this host may hold open on one connection;
 *     default {@value #DEFAULT_OUTBOUND_STREAMS_PER_CONNECTION}
 * @param maxInboundStreamsPerProtocol inbound streams of one protocol across all connections;
 *     default {@value #DEFAULT_INBOUND_STREAMS_PER_PROTOCOL}
 * @param maxOutboundStreamsPerProtocol outbound streams of one protocol across all connections;
 *     default {@value #DEFAULT_OUTBOUND_STREAMS_PER_PROTOCOL}
 * @param protocols per-protocol limits that replace the two above for their protocol; default
 *     none
 * @param maxQueuedEventsPerListener events waiting for one {@link HostListener}; while a listener
 *     is that far behind, new inbound connections and streams are refused (the events owed for
 *     what is already open are always kept); default {@value #DEFAULT_QUEUED_EVENTS_PER_LISTENER}
 */
public record ResourceLimits(
    int maxPendingInbound,
    int maxPendingInboundPerIp,
    int maxPendingInboundPerSubnet,
    int inboundBurstPerIp,
    double inboundRatePerIp,
    int maxTrackedIps,
    int maxConnectionsPerPeer,
    int maxInboundStreamsPerConnection,
    int maxOutboundStreamsPerConnection,
    int maxInboundStreamsPerProtocol,
    int maxOutboundStreamsPerProtocol,
    Map<String, StreamLimit> protocols,
    int maxQueuedEventsPerListener) {

  /** Default of {@link #maxPendingInbound()}. */
  public static final int DEFAULT_PENDING_INBOUND = 128;

  /** Default of {@link #maxPendingInboundPerIp()}. */
  public static final int DEFAULT_PENDING_INBOUND_PER_IP = 16;

  /** Default of {@link #maxPendingInboundPerSubnet()}. */
  public static final int DEFAULT_PENDING_INBOUND_PER_SUBNET = 64;

  /** Default of {@link #inboundBurstPerIp()}. */
  public static final int DEFAULT_INBOUND_BURST_PER_IP = 64;

  /** Default of {@link #inboundRatePerIp()}. */
  public static final double DEFAULT_INBOUND_RATE_PER_IP = 16.0;

  /** Default of {@link #maxTrackedIps()}. */
  public static final int DEFAULT_TRACKED_IPS = 16_384;

  /** Default of {@link #maxConnectionsPerPeer()}. */
  public static final int DEFAULT_CONNECTIONS_PER_PEER = 8;

  /** Default of {@link #maxInboundStreamsPerConnection()}. */
  public static final int DEFAULT_INBOUND_STREAMS_PER_CONNECTION = 256;

  /** Default of {@link #maxOutboundStreamsPerConnection()}. */
  public static final int DEFAULT_OUTBOUND_STREAMS_PER_CONNECTION = 512;

  /** Default of {@link #maxInboundStreamsPerProtocol()}. */
  public static final int DEFAULT_INBOUND_STREAMS_PER_PROTOCOL = 2048;

  /** Default of {@link #maxOutboundStreamsPerProtocol()}. */
  public static final int DEFAULT_OUTBOUND_STREAMS_PER_PROTOCOL = 4096;

  /** Default of {@link #maxQueuedEventsPerListener()}. */
  public static final int DEFAULT_QUEUED_EVENTS_PER_LISTENER = 8192;

  /** The defaults. */
  public static final ResourceLimits DEFAULT = builder().build();

  /**
   * Validates the limits and copies the map.
   *
   * @throws IllegalArgumentException when a limit is below 1, the rate is not a positive finite
   *     number, or the per-IP pending limit exceeds the total
   */
  public ResourceLimits {
    atLeastOne(maxPendingInbound, "maxPendingInbound");
    atLeastOne(maxPendingInboundPerIp, "maxPendingInboundPerIp");
    atLeastOne(maxPendingInboundPerSubnet, "maxPendingInboundPerSubnet");
    atLeastOne(inboundBurstPerIp, "inboundBurstPerIp");
    if (!(inboundRatePerIp > 0) || Double.isInfinite(inboundRatePerIp)) {
      throw new IllegalArgumentException(
          "inboundRatePerIp must be a positive finite number of connections per second, got "
              + inboundRatePerIp);
    }
    atLeastOne(maxTrackedIps, "maxTrackedIps");
    atLeastOne(maxConnectionsPerPeer, "maxConnectionsPerPeer");
    atLeastOne(maxInboundStreamsPerConnection, "maxInboundStreamsPerConnection");
    atLeastOne(maxOutboundStreamsPerConnection, "maxOutboundStreamsPerConnection");
    atLeastOne(maxInboundStreamsPerProtocol, "maxInboundStreamsPerProtocol");
    atLeastOne(maxOutboundStreamsPerProtocol, "maxOutboundStreamsPerProtocol");
    if (maxPendingInboundPerIp > maxPendingInbound) {
      throw new IllegalArgumentException(
          "maxPendingInboundPerIp ("
              + maxPendingInboundPerIp
              + ") must not exceed maxPendingInbound ("
              + maxPendingInbound
              + ")");
    }
    Objects.requireNonNull(protocols, "protocols");
    protocols.forEach(
        (id, limit) -> {
          Objects.requireNonNull(id, "protocol ID");
          Objects.requireNonNull(limit, "limit of " + id);
        });
    protocols = Map.copyOf(protocols);
    atLeastOne(maxQueuedEventsPerListener, "maxQueuedEventsPerListener");
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxPendingInbound = maxPendingInbound;
    b.maxPendingInboundPerIp = maxPendingInboundPerIp;
    b.maxPendingInboundPerSubnet = maxPendingInboundPerSubnet;
    b.inboundBurstPerIp = inboundBurstPerIp;
    b.inboundRatePerIp = inboundRatePerIp;
    b.maxTrackedIps = maxTrackedIps;
    b.maxConnectionsPerPeer = maxConnectionsPerPeer;
    b.maxInboundStreamsPerConnection = maxInboundStreamsPerConnection;
    b.maxOutboundStreamsPerConnection = maxOutboundStreamsPerConnection;
    b.maxInboundStreamsPerProtocol = maxInboundStreamsPerProtocol;
    b.maxOutboundStreamsPerProtocol = maxOutboundStreamsPerProtocol;
    b.protocols.putAll(protocols);
    b.maxQueuedEventsPerListener = maxQueuedEventsPerListener;
    return b;
  }

  /** The stream limit of {@code protocol}: its override, or the per-protocol defaults. */
  public StreamLimit streamLimit(String protocol) {
    StreamLimit own = protocols.get(protocol);
    return own != null
        ? own
        : new StreamLimit(maxInboundStreamsPerProtocol, maxOutboundStreamsPerProtocol);
  }

  private static void atLeastOne(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
  }

  /**
   * The open streams one protocol may have across all connections.
   *
   * @param inbound streams remotes opened; at least 1
   * @param outbound streams this host opened; at least 1
   */
  public record StreamLimit(int inbound, int outbound) {

    /**
     * Validates the limit.
     *
     * @throws IllegalArgumentException when a count is below 1
     */
    public StreamLimit {
      atLeastOne(inbound, "inbound stream limit");
      atLeastOne(outbound, "outbound stream limit");
    }
  }

  /** Builds {@link ResourceLimits}; starts from the documented defaults. Not thread-safe. */
  public static final class Builder {
    private int maxPendingInbound = DEFAULT_PENDING_INBOUND;
    private int maxPendingInboundPerIp = DEFAULT_PENDING_INBOUND_PER_IP;
    private int maxPendingInboundPerSubnet = DEFAULT_PENDING_INBOUND_PER_SUBNET;
    private int inboundBurstPerIp = DEFAULT_INBOUND_BURST_PER_IP;
    private double inboundRatePerIp = DEFAULT_INBOUND_RATE_PER_IP;
    private int maxTrackedIps = DEFAULT_TRACKED_IPS;
    private int maxConnectionsPerPeer = DEFAULT_CONNECTIONS_PER_PEER;
    private int maxInboundStreamsPerConnection = DEFAULT_INBOUND_STREAMS_PER_CONNECTION;
    private int maxOutboundStreamsPerConnection = DEFAULT_OUTBOUND_STREAMS_PER_CONNECTION;
    private int maxInboundStreamsPerProtocol = DEFAULT_INBOUND_STREAMS_PER_PROTOCOL;
    private int maxOutboundStreamsPerProtocol = DEFAULT_OUTBOUND_STREAMS_PER_PROTOCOL;
    private final Map<String, StreamLimit> protocols = new TreeMap<>();
    private int maxQueuedEventsPerListener = DEFAULT_QUEUED_EVENTS_PER_LISTENER;

    private Builder() {}

    /** Inbound connections in their upgrade, in total; default 128. */
    public Builder maxPendingInbound(int max) {
      this.maxPendingInbound = max;
      return this;
    }

    /** Inbound connections in their upgrade per IP (IPv6: per /64); default 16. */
    public Builder maxPendingInboundPerIp(int max) {
      this.maxPendingInboundPerIp = max;
      return this;
    }

    /** Inbound connections in their upgrade per IPv4 /24 or IPv6 /48; default 64. */
    public Builder maxPendingInboundPerSubnet(int max) {
      this.maxPendingInboundPerSubnet = max;
      return this;
    }

    /**
     * The inbound connection rate per IP (IPv6: per /64): {@code burst} connections at once, then
     * {@code perSecond} a second. Defaults 64 and 16.
     */
    public Builder inboundRatePerIp(int burst, double perSecond) {
      this.inboundBurstPerIp = burst;
      this.inboundRatePerIp = perSecond;
      return this;
    }

    /** Addresses the rate table remembers; default 16,384. */
    public Builder maxTrackedIps(int max) {
      this.maxTrackedIps = max;
      return this;
    }

    /** Upgraded connections with one peer, both directions together; default 8. */
    public Builder maxConnectionsPerPeer(int max) {
      this.maxConnectionsPerPeer = max;
      return this;
    }

    /** Open streams per connection by who opened them; defaults 256 inbound, 512 outbound. */
    public Builder streamsPerConnection(int inbound, int outbound) {
      this.maxInboundStreamsPerConnection = inbound;
      this.maxOutboundStreamsPerConnection = outbound;
      return this;
    }

    /**
     * Open streams of each protocol across all connections, unless the protocol has its own limit;
     * defaults 2048 inbound, 4096 outbound.
     */
    public Builder streamsPerProtocol(int inbound, int outbound) {
      this.maxInboundStreamsPerProtocol = inbound;
      this.maxOutboundStreamsPerProtocol = outbound;
      return this;
    }

    /**
     * Open streams of {@code protocol} across all connections, replacing {@link
     * #streamsPerProtocol} for it.
     *
     * @throws IllegalArgumentException when a count is below 1
     */
    public Builder protocolStreams(String protocol, int inbound, int outbound) {
      protocols.put(Objects.requireNonNull(protocol, "protocol"), new StreamLimit(inbound, outbound));
      return this;
    }

    /** Events waiting for one host listener before new inbound work is refused; default 8192. */
    public Builder maxQueuedEventsPerListener(int max) {
      this.maxQueuedEventsPerListener = max;
      return this;
    }

    /**
     * Builds the limits.
     *
     * @throws IllegalArgumentException when a limit is out of range (see {@link ResourceLimits})
     */
    public ResourceLimits build() {
      return new ResourceLimits(
          maxPendingInbound,
          maxPendingInboundPerIp,
          maxPendingInboundPerSubnet,
          inboundBurstPerIp,
          inboundRatePerIp,
          maxTrackedIps,
          maxConnectionsPerPeer,
          maxInboundStreamsPerConnection,
          maxOutboundStreamsPerConnection,
          maxInboundStreamsPerProtocol,
          maxOutboundStreamsPerProtocol,
          protocols,
          maxQueuedEventsPerListener);
    }
  }
}
