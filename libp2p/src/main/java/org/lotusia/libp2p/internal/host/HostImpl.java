package org.lotusia.libp2p.internal.host;

import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.PeerStore;
import org.lotusia.libp2p.ProtocolBinding;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamHandler;
import org.lotusia.libp2p.crypto.PrivateKey;
import org.lotusia.libp2p.internal.mss.MssConfig;
import org.lotusia.libp2p.internal.transport.NettyTransport;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Host} implementation: the life-cycle state, the pending futures that close fails, and
 * the public API over the pieces that own the rest: {@link HostNetwork} (event loops, listeners,
 * inbound upgrades), {@link ConnectionRegistry} (connections by peer, limits), {@link Dialer}
 * (outbound connections), {@link HandlerRegistry} (served protocols, inbound dispatch), {@link
 * HostEvents} (listeners and peer events), {@link HostIdentify} and {@link PeerIdentification}
 * (identify and its waiters).
 *
 * <p>Thread-safe: life-cycle changes are guarded by {@code this}, everything else lives in the
 * pieces' concurrent state. Network work runs on the transports' event loops, everything
 * user-visible on the callback executor.
 */
public final class HostImpl implements Host {

  private static final Logger LOG = LoggerFactory.getLogger(HostImpl.class);

  private enum State {
    NEW,
    STARTING,
    RUNNING,
    CLOSED
  }

  private final HostConfig config;
  private final PeerId peerId;
  private final Executor callbacks;
  private final ExecutorService ownedCallbacks;
  private final HostEvents events;
  private final PeerStoreImpl peerStore;
  private final HostIdentify identify;
  private final MssConfig streamMss;
  private final HandlerRegistry handlers;
  private final PeerTags tags = new PeerTags();
  private final ConnectionTrimmer trimmer;
  private final ConnectionRegistry connections;
  private final HostGating gating;
  private final PeerIdentification identification;
  private final Dialer dialer;
  private final HostNetwork network;
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private State state = State.NEW;

  /** Creates a host from validated settings; use {@link org.lotusia.libp2p.HostBuilder}. */
  public HostImpl(HostConfig config) {
    this.config = config;
    this.peerId = PeerId.fromPublicKey(config.identity().publicKey());
    if (config.callbackExecutor() != null) {
      this.callbacks = config.callbackExecutor();
      this.ownedCallbacks = null;
    } else {
      this.ownedCallbacks = CallbackPool.create(config.callbackThreads());
      this.callbacks = ownedCallbacks;
    }
    this.events = new HostEvents(callbacks);
    this.peerStore = new PeerStoreImpl(config.clock(), config.maxPeers(), 64, 256);
    this.streamMss = MssConfig.DEFAULT.withTimeout(config.streamNegotiationTimeout());
    this.handlers = new HandlerRegistry(callbacks, this::pushIdentify);
    this.trimmer = new ConnectionTrimmer(config.highWater(), config.lowWater(), tags);
    this.connections = new ConnectionRegistry(this, trimmer);
    this.gating = new HostGating(config.connectionGater(), callbacks, config.clock());
    this.identification = new PeerIdentification(this, connections);
    this.network = new HostNetwork(this, connections);
    this.dialer = new Dialer(this, connections);
    this.identify = new HostIdentify(this);
    addProtocol(identify.protocol().query());
    addProtocol(identify.protocol().push(identify::onIdentify));
  }

  HostConfig config() {
    return config;
  }

  Executor callbacks() {
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

  PeerIdentification identification() {
    return identification;
  }

  HostGating gating() {
    return gating;
  }

  // --- life cycle

  @Override
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public PrivateKey identity() {
    return config.identity();
  }

  @Override
  public synchronized CompletableFuture<Void> start() {
    if (state != State.NEW) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("host was already started (state " + state + ")"));
    }
    state = State.STARTING;
    CompletableFuture<Void> result = new CompletableFuture<>();
    network
        .start()
        .whenComplete(
            (v, e) -> {
              synchronized (this) {
                if (e == null && state == State.STARTING) {
                  state = State.RUNNING;
                }
              }
              if (e != null) {
                close().whenComplete((x, y) -> result.completeExceptionally(unwrap(e)));
              } else {
                LOG.info("host {} listening on {}", peerId, listenAddresses());
                result.complete(null);
              }
            });
    return result;
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

  synchronized boolean isRunning() {
    return state == State.RUNNING || state == State.STARTING;
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
  public CompletableFuture<Void> close() {
    synchronized (this) {
      if (state == State.CLOSED) {
        return stopped;
      }
      state = State.CLOSED;
    }
    ConnectionClosedException closing = new ConnectionClosedException("host " + peerId + " closed");
    for (CompletableFuture<?> f : List.copyOf(pending)) {
      f.completeExceptionally(closing);
    }
    network
        .stop(connections.all())
        .whenComplete(
            (v, e) -> {
              // Let already queued callbacks (close events) run before the owned pool stops.
              events.afterQueued(
                  () -> {
                    if (ownedCallbacks != null) {
                      ownedCallbacks.shutdown();
                    }
                    stopped.complete(null);
                  });
            });
    return stopped;
  }

  @Override
  public List<Multiaddr> listenAddresses() {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : network.boundAddresses()) {
      out.add(a.withPeerId(peerId));
    }
    return out;
  }

  @Override
  public Set<Multiaddr> observedAddresses() {
    return identify.observed();
  }

  // --- dialling

  @Override
  public CompletableFuture<Connection> dial(Multiaddr address) {
    return dial(address, DialOptions.DEFAULT);
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
    Optional<ConnectionImpl> existing = connections.best(peer);
    if (existing.isPresent()) {
      return existing.get().newStream(protocols);
    }
    List<Multiaddr> addresses = peerStore.addresses(peer);
    if (addresses.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no connection to and no address for peer " + peer));
    }
    return dialer.dialAny(addresses, peer).thenCompose(c -> c.newStream(protocols));
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
        .newStream(binding.protocolIds())
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
    handlers.set(protocol, handler);
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

  /** Hands a negotiated inbound stream to its handler on the callback executor. */
  void dispatchInbound(StreamImpl stream) {
    events.streamOpened(stream);
    handlers.dispatch(stream);
  }

  void fireStreamOpened(StreamImpl stream) {
    events.streamOpened(stream);
  }

  /** The bound listen addresses without {@code /p2p}. */
  List<Multiaddr> boundAddresses() {
    return network.boundAddresses();
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

  /** Registers a future to be failed when the host closes. */
  <T> CompletableFuture<T> track(CompletableFuture<T> future) {
    // Added before the check: close() either fails it from the set or this check sees CLOSED.
    pending.add(future);
    future.whenComplete((v, e) -> pending.remove(future));
    if (!isRunning()) {
      future.completeExceptionally(new ConnectionClosedException("host " + peerId + " closed"));
    }
    return future;
  }

  /** Completes {@code future} on the callback executor. */
  <T> void completeLater(CompletableFuture<T> future, T value, Throwable error) {
    Runnable r =
        () -> {
          if (error != null) {
            future.completeExceptionally(unwrap(error));
          } else {
            future.complete(value);
          }
        };
    try {
      callbacks.execute(r);
    } catch (RuntimeException e) {
      r.run();
    }
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  @Override
  public String toString() {
    return "Host[" + peerId + "]";
  }
}
