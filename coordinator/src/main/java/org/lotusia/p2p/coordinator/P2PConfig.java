package org.lotusia.p2p.coordinator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.crypto.PrivateKey;
import org.lotusia.p2p.security.SecurityLimits;

/**
 * The immutable configuration of a {@link P2PCoordinator} (lotus-sdk's {@code P2PConfig}). Build it
 * with {@link #builder()}; every option has lotus-sdk's default unless its Javadoc says otherwise,
 * and {@link Builder#build()} checks every value and names the option in its error.
 *
 * <pre>{@code
 * P2PConfig config = P2PConfig.builder()
 *     .listen("/ip4/0.0.0.0/tcp/4001")
 *     .bootstrapPeers("/ip4/203.0.113.7/tcp/4001/p2p/12D3KooW...")
 *     .dhtServer(true)
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 */
public final class P2PConfig {

  private final Optional<PrivateKey> identity;
  private final Optional<Path> identityFile;
  private final List<String> listen;
  private final List<String> announce;
  private final List<String> bootstrapPeers;
  private final boolean enableDht;
  private final String dhtProtocol;
  private final boolean dhtServer;
  private final boolean enableGossipSub;
  private final SecurityLimits securityLimits;
  private final int maxConnections;
  private final Duration dialTimeout;
  private final Duration sendTimeout;
  private final Duration discoverTimeout;
  private final Duration stateCheckInterval;
  private final Duration cleanupInterval;
  private final Duration republishInterval;
  private final Duration maxRecordAge;
  private final int fullyOperationalPeers;
  private final int maxLocalResources;
  private final int announcementQueueSize;
  private final Duration announcementQueueTtl;
  private final int listenerQueueCapacity;
  private final int handlerQueueCapacity;
  private final int maxResponseSize;
  private final int maxResourcesPerListing;
  private final BootstrapConfig bootstrap;
  private final int minMeshPeers;
  private final Duration meshCheckInterval;
  private final Optional<Executor> callbackExecutor;
  private final int callbackThreads;
  private final Clock clock;
  private final String agentVersion;

  private P2PConfig(Builder b) {
    identity = Optional.ofNullable(b.identity);
    identityFile = Optional.ofNullable(b.identityFile);
    listen = List.copyOf(b.listen);
    announce = List.copyOf(b.announce);
    bootstrapPeers = List.copyOf(b.bootstrapPeers);
    enableDht = b.enableDht;
    dhtProtocol = b.dhtProtocol;
    dhtServer = b.dhtServer;
    enableGossipSub = b.enableGossipSub;
    securityLimits = b.securityLimits;
    maxConnections = b.maxConnections;
    dialTimeout = b.dialTimeout;
    sendTimeout = b.sendTimeout;
    discoverTimeout = b.discoverTimeout;
    stateCheckInterval = b.stateCheckInterval;
    cleanupInterval = b.cleanupInterval;
    republishInterval = b.republishInterval;
    maxRecordAge = b.maxRecordAge;
    fullyOperationalPeers = b.fullyOperationalPeers;
    maxLocalResources = b.maxLocalResources;
    announcementQueueSize = b.announcementQueueSize;
    announcementQueueTtl = b.announcementQueueTtl;
    listenerQueueCapacity = b.listenerQueueCapacity;
    handlerQueueCapacity = b.handlerQueueCapacity;
    maxResponseSize = b.maxResponseSize;
    maxResourcesPerListing = b.maxResourcesPerListing;
    bootstrap = b.bootstrap;
    minMeshPeers = b.minMeshPeers;
    meshCheckInterval = b.meshCheckInterval;
    callbackExecutor = Optional.ofNullable(b.callbackExecutor);
    callbackThreads = b.callbackThreads;
    clock = b.clock;
    agentVersion = b.agentVersion;
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
    b.securityLimits = securityLimits;
    b.maxConnections = maxConnections;
    b.dialTimeout = dialTimeout;
    b.sendTimeout = sendTimeout;
    b.discoverTimeout = discoverTimeout;
    b.stateCheckInterval = stateCheckInterval;
    b.cleanupInterval = cleanupInterval;
    b.republishInterval = republishInterval;
    b.maxRecordAge = maxRecordAge;
    b.fullyOperationalPeers = fullyOperationalPeers;
    b.maxLocalResources = maxLocalResources;
    b.announcementQueueSize = announcementQueueSize;
    b.announcementQueueTtl = announcementQueueTtl;
    b.listenerQueueCapacity = listenerQueueCapacity;
    b.handlerQueueCapacity = handlerQueueCapacity;
    b.maxResponseSize = maxResponseSize;
    b.maxResourcesPerListing = maxResourcesPerListing;
    b.bootstrap = bootstrap;
    b.minMeshPeers = minMeshPeers;
    b.meshCheckInterval = meshCheckInterval;
    b.callbackExecutor = callbackExecutor.orElse(null);
    b.callbackThreads = callbackThreads;
    b.clock = clock;
    b.agentVersion = agentVersion;
    return b;
  }

