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
 * Builds a {@link P2PConfig}, starting from lotus-sdk's defaults ({@link P2PConfig#builder()}) or
 * from a configuration ({@link P2PConfig#toBuilder()}); not thread-safe.
 */
public final class P2PConfigBuilder {
  IdentityPrivateKey identity;
  Path identityFile;
  List<String> listen = new ArrayList<>(List.of("/ip4/0.0.0.0/tcp/0"));
  List<String> announce = new ArrayList<>();
  List<String> bootstrapPeers = new ArrayList<>();
  boolean enableDht = true;
  String dhtProtocol = ProtocolIds.KAD;
  boolean dhtServer = false;
  boolean enableGossipSub = true;
  boolean enableRelay = true;
  boolean enableRelayServer = false;
  boolean enableAutoNat = true;
  boolean enableDcutr = true;
  boolean enableUpnp = false;
  UpnpConfig upnp = UpnpConfig.DEFAULT;
  WssConfig wss;
  SecurityLimits securityLimits = SecurityLimits.defaults();
  int maxConnections = 50;
  Duration dialTimeout = Duration.ofSeconds(10);
  Duration sendTimeout = Duration.ofSeconds(10);
  Duration messageChannelIdle = Duration.ofMinutes(2);
  Duration discoverTimeout = Duration.ofSeconds(5);
  int listenerQueueCapacity = 10_000;
  int handlerQueueCapacity = 1000;
  int maxResponseSize = 1 << 20;
  BootstrapConfig bootstrap = BootstrapConfig.DEFAULT;
  ResourceConfig resources = ResourceConfig.DEFAULT;
  MonitorConfig monitor = MonitorConfig.DEFAULT;
  Executor callbackExecutor;
  int callbackThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
  Clock clock = Clock.systemUTC();
  String agentVersion = "lotus-p2p-java/0.1.0";
  RecordPersistence dhtPersistence = RecordPersistence.NONE;
  ResourceLimits resourceLimits = ResourceLimits.DEFAULT;

  P2PConfigBuilder() {}

  /**
   * Sets {@link P2PConfig#resourceLimits()}.
   *
   * @param limits the limits
   * @return this builder
   */
  public P2PConfigBuilder resourceLimits(ResourceLimits limits) {
    this.resourceLimits = Objects.requireNonNull(limits, "resourceLimits");
    return this;
  }

  /**
   * Sets {@link P2PConfig#dhtPersistence()}.
   *
   * @param persistence the store
   * @return this builder
   */
  public P2PConfigBuilder dhtPersistence(RecordPersistence persistence) {
    this.dhtPersistence = Objects.requireNonNull(persistence, "dhtPersistence");
    return this;
  }

  /**
   * Sets {@link P2PConfig#identity()}.
   *
   * @param key the key
   * @return this builder
   */
  public P2PConfigBuilder identity(IdentityPrivateKey key) {
    this.identity = Objects.requireNonNull(key, "identity");
    return this;
  }

  /**
   * Sets {@link P2PConfig#identityFile()}.
   *
   * @param file the key file
   * @return this builder
   */
  public P2PConfigBuilder identityFile(Path file) {
    this.identityFile = Objects.requireNonNull(file, "identityFile");
    return this;
  }

  /**
   * Sets {@link P2PConfig#listen()}.
   *
   * @param addresses the addresses
   * @return this builder
   */
  public P2PConfigBuilder listen(String... addresses) {
    this.listen = new ArrayList<>(List.of(addresses));
    return this;
  }

  /**
   * Sets {@link P2PConfig#announce()}.
   *
   * @param addresses the addresses
   * @return this builder
   */
  public P2PConfigBuilder announce(String... addresses) {
    this.announce = new ArrayList<>(List.of(addresses));
    return this;
  }

  /**
   * Sets {@link P2PConfig#bootstrapPeers()}.
   *
   * @param addresses addresses ending in {@code /p2p/<peer ID>}
   * @return this builder
   */
  public P2PConfigBuilder bootstrapPeers(String... addresses) {
    this.bootstrapPeers = new ArrayList<>(List.of(addresses));
    return this;
  }

  /**
   * Sets {@link P2PConfig#enableDht()}.
   *
   * @param enable true to run it
   * @return this builder
   */
  public P2PConfigBuilder enableDht(boolean enable) {
    this.enableDht = enable;
    return this;
  }

  /**
   * Sets {@link P2PConfig#dhtProtocol()}.
   *
   * @param protocolId the protocol ID
   * @return this builder
   */
  public P2PConfigBuilder dhtProtocol(String protocolId) {
    this.dhtProtocol = protocolId;
    return this;
  }

  /**
   * Sets {@link P2PConfig#dhtServer()}.
   *
   * @param server true for server mode
   * @return this builder
   */
  public P2PConfigBuilder dhtServer(boolean server) {
    this.dhtServer = server;
    return this;
  }

  /**
   * Sets {@link P2PConfig#enableGossipSub()}.
   *
   * @param enable true to run it
   * @return this builder
   */
  public P2PConfigBuilder enableGossipSub(boolean enable) {
    this.enableGossipSub = enable;
    return this;
  }

  /**
   * Sets {@link P2PConfig#enableRelay()}.
   *
   * @param enable true to run it
   * @return this builder
   */
  public P2PConfigBuilder enableRelay(boolean enable) {
    this.enableRelay = enable;
    return this;
  }

  /**
   * Sets {@link P2PConfig#enableRelayServer()}.
   *
   * @param enable true to relay for others
   * @return this builder
   */
  public P2PConfigBuilder enableRelayServer(boolean enable) {
    this.enableRelayServer = enable;
    return this;
  }

  /**
   * Sets {@link P2PConfig#enableAutoNat()}.
   *
   * @param enable true to run it
   * @return this builder
   */
  public P2PConfigBuilder enableAutoNat(boolean enable) {
    this.enableAutoNat = enable;
    return this;
  }

  /**
   * Sets {@link P2PConfig#enableDcutr()}.
   *
   * @param enable true to run it
   * @return this builder
   */
  public P2PConfigBuilder enableDcutr(boolean enable) {
    this.enableDcutr = enable;
    return this;
  }

  /**
   * Sets {@link P2PConfig#enableUpnp()}.
   *
   * @param enable true to map ports on the LAN's UPnP gateway
   * @return this builder
   */
  public P2PConfigBuilder enableUpnp(boolean enable) {
    this.enableUpnp = enable;
    return this;
  }

  /**
   * Sets {@link P2PConfig#upnp()}.
   *
   * @param upnp the UPnP settings
   * @return this builder
   */
  public P2PConfigBuilder upnp(UpnpConfig upnp) {
    this.upnp = Objects.requireNonNull(upnp, "upnp");
    return this;
  }

  /**
   * Sets {@link P2PConfig#wss()}.
   *
   * @param wss the certificate of {@code /wss} listeners, or null for none
   * @return this builder
   */
  public P2PConfigBuilder wss(WssConfig wss) {
    this.wss = wss;
    return this;
  }

  /**
   * Sets {@link P2PConfig#securityLimits()}.
   *
   * @param limits the limits
   * @return this builder
   */
  public P2PConfigBuilder securityLimits(SecurityLimits limits) {
    this.securityLimits = Objects.requireNonNull(limits, "securityLimits");
    return this;
  }

  /**
   * Sets {@link P2PConfig#maxConnections()}.
   *
   * @param max the limit
   * @return this builder
   */
  public P2PConfigBuilder maxConnections(int max) {
    this.maxConnections = max;
    return this;
  }

  /**
   * Sets {@link P2PConfig#dialTimeout()}.
   *
   * @param timeout the limit
   * @return this builder
   */
  public P2PConfigBuilder dialTimeout(Duration timeout) {
    this.dialTimeout = timeout;
    return this;
  }

  /**
   * Sets {@link P2PConfig#sendTimeout()}.
   *
   * @param timeout the limit
   * @return this builder
   */
  public P2PConfigBuilder sendTimeout(Duration timeout) {
    this.sendTimeout = timeout;
    return this;
  }

  /**
   * Sets {@link P2PConfig#messageChannelIdle()}.
   *
   * @param idle how long an unused channel stays open; {@link Duration#ZERO} for no channels
   * @return this builder
   */
  public P2PConfigBuilder messageChannelIdle(Duration idle) {
    this.messageChannelIdle = idle;
    return this;
  }

  /**
   * Sets {@link P2PConfig#discoverTimeout()}.
   *
   * @param timeout the limit
   * @return this builder
   */
  public P2PConfigBuilder discoverTimeout(Duration timeout) {
    this.discoverTimeout = timeout;
    return this;
  }

  /**
   * Sets {@link P2PConfig#listenerQueueCapacity()}.
   *
   * @param capacity the limit
   * @return this builder
   */
  public P2PConfigBuilder listenerQueueCapacity(int capacity) {
    this.listenerQueueCapacity = capacity;
    return this;
  }

  /**
   * Sets {@link P2PConfig#handlerQueueCapacity()}.
   *
   * @param capacity the limit
   * @return this builder
   */
  public P2PConfigBuilder handlerQueueCapacity(int capacity) {
    this.handlerQueueCapacity = capacity;
    return this;
  }

  /**
   * Sets {@link P2PConfig#maxResponseSize()}.
   *
   * @param bytes the limit
   * @return this builder
   */
  public P2PConfigBuilder maxResponseSize(int bytes) {
    this.maxResponseSize = bytes;
    return this;
  }

  /**
   * Sets {@link P2PConfig#bootstrap()}.
   *
   * @param config the settings
   * @return this builder
   */
  public P2PConfigBuilder bootstrap(BootstrapConfig config) {
    this.bootstrap = Objects.requireNonNull(config, "bootstrap");
    return this;
  }

  /**
   * Sets {@link P2PConfig#resources()}.
   *
   * @param config the settings
   * @return this builder
   */
  public P2PConfigBuilder resources(ResourceConfig config) {
    this.resources = Objects.requireNonNull(config, "resources");
    return this;
  }

  /**
   * Sets {@link P2PConfig#monitor()}.
   *
   * @param config the settings
   * @return this builder
   */
  public P2PConfigBuilder monitor(MonitorConfig config) {
    this.monitor = Objects.requireNonNull(config, "monitor");
    return this;
  }

  /**
   * Sets {@link P2PConfig#callbackExecutor()}.
   *
   * @param executor an executor that does not reject tasks; not shut down by the coordinator
   * @return this builder
   */
  public P2PConfigBuilder callbackExecutor(Executor executor) {
    this.callbackExecutor = Objects.requireNonNull(executor, "callbackExecutor");
    return this;
  }

  /**
   * Sets {@link P2PConfig#callbackThreads()}.
   *
   * @param threads the count
   * @return this builder
   */
  public P2PConfigBuilder callbackThreads(int threads) {
    this.callbackThreads = threads;
    return this;
  }

  /**
   * Sets {@link P2PConfig#clock()}.
   *
   * @param clock the clock
   * @return this builder
   */
  public P2PConfigBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Sets {@link P2PConfig#agentVersion()}.
   *
   * @param agentVersion the text
   * @return this builder
   */
  public P2PConfigBuilder agentVersion(String agentVersion) {
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
        enableUpnp,
        upnp,
        Optional.ofNullable(wss),
        securityLimits,
        maxConnections,
        dialTimeout,
        sendTimeout,
        messageChannelIdle,
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
        dhtPersistence,
        resourceLimits);
  }
}
