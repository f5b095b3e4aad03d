package org.lotusia.libp2p.internal.host;

import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.HandlerOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.HostStats;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.PeerStore;
import org.lotusia.libp2p.ProtocolBinding;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamHandler;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.mss.MssConfig;
import org.lotusia.libp2p.internal.transport.NettyTransport;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Host} implementation: the public API over the pieces that own the state: {@link
 * HostLifecycle} (start, close and the futures close fails), {@link HostNetwork} (event loops,
 * listeners, inbound upgrades), {@link ConnectionRegistry} (connections by peer, limits), {@link
 * Dialer} (outbound connections), {@link HandlerRegistry} (served protocols), {@link
 * InboundDispatch} (inbound streams to their handlers), {@link HostEvents} (listeners and peer
 * events), {@link ResourceManager} (the limits of {@link org.lotusia.libp2p.ResourceLimits}),
 * {@link HostIdentify} and {@link PeerIdentification} (identify and its waiters).
 *
 * <p>Thread-safe: everything lives in the pieces' own state. Network work runs on the transports'
 * event loops, everything user-visible on the callback executor.
 */
public final class HostImpl implements Host {

  private static final Logger LOG = LoggerFactory.getLogger(HostImpl.class);

  private final HostConfig config;
  private final PeerId peerId;
  private final CallbackExecutor callbacks;
  private final HostLifecycle lifecycle;
  private final HostEvents events;
  private final PeerStoreImpl peerStore;
  private final HostIdentify identify;
  private final MssConfig streamMss;
  private final HandlerRegistry handlers;
  private final PeerTags tags = new PeerTags();
  private final ConnectionTrimmer trimmer;
  private final RelaySupport relaySupport = new RelaySupport(this);
  private final HolePunchSupport holePunchSupport = new HolePunchSupport(this);
  private final HostAddresses addresses;
  private final ConnectionRegistry connections;
  private final HostGating gating;
  private final PeerIdentification identification;
  private final ProtocolMeters meters = new ProtocolMeters();
  private final HostStatsCollector stats;
  private final ResourceManager resources;
  private final Dialer dialer;
  private final HostNetwork network;
  private final InboundDispatch dispatch;

  /** Creates a host from validated settings; use {@link org.lotusia.libp2p.HostBuilder}. */
  public HostImpl(HostConfig config) {
    this.config = config;
    this.peerId = PeerId.fromPublicKey(config.identity().publicKey());
    Executor given = config.callbackExecutor();
    ExecutorService owned = given == null ? CallbackPool.create(config.callbackThreads()) : null;
    this.callbacks = new CallbackExecutor(given != null ? given : owned, config.clock());
    this.lifecycle = new HostLifecycle(this, owned);
    this.events =
        new HostEvents(callbacks, config.resourceLimits().maxQueuedEventsPerListener());
    this.addresses = new HostAddresses(this, config.announce(), config.noAnnounce());
    this.peerStore = new PeerStoreImpl(config.clock(), config.maxPeers(), 64, 256);
    this.streamMss = MssConfig.DEFAULT.withTimeout(config.streamNegotiationTimeout());
    this.handlers = new HandlerRegistry(callbacks, this::pushIdentify);
    this.trimmer = new ConnectionTrimmer(config.highWater(), config.lowWater(), tags);
    this.connections = new ConnectionRegistry(this, trimmer);
    this.gating = new HostGating(config.connectionGater(), callbacks, config.clock());
    this.identification = new PeerIdentification(this, connections);
    this.resources = new ResourceManager(config.resourceLimits(), config.clock());
    this.dispatch = new InboundDispatch(handlers, events, resources, config.clock());
    this.stats =
        new HostStatsCollector(
            connections,
            meters,
            gating,
            trimmer,
            callbacks,
            dispatch.refusedByExecutor(),
            resources);
    this.network = new HostNetwork(this, connections);
    this.dialer = new Dialer(this, connections);
    this.identify = new HostIdentify(this);
    addProtocol(identify.protocol().query());
    addProtocol(identify.protocol().push(identify::onIdentify));
  }

  HostConfig config() {
    return config;
  }

  CallbackExecutor callbacks() {
    return callbacks;
  }

  @Override
  public Executor callbackExecutor() {
    return callbacks;
  }

  MssConfig streamMssConfig() {
    return streamMss;
  }

  boolean serves(String protocol) {
    return handlers.serves(protocol);
  }

  HostEvents events() {
    return events;
  }

  /** Whether a host listener is so far behind that new inbound work must be refused. */
  boolean listenersBacklogged() {
    return events.backlogged();
  }

  PeerIdentification identification() {
    return identification;
  }

  HostGating gating() {
    return gating;
  }