  /** @return the identity key, when given */
  public Optional<PrivateKey> identity() {
    return identity;
  }

  /** @return the key file loaded (or created) at start, when given */
  public Optional<Path> identityFile() {
    return identityFile;
  }

  /** @return the listen addresses */
  public List<String> listen() {
    return listen;
  }

  /** @return the addresses announced to peers instead of the listen addresses, when not empty */
  public List<String> announce() {
    return announce;
  }

  /** @return the bootstrap peers' addresses, each ending in {@code /p2p/<peer ID>} */
  public List<String> bootstrapPeers() {
    return bootstrapPeers;
  }

  /** @return whether the Kad-DHT runs */
  public boolean enableDht() {
    return enableDht;
  }

  /** @return the DHT protocol ID */
  public String dhtProtocol() {
    return dhtProtocol;
  }

  /** @return whether the DHT answers queries (server mode) */
  public boolean dhtServer() {
    return dhtServer;
  }

  /** @return whether GossipSub runs */
  public boolean enableGossipSub() {
    return enableGossipSub;
  }

  /** @return the security manager's limits */
  public SecurityLimits securityLimits() {
    return securityLimits;
  }

  /** @return the most connections kept open */
  public int maxConnections() {
    return maxConnections;
  }

  /** @return the time limit of a dial */
  public Duration dialTimeout() {
    return dialTimeout;
  }

  /** @return the time limit of one direct message send */
  public Duration sendTimeout() {
    return sendTimeout;
  }

  /** @return the default time limit of a discover call */
  public Duration discoverTimeout() {
    return discoverTimeout;
  }

  /** @return how often the connection state is re-evaluated */
  public Duration stateCheckInterval() {
    return stateCheckInterval;
  }

  /** @return how often expired resources and idle security state are dropped */
  public Duration cleanupInterval() {
    return cleanupInterval;
  }

  /** @return how often announcements without expiry are re-published */
  public Duration republishInterval() {
    return republishInterval;
  }

  /** @return how old a resource record without expiry may be before readers refuse it */
  public Duration maxRecordAge() {
    return maxRecordAge;
  }

  /** @return routing-table peers needed for {@link ConnectionState#FULLY_OPERATIONAL} */
  public int fullyOperationalPeers() {
    return fullyOperationalPeers;
  }

  /** @return most resources kept in the local cache */
  public int maxLocalResources() {
    return maxLocalResources;
  }

  /** @return most announcements waiting for the DHT to become ready */
  public int announcementQueueSize() {
    return announcementQueueSize;
  }

  /** @return how long an announcement may wait for the DHT */
  public Duration announcementQueueTtl() {
    return announcementQueueTtl;
  }

  /** @return events a listener may fall behind before events for it are dropped */
  public int listenerQueueCapacity() {
    return listenerQueueCapacity;
  }

  /** @return messages a protocol handler may fall behind before messages for it are refused */
  public int handlerQueueCapacity() {
    return handlerQueueCapacity;
  }

  /** @return the largest response accepted by {@link P2PCoordinator#request} */
  public int maxResponseSize() {
    return maxResponseSize;
  }

  /** @return most resources one provider returns for a type listing */
  public int maxResourcesPerListing() {
    return maxResourcesPerListing;
  }

  /** @return the bootstrap manager's settings */
  public BootstrapConfig bootstrap() {
    return bootstrap;
  }

  /** @return mesh peers a subscribed topic needs to count as healthy */
  public int minMeshPeers() {
    return minMeshPeers;
  }

  /** @return how often topic meshes are checked */
  public Duration meshCheckInterval() {
    return meshCheckInterval;
  }

  /** @return the executor for listeners, handlers and futures, when given */
  public Optional<Executor> callbackExecutor() {
    return callbackExecutor;
  }

