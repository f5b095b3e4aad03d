package org.lotusia.libp2p;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.host.ChannelSecurity;
import org.lotusia.libp2p.internal.host.HostConfig;
import org.lotusia.libp2p.internal.host.HostImpl;
import org.lotusia.libp2p.internal.host.YamuxChannelMuxer;
import org.lotusia.libp2p.internal.transport.NettyTransport;
import org.lotusia.libp2p.stack.SecureChannels;
import org.lotusia.libp2p.stack.StreamMuxers;
import org.lotusia.libp2p.stack.Transports;

/**
 * Configures and builds a {@link Host}. Every setting has a documented default; {@link #build()}
 * can be called more than once (each call makes a new host; give each its own listen addresses).
 *
 * <pre>{@code
 * Host host = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
 * host.start().join();
 * }</pre>
 *
 * <p>Not thread-safe; use from one thread.
 */
public final class HostBuilder {

  private IdentityPrivateKey identity;
  private final List<Multiaddr> listen = new ArrayList<>();
  private List<Transport> transports = List.of(Transports.tcp());
  private List<SecureChannel> security = List.of(SecureChannels.noise());
  private StreamMuxer muxer = StreamMuxers.yamux();
  private int maxConnections = 1024;
  private int highWater = 896;
  private int lowWater = 768;
  private Duration dialTimeout = Duration.ofSeconds(10);
  private Duration handshakeTimeout = Duration.ofSeconds(10);
  private Duration streamNegotiationTimeout = Duration.ofSeconds(10);
  private Executor callbackExecutor;
  private int callbackThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
  private Clock clock = Clock.systemUTC();
  private String agentVersion = "lotus-p2p-java/0.1.0";
  private int eventLoopThreads = Math.min(4, Runtime.getRuntime().availableProcessors());
  private int maxStreamBuffer = 256 * 1024;
  private int maxIdentifyMessage = 8 * 1024;
  private int maxPeers = 10_000;
  private Duration addressTtl = Duration.ofHours(1);
  private Duration identifyTimeout = Duration.ofSeconds(10);
  private ConnectionGater connectionGater;
  private final List<Multiaddr> announce = new ArrayList<>();
  private final List<Multiaddr> noAnnounce = new ArrayList<>();
  private ResourceLimits resourceLimits = ResourceLimits.DEFAULT;

  /** Creates a builder with the defaults. */
  public HostBuilder() {}

  /** The host's key; default a new Ed25519 key. */
  public HostBuilder identity(IdentityPrivateKey key) {
    this.identity = Objects.requireNonNull(key, "identity");
    return this;
  }

  /**
   * Adds a listen address, e.g. {@code /ip4/0.0.0.0/tcp/0}; port 0 binds an ephemeral port. Default
   * none.
   */
  public HostBuilder listen(Multiaddr address) {
    listen.add(Objects.requireNonNull(address, "address"));
    return this;
  }

  /**
   * Adds a listen address in text form.
   *
   * @throws IllegalArgumentException when the text is not a valid multiaddr
   */
  public HostBuilder listen(String address) {
    return listen(Multiaddr.parse(address));
  }

  /** The transports, tried in order; default {@link Transports#tcp()}. */
  public HostBuilder transports(Transport... list) {
    if (list.length == 0) {
      throw new IllegalArgumentException("at least one transport is needed");
    }
    for (Transport t : list) {
      if (!(t instanceof NettyTransport)) {
        throw new IllegalArgumentException(
            "unsupported transport " + t + "; use Transports.tcp(), websocket() or memory()");
      }
    }
    this.transports = List.of(list);
    return this;
  }

  /** The security protocols in order of preference; default {@link SecureChannels#noise()}. */
  public HostBuilder security(SecureChannel... list) {
    if (list.length == 0) {
      throw new IllegalArgumentException("at least one security protocol is needed");
    }
    for (SecureChannel s : list) {
      if (!(s instanceof ChannelSecurity)) {
        throw new IllegalArgumentException(
            "unsupported security " + s + "; use SecureChannels.noise() or plaintext()");
      }
    }
    this.security = List.of(list);
    return this;
  }

  /** The muxer; default {@link StreamMuxers#yamux()}. */
  public HostBuilder muxer(StreamMuxer muxer) {
    if (!(muxer instanceof YamuxChannelMuxer)) {
      throw new IllegalArgumentException(
          "unsupported muxer " + muxer + "; use StreamMuxers.yamux()");
    }
    this.muxer = muxer;
    return this;
  }