  ProtocolMeters meters() {
    return meters;
  }

  ResourceManager resources() {
    return resources;
  }

  /** Whether {@code protocol} may run on limited connections. */
  boolean runsLimited(String protocol) {
    return handlers.runsLimited(protocol);
  }

  ConnectionRegistry registry() {
    return connections;
  }

  /** The hooks of circuit relay into this host. */
  public RelaySupport relaySupport() {
    return relaySupport;
  }

  /** The hooks of hole punching (DCUtR) into this host. */
  public HolePunchSupport holePunchSupport() {
    return holePunchSupport;
  }

  Dialer dialer() {
    return dialer;
  }

  HostNetwork network() {
    return network;
  }

  HostAddresses addressBook() {
    return addresses;
  }

  /** Called when the relayed listen addresses changed: recomputes the advertised set. */
  void listenAddressesChanged() {
    addresses.changed();
  }

  /** Called by the address manager when the advertised set changed: pushes identify. */
  void advertisedChanged() {
    pushIdentify();
  }

  // --- life cycle

  @Override
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public IdentityPrivateKey identity() {
    return config.identity();
  }

  @Override
  public CompletableFuture<Void> start() {
    return lifecycle.start();
  }

  NettyTransport transportFor(Multiaddr address, boolean listen) {
    return network.transportFor(address, listen);
  }

  /** The connection upgrader; set by {@link #start()}. */
  Upgrader upgrader() {
    return network.upgrader();
  }

  /** The event loop group created for {@code transport} by {@link #start()}. */
  EventLoopGroup eventLoopGroup(NettyTransport transport) {
    return network.eventLoopGroup(transport);
  }

  boolean isRunning() {
    return lifecycle.isRunning();
  }

  /**
   * Called by the registry once {@code conn} is registered: records the key, queues the open events
   * and starts identify.
   */
  void connectionOpened(ConnectionImpl conn) {
    peerStore.putPublicKey(conn.remotePeer(), conn.remoteKey());
    events.connectionOpened(conn);
    identify.run(conn);
  }

  /** Called by the registry once it forgot {@code conn}: queues the close events. */
  void connectionClosed(ConnectionImpl conn) {
    events.connectionClosed(conn);
    identification.removed(conn);
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    return lifecycle.close();
  }

  @Override
  public void close() {
    try {
      closeAsync().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      LOG.warn(
          "host {} did not close within {} s; closing goes on in the background",
          peerId,
          CLOSE_TIMEOUT.toSeconds());
    } catch (ExecutionException e) {
      // The close itself does not fail; a failure of a connection's close is no reason to throw
      // from close() (it would mask the exception of a try-with-resources block).
      LOG.warn("host {} closed with an error", peerId, e.getCause());
    }
  }

