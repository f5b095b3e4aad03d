package org.lotusia.libp2p.internal.host;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.HandlerOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.PeerStore;
import org.lotusia.libp2p.ProtocolBinding;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamHandler;
import org.lotusia.libp2p.Transport;
import org.lotusia.libp2p.crypto.PrivateKey;
import org.lotusia.libp2p.internal.mss.MssConfig;
import org.lotusia.libp2p.internal.transport.Futures;
import org.lotusia.libp2p.internal.transport.NettyTransport;
import org.lotusia.libp2p.internal.transport.NettyTransport.BoundListener;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Host} implementation. Connections, handlers and listeners live in concurrent
 * collections; life-cycle changes are guarded by {@code this}. Network work runs on the transports'
 * event loops, everything user-visible on the callback executor. The connection table and its
 * limits live in a {@link ConnectionRegistry}, outbound dialling in a {@link Dialer}.
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
  private final SerialExecutor events;
  private final PeerStoreImpl peerStore;
  private final HostIdentify identify;
  private final MssConfig streamMss;
  private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();

  /** Protocols that may run on limited (relayed) connections. */
  private final Set<String> limitedOk = ConcurrentHashMap.newKeySet();

  private final RelaySupport relaySupport = new RelaySupport(this);
  private final List<HostListener> listeners = new CopyOnWriteArrayList<>();
  private final ConnectionRegistry connections;
  private final Dialer dialer;
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

  /** Inbound channels in the upgrade: not yet connections, closed by {@link #close()}. */
  private final Set<Channel> upgrading = ConcurrentHashMap.newKeySet();

  private final Map<NettyTransport, EventLoopGroup> groups = new IdentityHashMap<>();
  private final List<BoundListener> bound = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private Upgrader upgrader;
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
    this.events = new SerialExecutor(callbacks);
    this.peerStore = new PeerStoreImpl(config.clock(), config.maxPeers(), 64, 256);
    this.streamMss = MssConfig.DEFAULT.withTimeout(config.streamNegotiationTimeout());
    this.connections = new ConnectionRegistry(this);
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

  MssConfig streamMssConfig() {
    return streamMss;
  }

  boolean serves(String protocol) {
    return handlers.containsKey(protocol);
  }

  /** Whether {@code protocol} may run on limited connections. */
  boolean runsLimited(String protocol) {
    return limitedOk.contains(protocol);
  }

  ConnectionRegistry registry() {
    return connections;
  }

  /** The hooks of circuit relay into this host. */
  public RelaySupport relaySupport() {
    return relaySupport;
  }

  /** Called when the relayed listen addresses changed: pushes identify to connected peers. */
  void listenAddressesChanged() {
    pushIdentify();
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
    for (Transport t : config.transports()) {
      NettyTransport nt = (NettyTransport) t;
      groups.put(nt, nt.newEventLoopGroup(config.eventLoopThreads()));
    }
    List<String> muxerIds = config.muxer().protocolIds();
    upgrader =
        new Upgrader(
            this,
            config.security(),
            muxerIds,
            ((YamuxChannelMuxer) config.muxer()).config(),
            config.handshakeTimeout());
    List<CompletableFuture<BoundListener>> binds = new ArrayList<>();
    for (Multiaddr address : config.listenAddresses()) {
      NettyTransport t = transportFor(address, true);
      if (t == null) {
        binds.add(
            CompletableFuture.failedFuture(
                new IllegalArgumentException("no transport can listen on " + address)));
        continue;
      }
      binds.add(
          t.listen(address, groups.get(t), inboundInitializer(t))
              .thenApply(
                  l -> {
                    bound.add(l);
                    return l;
                  }));
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    CompletableFuture.allOf(binds.toArray(CompletableFuture[]::new))
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
    for (Transport t : config.transports()) {
      if (listen ? t.canListen(address) : t.canDial(address)) {
        return (NettyTransport) t;
      }
    }
    return null;
  }

  private ChannelInitializer<Channel> inboundInitializer(NettyTransport transport) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        // added before the running check, so that close() either sees it or it sees close()
        upgrading.add(ch);
        ch.closeFuture().addListener(f -> upgrading.remove(ch));
        if (!isRunning() || connections.atLimit()) {
          LOG.debug(
              "refusing inbound connection from {}: limit or not running", ch.remoteAddress());
          ch.close();
          return;
        }
        connections.upgradeStarted();
        upgrader
            .upgrade(ch, transport, Direction.INBOUND, null, config.handshakeTimeout())
            .whenComplete(
                (conn, error) -> {
                  connections.upgradeFinished();
                  if (error != null) {
                    LOG.debug(
                        "inbound upgrade from {} failed: {}", ch.remoteAddress(), error.toString());
                  } else {
                    connections.accept(conn);
                  }
                  upgrading.remove(ch); // a connection now, or closed
                });
      }
    };
  }

  /** The connection upgrader; set by {@link #start()}. */
  Upgrader upgrader() {
    return upgrader;
  }

  /** The event loop group created for {@code transport} by {@link #start()}. */
  synchronized EventLoopGroup eventLoopGroup(NettyTransport transport) {
    return groups.get(transport);
  }

  synchronized boolean isRunning() {
    return state == State.RUNNING || state == State.STARTING;
  }

  /** Called by the registry once {@code conn} is registered: records it and runs identify. */
  void connectionOpened(ConnectionImpl conn) {
    peerStore.putPublicKey(conn.remotePeer(), conn.remoteKey());
    events.execute(() -> each(l -> l.connectionOpened(conn)));
    callbacks.execute(() -> identify.run(conn));
  }

  /** Called by the registry when it forgets {@code conn}: fires the close event. */
  void connectionClosed(ConnectionImpl conn) {
    events.execute(
        () -> {
          conn.closed();
          each(l -> l.connectionClosed(conn));
        });
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
    List<CompletableFuture<Void>> closes = new ArrayList<>();
    for (BoundListener l : bound) {
      closes.add(Futures.toVoid(l.channel().close()));
    }
    for (ConnectionImpl c : connections.all()) {
      closes.add(Futures.toVoid(c.channel().close()));
    }
    // closed and awaited before the event loops stop, so that every handler is removed cleanly
    for (Channel ch : List.copyOf(upgrading)) {
      closes.add(Futures.toVoid(ch.close()));
    }
    CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new))
        .handle((v, e) -> null)
        .thenCompose(
            v -> {
              List<CompletableFuture<Void>> shutdowns = new ArrayList<>();
              synchronized (this) {
                for (Map.Entry<NettyTransport, EventLoopGroup> g : groups.entrySet()) {
                  if (!g.getKey().sharesEventLoops()) {
                    shutdowns.add(
                        Futures.toVoid(g.getValue().shutdownGracefully(0, 2, TimeUnit.SECONDS)));
                  }
                }
              }
              return CompletableFuture.allOf(shutdowns.toArray(CompletableFuture[]::new));
            })
        .whenComplete(
            (v, e) -> {
              // Let already queued callbacks (close events) run before the owned pool stops.
              events.execute(
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
    for (Multiaddr a : boundAddresses()) {
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
    return dialer.streamTo(peer, protocols, peerStore.addresses(peer));
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
    ProtocolIds.check(protocol);
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    if (options.runOnLimitedConnection()) {
      limitedOk.add(protocol);
    } else {
      limitedOk.remove(protocol);
    }
    StreamHandler previous = handlers.put(protocol, handler);
    if (previous == null) {
      pushIdentify();
    }
  }

  @Override
  public void addProtocol(ProtocolBinding<?> binding) {
    for (String id : binding.protocolIds()) {
      setStreamHandler(
          id,
          stream -> {
            CompletableFuture<?> f;
            try {
              f = binding.respond(stream);
            } catch (RuntimeException e) {
              f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete(
                (c, e) -> {
                  if (e != null) {
                    LOG.debug("responder of {} failed: {}", id, e.toString());
                    stream.reset();
                  }
                });
          },
          binding.runOnLimitedConnection() ? HandlerOptions.LIMITED_OK : HandlerOptions.DEFAULT);
    }
  }

  @Override
  public void removeStreamHandler(String protocol) {
    limitedOk.remove(protocol);
    if (handlers.remove(protocol) != null) {
      pushIdentify();
    }
  }

  @Override
  public List<String> protocols() {
    return handlers.keySet().stream().sorted().toList();
  }

  /** Hands a negotiated inbound stream to its handler on the callback executor. */
  void dispatchInbound(StreamImpl stream) {
    fireStreamOpened(stream);
    callbacks.execute(
        () -> {
          StreamHandler handler = handlers.get(stream.protocol());
          if (handler == null) {
            stream.reset();
            return;
          }
          try {
            handler.handle(stream);
          } catch (RuntimeException e) {
            LOG.warn("stream handler for {} threw; resetting the stream", stream.protocol(), e);
            stream.reset();
          }
        });
  }

  void fireStreamOpened(StreamImpl stream) {
    events.execute(() -> each(l -> l.streamOpened(stream)));
  }

  /** The bound listen addresses and the relayed ones, without the trailing {@code /p2p}. */
  List<Multiaddr> boundAddresses() {
    List<Multiaddr> addrs = new ArrayList<>();
    for (BoundListener l : bound) {
      addrs.add(l.address());
    }
    addrs.addAll(relaySupport.extraAddresses());
    return addrs;
  }

  /** The registered connections. */
  Set<ConnectionImpl> openConnections() {
    return connections.all();
  }

  void fireIdentifyCompleted(Connection conn, IdentifyInfo info) {
    events.execute(() -> each(l -> l.identifyCompleted(conn, info)));
  }

  private void pushIdentify() {
    if (isRunning()) {
      identify.pushToAll();
    }
  }

  // --- misc

  @Override
  public List<Connection> connections() {
    return List.copyOf(connections.all());
  }

  @Override
  public List<Connection> connections(PeerId peer) {
    return connections.all().stream()
        .filter(c -> c.remotePeer().equals(peer))
        .map(c -> (Connection) c)
        .toList();
  }

  @Override
  public PeerStore peerStore() {
    return peerStore;
  }

  @Override
  public void addListener(HostListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeListener(HostListener listener) {
    listeners.remove(listener);
  }

  private void each(java.util.function.Consumer<HostListener> call) {
    for (HostListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("host listener {} threw; ignored", l, e);
      }
    }
  }

  /** Registers a future to be failed when the host closes. */
  <T> CompletableFuture<T> track(CompletableFuture<T> future) {
    if (!isRunning()) {
      future.completeExceptionally(new ConnectionClosedException("host " + peerId + " closed"));
      return future;
    }
    pending.add(future);
    future.whenComplete((v, e) -> pending.remove(future));
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