  /**
   * Connection limits. Beyond {@code max} new connections are refused; when more than {@code
   * highWater} are open, connections are closed until {@code lowWater} remain: never those of
   * protected peers, first those of the peers with the lowest tag value, idle ones before those
   * with open streams, oldest first (see {@link Host#protect} and {@link Host#tagPeer}). Defaults
   * 1024, 896, 768.
   *
   * @throws IllegalArgumentException unless {@code 1 <= lowWater <= highWater <= max}
   */
  public HostBuilder connectionLimits(int max, int highWater, int lowWater) {
    if (lowWater < 1 || lowWater > highWater || highWater > max) {
      throw new IllegalArgumentException(
          "need 1 <= lowWater <= highWater <= max, got max "
              + max
              + ", highWater "
              + highWater
              + ", lowWater "
              + lowWater);
    }
    this.maxConnections = max;
    this.highWater = highWater;
    this.lowWater = lowWater;
    return this;
  }

  /** Time for connect plus upgrade of an outbound connection; default 10 s. */
  public HostBuilder dialTimeout(Duration timeout) {
    this.dialTimeout = positive(timeout, "dialTimeout");
    return this;
  }

  /** Time for the security handshake and muxer negotiation; default 10 s. */
  public HostBuilder handshakeTimeout(Duration timeout) {
    this.handshakeTimeout = positive(timeout, "handshakeTimeout");
    return this;
  }

  /** Time for protocol negotiation on a new stream; default 10 s. */
  public HostBuilder streamNegotiationTimeout(Duration timeout) {
    this.streamNegotiationTimeout = positive(timeout, "streamNegotiationTimeout");
    return this;
  }

  /**
   * The executor for handlers, readers, listeners, gaters and future completions; default a
   * host-owned pool of daemon threads (at least 2) with a bounded queue, which {@link Host#close()}
   * shuts down. A given executor is not shut down.
   *
   * <p>It may be bounded and may reject: the host never drops work it accepted. A rejected delivery
   * (stream data, a stream's end or error, a host event, a completion) is kept and offered again
   * until the executor takes it, in order; meanwhile streams stop reading once their buffer is
   * full, so Yamux flow control pushes back on remote writers. New work from the network is refused
   * while the executor rejects: an inbound stream is reset and an inbound connection the gater
   * would be asked about is refused; both are counted and logged at most once per 10 s. The
   * executor must run tasks on its own threads and must not discard them silently.
   *
   * @throws IllegalArgumentException for a {@link ThreadPoolExecutor} whose rejection policy runs
   *     tasks on the caller's thread ({@link ThreadPoolExecutor.CallerRunsPolicy}: that would be a
   *     network thread) or discards them ({@link ThreadPoolExecutor.DiscardPolicy}, {@link
   *     ThreadPoolExecutor.DiscardOldestPolicy})
   */
  public HostBuilder callbackExecutor(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    if (executor instanceof ThreadPoolExecutor pool) {
      RejectedExecutionHandler policy = pool.getRejectedExecutionHandler();
      if (policy instanceof ThreadPoolExecutor.CallerRunsPolicy
          || policy instanceof ThreadPoolExecutor.DiscardPolicy
          || policy instanceof ThreadPoolExecutor.DiscardOldestPolicy) {
        throw new IllegalArgumentException(
            "callback executor's rejection policy "
                + policy.getClass().getSimpleName()
                + " would run callbacks on network threads or drop them; use AbortPolicy (the"
                + " host keeps rejected work and offers it again)");
      }
    }
    this.callbackExecutor = executor;
    return this;
  }

  /** The clock for timestamps and address expiry; default the UTC system clock. */
  public HostBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** The agent version sent in identify; default {@code lotus-p2p-java/0.1.0}. */
  public HostBuilder agentVersion(String agentVersion) {
    this.agentVersion = Objects.requireNonNull(agentVersion, "agentVersion");
    return this;
  }

  /**
   * Network threads of the TCP transport; default min(4, cores). The in-memory transport uses one
   * process-wide group of daemon threads instead.
   */
  public HostBuilder eventLoopThreads(int threads) {
    this.eventLoopThreads = atLeast(threads, 1, "eventLoopThreads");
    return this;
  }

  /** Inbound bytes buffered per stream before reading pauses; default 256 KiB. */
  public HostBuilder maxStreamBuffer(int bytes) {
    this.maxStreamBuffer = atLeast(bytes, 1024, "maxStreamBuffer");
    return this;
  }