  @Override
  public List<Multiaddr> listenAddresses() {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : boundAddresses()) {
      out.add(a.withPeerId(peerId));
    }
    return out;
  }

  @Override
  public Set<Multiaddr> observedAddresses() {
    return addresses.observedAddresses();
  }

  @Override
  public List<Multiaddr> advertisedAddresses() {
    return isRunning() ? addresses.advertised() : List.of();
  }

  @Override
  public org.lotusia.libp2p.AddressManager addresses() {
    return addresses;
  }

  // --- dialling

  @Override
  public CompletableFuture<Connection> dial(Multiaddr address) {
    return dial(address, DialOptions.DEFAULT);
  }

  @Override
  public CompletableFuture<Connection> dial(PeerId peer) {
    Objects.requireNonNull(peer, "peer");
    return dialer.dialKnown(peer, peerStore.addresses(peer));
  }

  @Override
  public CompletableFuture<Connection> dial(Multiaddr address, DialOptions options) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(options, "options");
    return dialer.dial(address, options);
  }

  @Override
  public CompletableFuture<Stream> newStream(PeerId peer, List<String> protocols) {
    Objects.requireNonNull(peer, "peer");
    ProtocolIds.checkAll(protocols);
    return dialer.streamTo(peer, protocols, peerStore.addresses(peer));
  }

  @Override
  public CompletableFuture<Stream> newStreamWithData(
      PeerId peer, String protocol, byte[] data, boolean closeWrite) {
    Objects.requireNonNull(peer, "peer");
    List<String> protocols = List.of(protocol);
    ProtocolIds.checkAll(protocols);
    byte[] copy = data.clone();
    return dialer.streamTo(
        peer,
        protocols,
        peerStore.addresses(peer),
        c -> c.newStreamWithData(protocol, copy, closeWrite));
  }

  @Override
  public CompletableFuture<Stream> newStream(Multiaddr address, List<String> protocols) {
    ProtocolIds.checkAll(protocols);
    return dial(address).thenCompose(c -> c.newStream(protocols));
  }

  @Override
  public <C> CompletableFuture<C> newStream(Multiaddr address, ProtocolBinding<C> binding) {
    return dial(address).thenCompose(c -> newStream(c, binding));
  }

  @Override
  public <C> CompletableFuture<C> newStream(Connection connection, ProtocolBinding<C> binding) {
    return connection
        .newStream(binding.protocolIds(), binding.runOnLimitedConnection())
        .thenCompose(
            stream -> {
              CompletableFuture<C> controller;
              try {
                controller = binding.initiate(stream);
              } catch (RuntimeException e) {
                controller = CompletableFuture.failedFuture(e);
              }
              return controller.whenComplete(
                  (c, e) -> {
                    if (e != null) {
                      stream.reset();
                    }
                  });
            });
  }

  // --- handlers

  @Override
  public void setStreamHandler(String protocol, StreamHandler handler) {
    setStreamHandler(protocol, handler, HandlerOptions.DEFAULT);
  }

  @Override
  public void setStreamHandler(String protocol, StreamHandler handler, HandlerOptions options) {
    handlers.set(protocol, handler, options);
  }

  @Override
  public void addProtocol(ProtocolBinding<?> binding) {
    handlers.add(binding);
  }

  @Override
  public void removeStreamHandler(String protocol) {
    handlers.remove(protocol);
  }

  @Override
  public List<String> protocols() {
    return handlers.protocols();
  }

  /** Hands a negotiated inbound stream to its handler or refuses it ({@link InboundDispatch}). */
  void dispatchInbound(StreamImpl stream) {
    dispatch.dispatch(stream);
  }

  void fireStreamOpened(StreamImpl stream) {
    events.streamOpened(stream);
  }

  /** The bound listen addresses and the relayed ones, without the trailing {@code /p2p}. */
  List<Multiaddr> boundAddresses() {
    List<Multiaddr> addrs = new ArrayList<>(network.boundAddresses());
    addrs.addAll(relaySupport.extraAddresses());
    return addrs;
  }

  /** The registered connections. */
  Set<ConnectionImpl> openConnections() {
    return connections.all();
  }

  private void pushIdentify() {
    if (isRunning()) {
      identify.pushToAll();
    }
  }

  // --- peers

  @Override
  public List<Connection> connections() {
    return List.copyOf(connections.all());
  }

  @Override
  public List<Connection> connections(PeerId peer) {
    return List.copyOf(connections.connections(Objects.requireNonNull(peer, "peer")));
  }

  @Override
  public boolean isConnected(PeerId peer) {
    return connections.isConnected(Objects.requireNonNull(peer, "peer"));
  }

  @Override
  public Set<PeerId> connectedPeers() {
    return connections.peers();
  }

  @Override
  public CompletableFuture<Void> disconnect(PeerId peer) {
    List<ConnectionImpl> open = connections.connections(Objects.requireNonNull(peer, "peer"));
    if (open.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    CompletableFuture<?>[] closes =
        open.stream().map(ConnectionImpl::close).toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(closes).whenComplete((v, e) -> completeLater(result, null, null));
    return result;
  }

  @Override
  public CompletableFuture<IdentifyInfo> identified(PeerId peer) {
    return identification.identified(Objects.requireNonNull(peer, "peer"));
  }

  @Override
  public void protect(PeerId peer, String tag) {
    tags.protect(peer, tag);
  }

  @Override
  public boolean unprotect(PeerId peer, String tag) {
    return tags.unprotect(peer, tag);
  }

  @Override
  public void tagPeer(PeerId peer, String tag, int value) {
    tags.tag(peer, tag, value);
  }

  @Override
  public void untagPeer(PeerId peer, String tag) {
    tags.untag(peer, tag);
  }

  @Override
  public HostStats stats() {
    return stats.collect();
  }

  @Override
  public PeerStore peerStore() {
    return peerStore;
  }

  @Override
  public void addListener(HostListener listener) {
    events.add(listener);
  }

  @Override
  public void removeListener(HostListener listener) {
    events.remove(listener);
  }

  /** Registers a future to be failed when the host closes (see {@link HostLifecycle#track}). */
  <T> CompletableFuture<T> track(CompletableFuture<T> future) {
    return lifecycle.track(future);
  }

  /** Completes {@code future} on the callback executor (never on the caller's thread). */
  <T> void completeLater(CompletableFuture<T> future, T value, Throwable error) {
    lifecycle.completeLater(future, value, error);
  }

  static Throwable unwrap(Throwable t) {
    return HostLifecycle.unwrap(t);
  }

  @Override
  public String toString() {
    return "Host[" + peerId + "]";
  }
}
