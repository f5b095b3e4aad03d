package org.lotusia.p2p.coordinator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.lotusia.libp2p.crypto.PrivateKey;
import org.lotusia.libp2p.protocol.kad.RecordPersistence;
import org.lotusia.p2p.security.SecurityLimits;

/**
 * The immutable configuration of a {@link P2PCoordinator} (lotus-sdk's {@code P2PConfig}). Build it
 * with {@link #builder()}; every option has lotus-sdk's default (given in brackets below) unless
 * said otherwise, and every value is checked when the configuration is made, with an error that
 * names the option.
 *
 * <pre>{@code
 * P2PConfig config = P2PConfig.builder()
 *     .listen("/ip4/0.0.0.0/tcp/4001")
 *     .bootstrapPeers("/ip4/203.0.113.7/tcp/4001/p2p/12D3KooW...")
 *     .dhtServer(true)
 *     .build();
 * }</pre>
 *
 * @param identity the libp2p identity key; empty: a new Ed25519 key, or the one of {@code identityFile}
 * @param identityFile a libp2p key file loaded at start, or created (Ed25519, mode 600) when missing
 * @param listen the listen addresses, TCP and {@code /ws} ({@code /ip4/0.0.0.0/tcp/0})
 * @param announce addresses announced to peers instead of the listen addresses (none)
 * @param bootstrapPeers bootstrap peers, each ending in {@code /p2p/<peer ID>}, dialled at start and kept connected (none)
 * @param enableDht whether the Kad-DHT runs (true)
 * @param dhtProtocol the DHT protocol ID ({@code /lotus/kad/1.0.0})
 * @param dhtServer whether the DHT serves queries and stores records for others (false, as lotus-sdk); a client-mode node still announces and reads
 * @param enableGossipSub whether GossipSub runs (true)
 * @param enableRelay whether circuit relay v2 runs as a client with AutoRelay (true)
 * @param enableRelayServer whether this node relays for others, at most 100 reservations (false)
 * @param enableAutoNat whether AutoNAT v1 and v2 run, client and server (true): the node learns
 *     whether it is reachable, confirms observed addresses before advertising them, and asks relays
 *     for reservations only when it is not reachable
 * @param enableDcutr whether DCUtR upgrades relayed connections to direct ones by hole punching
 *     (true; only with {@code enableRelay})
 * @param securityLimits the security manager's limits (lotus-sdk's)
 * @param maxConnections the most open connections (50); beyond 90 % the trimmer closes the least valuable
 * @param dialTimeout the time limit of a dial (10 s)
 * @param sendTimeout the time limit of one direct message send, dial included (10 s)
 * @param discoverTimeout the default time limit of the discover calls (5 s)
 * @param listenerQueueCapacity events a listener may fall behind before events for it are dropped and counted (10,000)
 * @param handlerQueueCapacity messages a protocol or topic handler may fall behind before further ones are refused and counted (1,000)
 * @param maxResponseSize the largest response read by {@code request} (1 MiB)
 * @param bootstrap the bootstrap manager's settings
 * @param resources how resources are kept and re-published
 * @param monitor the periodic checks: state, clean-up, mesh
 * @param callbackExecutor the executor for listeners, handlers and future completions; empty: a pool owned by the coordinator
 * @param callbackThreads threads of the coordinator's own callback pool (max(2, cores))
 * @param clock the clock for timestamps and expiry (UTC system clock)
 * @param agentVersion the agent version announced through identify ({@code lotus-p2p-java/0.1.0})
 * @param dhtPersistence where the DHT keeps the value and provider records it stores, so that a
 *     restarted node serves them until they expire ({@link RecordPersistence#NONE}); its methods run
 *     on the DHT's thread and must return quickly
 */