  /** Limit of a received identify message; default 8 KiB. */
  public HostBuilder maxIdentifyMessage(int bytes) {
    this.maxIdentifyMessage = atLeast(bytes, 64, "maxIdentifyMessage");
    return this;
  }

  /** Peers kept in the peer store; default 10,000. */
  public HostBuilder maxPeers(int peers) {
    this.maxPeers = atLeast(peers, 1, "maxPeers");
    return this;
  }

  /** How long addresses learnt from identify stay in the peer store; default 1 hour. */
  public HostBuilder addressTtl(Duration ttl) {
    this.addressTtl = positive(ttl, "addressTtl");
    return this;
  }

  /**
   * Time for identify on a new connection, from opening the stream to the end of the remote's
   * message; when it passes, the stream is reset and {@link Host#identified} waiters of that
   * connection see a {@link java.util.concurrent.TimeoutException}. Default 10 s.
   */
  public HostBuilder identifyTimeout(Duration timeout) {
    this.identifyTimeout = positive(timeout, "identifyTimeout");
    return this;
  }

  /**
   * The gater that decides which connections this host dials and keeps; default none (every
   * connection allowed, at no cost). It runs on the callback executor; see {@link ConnectionGater}.
   */
  public HostBuilder connectionGater(ConnectionGater gater) {
    this.connectionGater = Objects.requireNonNull(gater, "gater");
    return this;
  }

  /**
   * Adds an address to advertise instead of the listen addresses, e.g. the public address of a
   * port forward or a {@code /dns4/...} name. When at least one is set, identify and {@link
   * Host#advertisedAddresses()} carry the announced addresses (plus confirmed observed and mapped
   * addresses and relayed ones) and no listen address; see {@link AddressManager}. Default none.
   *
   * @throws IllegalArgumentException for a circuit address (relayed addresses come from
   *     reservations)
   */
  public HostBuilder announce(Multiaddr address) {
    Objects.requireNonNull(address, "address");
    if (address.has(MultiaddrProtocol.P2P_CIRCUIT)) {
      throw new IllegalArgumentException(
          "cannot announce the circuit address " + address + "; relayed addresses come from"
              + " reservations (CircuitRelay)");
    }
    announce.add(address.withoutPeerId());
    return this;
  }

  /**
   * Adds an address to announce, in text form.
   *
   * @throws IllegalArgumentException when the text is not a valid multiaddr, or is a circuit
   */
  public HostBuilder announce(String address) {
    return announce(Multiaddr.parse(address));
  }

  /**
   * Adds an address never to advertise, whatever its source (listen, announce, observed, mapping,
   * relay); matched exactly, without {@code /p2p}. Default none.
   */
  public HostBuilder noAnnounce(Multiaddr address) {
    noAnnounce.add(Objects.requireNonNull(address, "address").withoutPeerId());
    return this;
  }

  /**
   * Adds an address never to advertise, in text form.
   *
   * @throws IllegalArgumentException when the text is not a valid multiaddr
   */
  public HostBuilder noAnnounce(String address) {
    return noAnnounce(Multiaddr.parse(address));
  }

  /**
   * The resource manager's limits: inbound connections in their upgrade (in total and per IP), the
   * inbound connection rate per IP, connections per peer, and streams per connection and per
   * protocol. Default {@link ResourceLimits#DEFAULT}; see {@link ResourceLimits} for each limit and
   * its default. Refusals are counted in {@link HostStats#refusals()}.
   */
  public HostBuilder resourceLimits(ResourceLimits limits) {
    this.resourceLimits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }

  private static int atLeast(int v, int min, String name) {
    if (v < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + v);
    }
    return v;
  }

  /** Builds a host (not started). */
  public Host build() {
    IdentityPrivateKey key = identity != null ? identity : Keys.generateEd25519();
    return new HostImpl(
        new HostConfig(
            key,
            listen,
            transports,
            security,
            muxer,
            maxConnections,
            highWater,
            lowWater,
            dialTimeout,
            handshakeTimeout,
            streamNegotiationTimeout,
            callbackExecutor,
            callbackThreads,
            clock,
            agentVersion,
            eventLoopThreads,
            maxStreamBuffer,
            maxIdentifyMessage,
            maxPeers,
            addressTtl,
            identifyTimeout,
            connectionGater,
            announce,
            noAnnounce,
            resourceLimits));
  }
}
