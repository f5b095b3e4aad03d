package org.lotusia.p2p.coordinator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.ResourceLimits;
import org.lotusia.libp2p.protocol.kad.RecordPersistence;
import org.lotusia.libp2p.upnp.UpnpConfig;
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
 * @param enableUpnp whether the node maps its TCP listen ports on the LAN's UPnP gateway (false, as
 *     lotus-sdk); a mapped address is advertised once AutoNAT confirms it reachable
 * @param upnp the UPnP settings used when {@code enableUpnp} ({@link UpnpConfig#DEFAULT}: SSDP on
 *     the LAN's multicast group, one-hour leases renewed at half)
 * @param wss the certificate of {@code /wss} listen addresses (none: a {@code /wss} listen
 *     address fails the start with a message saying so)
 * @param securityLimits the security manager's limits (lotus-sdk's)
 * @param maxConnections the most open connections (50); beyond 90 % the trimmer closes the least valuable
 * @param dialTimeout the time limit of a dial (10 s)
 * @param sendTimeout the time limit of one direct message send, dial included (10 s)
 * @param messageChannelIdle how long a message channel (one stream carrying many direct messages,
 *     used towards peers that announce {@link ProtocolIds#MESSAGE_CHANNEL}) stays open unused (2
 *     min); {@link Duration#ZERO}: no channels, one stream per message to every peer, as lotus-sdk
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
 * @param resourceLimits the host's resource manager limits: connections in their upgrade in total
 *     and per IP, inbound rate per IP, connections per peer, streams per connection and per protocol
 *     ({@link ResourceLimits#DEFAULT})
 */
public record P2PConfig(
    Optional<IdentityPrivateKey> identity,
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
    boolean enableUpnp,
    UpnpConfig upnp,
    Optional<WssConfig> wss,
    SecurityLimits securityLimits,
    int maxConnections,
    Duration dialTimeout,
    Duration sendTimeout,
    Duration messageChannelIdle,
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
    RecordPersistence dhtPersistence,
    ResourceLimits resourceLimits) {

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
    Objects.requireNonNull(upnp, "upnp");
    Objects.requireNonNull(wss, "wss");
    Objects.requireNonNull(securityLimits, "securityLimits");
    ConfigChecks.atLeast(maxConnections, 2, "maxConnections");
    ConfigChecks.positive(dialTimeout, "dialTimeout");
    ConfigChecks.positive(sendTimeout, "sendTimeout");
    Objects.requireNonNull(messageChannelIdle, "messageChannelIdle");
    if (messageChannelIdle.isNegative()) {
      throw new IllegalArgumentException(
          "messageChannelIdle must be zero (no channels) or positive, got " + messageChannelIdle);
    }
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
    Objects.requireNonNull(resourceLimits, "resourceLimits");
  }

  /**
   * A builder with the defaults.
   *
   * @return a new builder
   */
  public static P2PConfigBuilder builder() {
    return new P2PConfigBuilder();
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
  public P2PConfigBuilder toBuilder() {
    P2PConfigBuilder b = new P2PConfigBuilder();
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
    b.enableUpnp = enableUpnp;
    b.upnp = upnp;
    b.wss = wss.orElse(null);
    b.securityLimits = securityLimits;
    b.maxConnections = maxConnections;
    b.dialTimeout = dialTimeout;
    b.sendTimeout = sendTimeout;
    b.messageChannelIdle = messageChannelIdle;
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
    b.resourceLimits = resourceLimits;
    return b;
  }
}