  /** @return threads of the coordinator's own callback pool (when no executor is given) */
  public int callbackThreads() {
    return callbackThreads;
  }

  /** @return the clock */
  public Clock clock() {
    return clock;
  }

  /** @return the agent version announced through identify */
  public String agentVersion() {
    return agentVersion;
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
    private SecurityLimits securityLimits = SecurityLimits.defaults();
    private int maxConnections = 50;
    private Duration dialTimeout = Duration.ofSeconds(10);
    private Duration sendTimeout = Duration.ofSeconds(10);
    private Duration discoverTimeout = Duration.ofSeconds(5);
    private Duration stateCheckInterval = Duration.ofSeconds(2);
    private Duration cleanupInterval = Duration.ofMinutes(5);
    private Duration republishInterval = Duration.ofHours(1);
    private Duration maxRecordAge = Duration.ofHours(48);
    private int fullyOperationalPeers = 3;
    private int maxLocalResources = 10_000;
    private int announcementQueueSize = 1000;
    private Duration announcementQueueTtl = Duration.ofMinutes(5);
    private int listenerQueueCapacity = 10_000;
    private int handlerQueueCapacity = 1000;
    private int maxResponseSize = 1 << 20;
    private int maxResourcesPerListing = 100;
    private BootstrapConfig bootstrap = BootstrapConfig.DEFAULT;
    private int minMeshPeers = 2;
    private Duration meshCheckInterval = Duration.ofSeconds(30);
    private Executor callbackExecutor;
    private int callbackThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private Clock clock = Clock.systemUTC();
    private String agentVersion = "lotus-p2p-java/0.1.0";

    private Builder() {}

    /**
     * The libp2p identity key; default a new Ed25519 key (or the {@link #identityFile} one).
     *
     * @param key the key
     * @return this builder
     */
    public Builder identity(PrivateKey key) {
      this.identity = Objects.requireNonNull(key, "identity");
      return this;
    }

    /**
     * A libp2p key file: loaded at start, or created (Ed25519, mode 600) when missing, so the peer
     * ID survives restarts. Default none.
     *
     * @param file the key file
     * @return this builder
     */
    public Builder identityFile(Path file) {
      this.identityFile = Objects.requireNonNull(file, "identityFile");
      return this;
    }

    /**
     * The listen addresses (TCP and {@code /ws}); default {@code /ip4/0.0.0.0/tcp/0}.
     *
     * @param addresses the addresses
     * @return this builder
     */
    public Builder listen(String... addresses) {
      this.listen = new ArrayList<>(List.of(addresses));
      return this;
    }

    /**
     * Addresses announced to peers instead of the listen addresses (for a node behind a port
     * forward or a load balancer); default none.
     *
     * @param addresses the addresses
     * @return this builder
     */
    public Builder announce(String... addresses) {
      this.announce = new ArrayList<>(List.of(addresses));
      return this;
    }

    /**
     * Bootstrap peers, dialled at start and kept connected; default none.
     *
     * @param addresses addresses ending in {@code /p2p/<peer ID>}
     * @return this builder
     */
    public Builder bootstrapPeers(String... addresses) {
      this.bootstrapPeers = new ArrayList<>(List.of(addresses));
      return this;
    }

    /**
     * Whether the Kad-DHT runs; default true.
     *
     * @param enable true to run it
     * @return this builder
     */
    public Builder enableDht(boolean enable) {
      this.enableDht = enable;
      return this;
    }

    /**
     * The DHT protocol ID; default {@code /lotus/kad/1.0.0}.
     *
     * @param protocolId the ID
     * @return this builder
     */
    public Builder dhtProtocol(String protocolId) {
      this.dhtProtocol = protocolId;
      return this;
    }

    /**
     * Whether the DHT serves queries and stores records for others (server mode); default false as
     * in lotus-sdk. A client-mode node still announces to and reads from the network.
     *
     * @param server true for server mode
     * @return this builder
     */
    public Builder dhtServer(boolean server) {
      this.dhtServer = server;
      return this;
    }

    /**
     * Whether GossipSub runs; default true.
     *
     * @param enable true to run it
     * @return this builder
     */
    public Builder enableGossipSub(boolean enable) {
      this.enableGossipSub = enable;
      return this;
    }

    /**
     * The security manager's limits; default {@link SecurityLimits#defaults()} (lotus-sdk's).
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder securityLimits(SecurityLimits limits) {
      this.securityLimits = Objects.requireNonNull(limits, "securityLimits");
      return this;
    }

    /**
     * The most open connections; beyond 90 % the oldest unprotected idle ones are closed. Default
     * 50 (lotus-sdk's {@code connectionManager.maxConnections}).
     *
     * @param max the limit
     * @return this builder
     */
    public Builder maxConnections(int max) {
      this.maxConnections = max;
      return this;
    }

    /**
     * The time limit of a dial; default 10 s.
     *
     * @param timeout the limit
     * @return this builder
     */
    public Builder dialTimeout(Duration timeout) {
      this.dialTimeout = timeout;
      return this;
    }

    /**
     * The time limit of one direct message send, dial included; default 10 s.
     *
     * @param timeout the limit
     * @return this builder
     */
    public Builder sendTimeout(Duration timeout) {
      this.sendTimeout = timeout;
      return this;
    }

    /**
     * The default time limit of {@link P2PCoordinator#discoverResource} and {@link
     * P2PCoordinator#discoverResources}; default 5 s.
     *
     * @param timeout the limit
     * @return this builder
     */
    public Builder discoverTimeout(Duration timeout) {
      this.discoverTimeout = timeout;
      return this;
    }

    /**
     * How often the connection state is re-evaluated besides on peer and routing-table events;
     * default 2 s.
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder stateCheckInterval(Duration interval) {
      this.stateCheckInterval = interval;
      return this;
    }

    /**
     * How often expired resources and idle security state are dropped; default 5 min.
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder cleanupInterval(Duration interval) {
      this.cleanupInterval = interval;
      return this;
    }

    /**
     * How often this node re-publishes (and re-signs) its announcements without expiry; default 1
     * hour. Announcements with a TTL are renewed every half TTL instead.
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder republishInterval(Duration interval) {
      this.republishInterval = interval;
      return this;
    }

    /**
     * How old a resource record without expiry may be before every node refuses it; default 48
     * hours, the DHT's record lifetime. Must exceed the republish interval.
     *
     * @param age the age
     * @return this builder
     */
    public Builder maxRecordAge(Duration age) {
      this.maxRecordAge = age;
      return this;
    }

    /**
     * Routing-table peers needed for {@link ConnectionState#FULLY_OPERATIONAL}; default 3.
     *
     * @param peers the threshold
     * @return this builder
     */
    public Builder fullyOperationalPeers(int peers) {
      this.fullyOperationalPeers = peers;
      return this;
    }

    /**
     * Most resources kept in the local cache (own and discovered); default 10,000.
     *
     * @param max the limit
     * @return this builder
     */
    public Builder maxLocalResources(int max) {
      this.maxLocalResources = max;
      return this;
    }

    /**
     * Most announcements waiting for the DHT routing table (the oldest is dropped beyond it, with
     * an error event); default 1,000.
     *
     * @param size the limit
     * @return this builder
     */
    public Builder announcementQueueSize(int size) {
      this.announcementQueueSize = size;
      return this;
    }

    /**
     * How long an announcement waits for the DHT before it is dropped from the queue (it stays in
     * the local cache and is published at the next republish); default 5 min.
     *
     * @param ttl the time
     * @return this builder
     */
    public Builder announcementQueueTtl(Duration ttl) {
      this.announcementQueueTtl = ttl;
      return this;
    }

    /**
     * Events a listener may fall behind before events for it are dropped and counted; default
     * 10,000.
     *
     * @param capacity the limit
     * @return this builder
     */
    public Builder listenerQueueCapacity(int capacity) {
      this.listenerQueueCapacity = capacity;
      return this;
    }

    /**
     * Messages a protocol handler may fall behind before further messages for it are refused (the
     * sender's stream is reset, the refusal counted); default 1,000.
     *
     * @param capacity the limit
     * @return this builder
     */
    public Builder handlerQueueCapacity(int capacity) {
      this.handlerQueueCapacity = capacity;
      return this;
    }

    /**
     * The largest response read by {@link P2PCoordinator#request}; default 1 MiB.
     *
     * @param bytes the limit
     * @return this builder
     */
    public Builder maxResponseSize(int bytes) {
      this.maxResponseSize = bytes;
      return this;
    }

    /**
     * Most resources one provider returns when asked for its resources of a type; default 100.
     *
     * @param max the limit
     * @return this builder
     */
    public Builder maxResourcesPerListing(int max) {
      this.maxResourcesPerListing = max;
      return this;
    }

    /**
     * The bootstrap manager's settings; default {@link BootstrapConfig#DEFAULT}.
     *
     * @param config the settings
     * @return this builder
     */
    public Builder bootstrap(BootstrapConfig config) {
      this.bootstrap = Objects.requireNonNull(config, "bootstrap");
      return this;
    }

    /**
     * Mesh peers a subscribed topic needs to count as healthy; default 2.
     *
     * @param peers the minimum
     * @return this builder
     */
    public Builder minMeshPeers(int peers) {
      this.minMeshPeers = peers;
      return this;
    }

    /**
     * How often topic meshes are checked; default 30 s.
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder meshCheckInterval(Duration interval) {
      this.meshCheckInterval = interval;
      return this;
    }

    /**
     * The executor for listeners, handlers, validators and future completions; default a pool
     * owned by the coordinator. A given executor is not shut down by {@code stop()}; it should not
     * reject tasks (a rejected task is retried, never dropped).
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "callbackExecutor");
      return this;
    }

    /**
     * Threads of the coordinator's own callback pool; default max(2, cores).
     *
     * @param threads the count
     * @return this builder
     */
    public Builder callbackThreads(int threads) {
      this.callbackThreads = threads;
      return this;
    }

    /**
     * The clock for timestamps, expiry and timers' notion of now; default UTC system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The agent version announced through identify; default {@code lotus-p2p-java/0.1.0}.
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
      if (identity != null && identityFile != null) {
        throw new IllegalArgumentException("give either identity or identityFile, not both");
      }
      if (listen.isEmpty()) {
        throw new IllegalArgumentException("listen needs at least one address");
      }
      for (String a : listen) {
        checkAddress(a, "listen", false);
      }
      for (String a : announce) {
        checkAddress(a, "announce", false);
      }
      for (String a : bootstrapPeers) {
        checkAddress(a, "bootstrapPeers", true);
      }
      try {
        ProtocolIds.check(dhtProtocol);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("dhtProtocol: " + e.getMessage(), e);
      }
      ConfigChecks.atLeast(maxConnections, 2, "maxConnections");
      ConfigChecks.positive(dialTimeout, "dialTimeout");
      ConfigChecks.positive(sendTimeout, "sendTimeout");
      ConfigChecks.positive(discoverTimeout, "discoverTimeout");
      ConfigChecks.positive(stateCheckInterval, "stateCheckInterval");
      ConfigChecks.positive(cleanupInterval, "cleanupInterval");
      ConfigChecks.positive(republishInterval, "republishInterval");
      ConfigChecks.positive(maxRecordAge, "maxRecordAge");
      if (maxRecordAge.compareTo(republishInterval.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException(
            "maxRecordAge ("
                + maxRecordAge
                + ") must be at least twice republishInterval ("
                + republishInterval
                + "), or records would expire between republications");
      }
      ConfigChecks.atLeast(fullyOperationalPeers, 1, "fullyOperationalPeers");
      ConfigChecks.atLeast(maxLocalResources, 1, "maxLocalResources");
      ConfigChecks.atLeast(announcementQueueSize, 1, "announcementQueueSize");
      ConfigChecks.positive(announcementQueueTtl, "announcementQueueTtl");
      ConfigChecks.atLeast(listenerQueueCapacity, 1, "listenerQueueCapacity");
      ConfigChecks.atLeast(handlerQueueCapacity, 1, "handlerQueueCapacity");
      ConfigChecks.atLeast(maxResponseSize, 1024, "maxResponseSize");
      ConfigChecks.atLeast(maxResourcesPerListing, 1, "maxResourcesPerListing");
      ConfigChecks.atLeast(minMeshPeers, 1, "minMeshPeers");
      ConfigChecks.positive(meshCheckInterval, "meshCheckInterval");
      ConfigChecks.atLeast(callbackThreads, 1, "callbackThreads");
      return new P2PConfig(this);
    }

    private static void checkAddress(String address, String option, boolean needsPeerId) {
      if (address == null) {
        throw new IllegalArgumentException(option + " contains null");
      }
      Multiaddr m;
      try {
        m = Multiaddr.parse(address);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            option + ": '" + address + "' is not a valid multiaddr: " + e.getMessage(), e);
      }
      if (needsPeerId && m.peerId().isEmpty()) {
        throw new IllegalArgumentException(
            option + ": '" + address + "' must end in /p2p/<peer ID>");
      }
    }
  }
}