public record P2PConfig(
    Optional<PrivateKey> identity,
    Optional<Path> identityFile,
    List<String> listen,
    List<String> announce,
    List<String> bootstrapPeers,
    boolean enableDht,
    String dhtProtocol,
    boolean dhtServer,
    boolean enableGossipSub,
    boolean enableRelay,
    boolean enableRelayServer,
    boolean enableAutoNat,
    boolean enableDcutr,
    SecurityLimits securityLimits,
    int maxConnections,
    Duration dialTimeout,
    Duration sendTimeout,
    Duration discoverTimeout,
    int listenerQueueCapacity,
    int handlerQueueCapacity,
    int maxResponseSize,
    BootstrapConfig bootstrap,
    ResourceConfig resources,
    MonitorConfig monitor,
    Optional<Executor> callbackExecutor,
    int callbackThreads,
    Clock clock,
    String agentVersion,
    RecordPersistence dhtPersistence) {

  /**
   * Copies the lists and checks every value.
   *
   * @throws IllegalArgumentException naming the first bad option and what is accepted
   */
  public P2PConfig {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(identityFile, "identityFile");
    if (identity.isPresent() && identityFile.isPresent()) {
      throw new IllegalArgumentException("give either identity or identityFile, not both");
    }
    listen = List.copyOf(listen);
    announce = List.copyOf(announce);
    bootstrapPeers = List.copyOf(bootstrapPeers);
    if (listen.isEmpty()) {
      throw new IllegalArgumentException("listen needs at least one address");
    }
    listen.forEach(a -> ConfigChecks.multiaddr(a, "listen", false));
    announce.forEach(a -> ConfigChecks.multiaddr(a, "announce", false));
    bootstrapPeers.forEach(a -> ConfigChecks.multiaddr(a, "bootstrapPeers", true));
    try {
      ProtocolIds.check(dhtProtocol);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("dhtProtocol: " + e.getMessage(), e);
    }
    Objects.requireNonNull(securityLimits, "securityLimits");
    ConfigChecks.atLeast(maxConnections, 2, "maxConnections");
    ConfigChecks.positive(dialTimeout, "dialTimeout");
    ConfigChecks.positive(sendTimeout, "sendTimeout");
    ConfigChecks.positive(discoverTimeout, "discoverTimeout");
    ConfigChecks.atLeast(listenerQueueCapacity, 1, "listenerQueueCapacity");
    ConfigChecks.atLeast(handlerQueueCapacity, 1, "handlerQueueCapacity");
    ConfigChecks.atLeast(maxResponseSize, 1024, "maxResponseSize");
    Objects.requireNonNull(bootstrap, "bootstrap");
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(monitor, "monitor");
    Objects.requireNonNull(callbackExecutor, "callbackExecutor");
    ConfigChecks.atLeast(callbackThreads, 1, "callbackThreads");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(agentVersion, "agentVersion");
    Objects.requireNonNull(dhtPersistence, "dhtPersistence");
  }

  /**
   * A builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The defaults.
   *
   * @return {@code builder().build()}
   */
  public static P2PConfig defaults() {
    return builder().build();
  }

  /**
   * A builder holding this configuration, to derive another.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.identity = identity.orElse(null);
    b.identityFile = identityFile.orElse(null);
    b.listen = new ArrayList<>(listen);
    b.announce = new ArrayList<>(announce);
    b.bootstrapPeers = new ArrayList<>(bootstrapPeers);
    b.enableDht = enableDht;
    b.dhtProtocol = dhtProtocol;
    b.dhtServer = dhtServer;
    b.enableGossipSub = enableGossipSub;
    b.enableRelay = enableRelay;
    b.enableRelayServer = enableRelayServer;
    b.enableAutoNat = enableAutoNat;
    b.enableDcutr = enableDcutr;
    b.securityLimits = securityLimits;
    b.maxConnections = maxConnections;
    b.dialTimeout = dialTimeout;
    b.sendTimeout = sendTimeout;
    b.discoverTimeout = discoverTimeout;
    b.listenerQueueCapacity = listenerQueueCapacity;
    b.handlerQueueCapacity = handlerQueueCapacity;
    b.maxResponseSize = maxResponseSize;
    b.bootstrap = bootstrap;
    b.resources = resources;
    b.monitor = monitor;
    b.callbackExecutor = callbackExecutor.orElse(null);
    b.callbackThreads = callbackThreads;
    b.clock = clock;
    b.agentVersion = agentVersion;
    b.dhtPersistence = dhtPersistence;
    return b;
  }

  /** Builds a {@link P2PConfig}; not thread-safe. */
  public static final class Builder {
    private PrivateKey identity;
    private Path identityFile;
    private List<String> listen = new ArrayList<>(List.of("/ip4/0.0.0.0/tcp/0"));
    private List<String> announce = new ArrayList<>();
    private List<String> bootstrapPeers = new ArrayList<>();
    private boolean enableDht = true;
    private String dhtProtocol = ProtocolIds.KAD;
    private boolean dhtServer = false;
    private boolean enableGossipSub = true;
    private boolean enableRelay = true;
    private boolean enableRelayServer = false;
    private boolean enableAutoNat = true;
    private boolean enableDcutr = true;
    private SecurityLimits securityLimits = SecurityLimits.defaults();
    private int maxConnections = 50;
    private Duration dialTimeout = Duration.ofSeconds(10);
    private Duration sendTimeout = Duration.ofSeconds(10);
    private Duration discoverTimeout = Duration.ofSeconds(5);
    private int listenerQueueCapacity = 10_000;
    private int handlerQueueCapacity = 1000;
    private int maxResponseSize = 1 << 20;
    private BootstrapConfig bootstrap = BootstrapConfig.DEFAULT;
    private ResourceConfig resources = ResourceConfig.DEFAULT;
    private MonitorConfig monitor = MonitorConfig.DEFAULT;
    private Executor callbackExecutor;
    private int callbackThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private Clock clock = Clock.systemUTC();
    private String agentVersion = "lotus-p2p-java/0.1.0";
    private RecordPersistence dhtPersistence = RecordPersistence.NONE;

    private Builder() {}

    /**
     * Sets {@link P2PConfig#dhtPersistence()}.
     *
     * @param persistence the store
     * @return this builder
     */
    public Builder dhtPersistence(RecordPersistence persistence) {
      this.dhtPersistence = Objects.requireNonNull(persistence, "dhtPersistence");
      return this;
    }

    /**
     * Sets {@link P2PConfig#identity()}.
     *
     * @param key the key
     * @return this builder
     */
    public Builder identity(PrivateKey key) {
      this.identity = Objects.requireNonNull(key, "identity");
      return this;
    }

    /**
     * Sets {@link P2PConfig#identityFile()}.
     *
     * @param file the key file
     * @return this builder
     */
    public Builder identityFile(Path file) {
      this.identityFile = Objects.requireNonNull(file, "identityFile");
      return this;
    }

    /**
     * Sets {@link P2PConfig#listen()}.
     *
     * @param addresses the addresses
     * @return this builder
     */
    public Builder listen(String... addresses) {
      this.listen = new ArrayList<>(List.of(addresses));
      return this;
    }

    /**
     * Sets {@link P2PConfig#announce()}.
     *
     * @param addresses the addresses
     * @return this builder
     */
    public Builder announce(String... addresses) {
      this.announce = new ArrayList<>(List.of(addresses));
      return this;
    }

    /**
     * Sets {@link P2PConfig#bootstrapPeers()}.
     *
     * @param addresses addresses ending in {@code /p2p/<peer ID>}
     * @return this builder
     */
    public Builder bootstrapPeers(String... addresses) {
      this.bootstrapPeers = new ArrayList<>(List.of(addresses));
      return this;
    }

    /**
     * Sets {@link P2PConfig#enableDht()}.
     *
     * @param enable true to run it
     * @return this builder
     */
    public Builder enableDht(boolean enable) {
      this.enableDht = enable;
      return this;
    }

    /**
     * Sets {@link P2PConfig#dhtProtocol()}.
     *
     * @param protocolId the protocol ID
     * @return this builder
     */
    public Builder dhtProtocol(String protocolId) {
      this.dhtProtocol = protocolId;
      return this;
    }

    /**
     * Sets {@link P2PConfig#dhtServer()}.
     *
     * @param server true for server mode
     * @return this builder
     */
    public Builder dhtServer(boolean server) {
      this.dhtServer = server;
      return this;
    }

    /**
     * Sets {@link P2PConfig#enableGossipSub()}.
     *
     * @param enable true to run it
     * @return this builder
     */
    public Builder enableGossipSub(boolean enable) {
      this.enableGossipSub = enable;
      return this;
    }

    /**
     * Sets {@link P2PConfig#enableRelay()}.
     *
     * @param enable true to run it
     * @return this builder
     */
    public Builder enableRelay(boolean enable) {
      this.enableRelay = enable;
      return this;
    }

    /**
     * Sets {@link P2PConfig#enableRelayServer()}.
     *
     * @param enable true to relay for others
     * @return this builder
     */
    public Builder enableRelayServer(boolean enable) {
      this.enableRelayServer = enable;
      return this;
    }

    /**
     * Sets {@link P2PConfig#enableAutoNat()}.
     *
     * @param enable true to run it
     * @return this builder
     */
    public Builder enableAutoNat(boolean enable) {
      this.enableAutoNat = enable;
      return this;
    }

    /**
     * Sets {@link P2PConfig#enableDcutr()}.
     *
     * @param enable true to run it
     * @return this builder
     */
    public Builder enableDcutr(boolean enable) {
      this.enableDcutr = enable;
      return this;
    }

    /**
     * Sets {@link P2PConfig#securityLimits()}.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder securityLimits(SecurityLimits limits) {
      this.securityLimits = Objects.requireNonNull(limits, "securityLimits");
      return this;
    }

    /**
     * Sets {@link P2PConfig#maxConnections()}.
     *
     * @param max the limit
     * @return this builder
     */
    public Builder maxConnections(int max) {
      this.maxConnections = max;
      return this;
    }

    /**
     * Sets {@link P2PConfig#dialTimeout()}.
     *
     * @param timeout the limit
     * @return this builder
     */
    public Builder dialTimeout(Duration timeout) {
      this.dialTimeout = timeout;
      return this;
    }

    /**
     * Sets {@link P2PConfig#sendTimeout()}.
     *
     * @param timeout the limit
     * @return this builder
     */
    public Builder sendTimeout(Duration timeout) {
      this.sendTimeout = timeout;
      return this;
    }

    /**
     * Sets {@link P2PConfig#discoverTimeout()}.
     *
     * @param timeout the limit
     * @return this builder
     */
    public Builder discoverTimeout(Duration timeout) {
      this.discoverTimeout = timeout;
      return this;
    }

    /**
     * Sets {@link P2PConfig#listenerQueueCapacity()}.
     *
     * @param capacity the limit
     * @return this builder
     */
    public Builder listenerQueueCapacity(int capacity) {
      this.listenerQueueCapacity = capacity;
      return this;
    }

    /**
     * Sets {@link P2PConfig#handlerQueueCapacity()}.
     *
     * @param capacity the limit
     * @return this builder
     */
    public Builder handlerQueueCapacity(int capacity) {
      this.handlerQueueCapacity = capacity;
      return this;
    }

    /**
     * Sets {@link P2PConfig#maxResponseSize()}.
     *
     * @param bytes the limit
     * @return this builder
     */
    public Builder maxResponseSize(int bytes) {
      this.maxResponseSize = bytes;
      return this;
    }

    /**
     * Sets {@link P2PConfig#bootstrap()}.
     *
     * @param config the settings
     * @return this builder
     */
    public Builder bootstrap(BootstrapConfig config) {
      this.bootstrap = Objects.requireNonNull(config, "bootstrap");
      return this;
    }

    /**
     * Sets {@link P2PConfig#resources()}.
     *
     * @param config the settings
     * @return this builder
     */
    public Builder resources(ResourceConfig config) {
      this.resources = Objects.requireNonNull(config, "resources");
      return this;
    }

    /**
     * Sets {@link P2PConfig#monitor()}.
     *
     * @param config the settings
     * @return this builder
     */
    public Builder monitor(MonitorConfig config) {
      this.monitor = Objects.requireNonNull(config, "monitor");
      return this;
    }

    /**
     * Sets {@link P2PConfig#callbackExecutor()}.
     *
     * @param executor an executor that does not reject tasks; not shut down by the coordinator
     * @return this builder
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "callbackExecutor");
      return this;
    }

    /**
     * Sets {@link P2PConfig#callbackThreads()}.
     *
     * @param threads the count
     * @return this builder
     */
    public Builder callbackThreads(int threads) {
      this.callbackThreads = threads;
      return this;
    }

    /**
     * Sets {@link P2PConfig#clock()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets {@link P2PConfig#agentVersion()}.
     *
     * @param agentVersion the text
     * @return this builder
     */
    public Builder agentVersion(String agentVersion) {
      this.agentVersion = Objects.requireNonNull(agentVersion, "agentVersion");
      return this;
    }

    /**
     * Checks every value and builds the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming the first bad option and what is accepted
     */
    public P2PConfig build() {
      return new P2PConfig(
          Optional.ofNullable(identity),
          Optional.ofNullable(identityFile),
          listen,
          announce,
          bootstrapPeers,
          enableDht,
          dhtProtocol,
          dhtServer,
          enableGossipSub,
          enableRelay,
          enableRelayServer,
          enableAutoNat,
          enableDcutr,
          securityLimits,
          maxConnections,
          dialTimeout,
          sendTimeout,
          discoverTimeout,
          listenerQueueCapacity,
          handlerQueueCapacity,
          maxResponseSize,
          bootstrap,
          resources,
          monitor,
          Optional.ofNullable(callbackExecutor),
          callbackThreads,
          clock,
          agentVersion,
          dhtPersistence);
    }
  }
}
