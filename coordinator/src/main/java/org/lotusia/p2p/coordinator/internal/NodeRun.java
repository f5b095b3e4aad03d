package org.lotusia.p2p.coordinator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.HandlerOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.WebSocketOptions;
import org.lotusia.libp2p.WebSocketTls;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.protocol.kad.KadDht;
import org.lotusia.libp2p.protocol.kad.KadDhtConfig;
import org.lotusia.libp2p.protocol.kad.KadListener;
import org.lotusia.libp2p.protocol.pubsub.GossipSub;
import org.lotusia.libp2p.protocol.pubsub.GossipSubConfig;
import org.lotusia.libp2p.protocol.pubsub.PeerScoreParams;
import org.lotusia.libp2p.protocol.autonat.AutoNat;
import org.lotusia.libp2p.protocol.autonat.AutoNatConfig;
import org.lotusia.libp2p.protocol.autonat.AutoNatServer;
import org.lotusia.libp2p.protocol.autonat.AutoNatServerConfig;
import org.lotusia.libp2p.protocol.dcutr.Dcutr;
import org.lotusia.libp2p.protocol.dcutr.DcutrConfig;
import org.lotusia.libp2p.protocol.kad.KadDht;
import org.lotusia.libp2p.protocol.kad.KadDhtConfig;
import org.lotusia.libp2p.protocol.kad.KadListener;
import org.lotusia.libp2p.protocol.pubsub.GossipSub;
import org.lotusia.libp2p.protocol.pubsub.GossipSubConfig;
import org.lotusia.libp2p.protocol.relay.AutoRelay;
import org.lotusia.libp2p.protocol.relay.AutoRelayConfig;
import org.lotusia.libp2p.protocol.relay.CircuitRelay;
import org.lotusia.libp2p.protocol.relay.CircuitRelayConfig;
import org.lotusia.libp2p.protocol.relay.Reachability;
import org.lotusia.libp2p.protocol.relay.RelayService;
import org.lotusia.libp2p.protocol.relay.RelayServiceConfig;
import org.lotusia.libp2p.upnp.UpnpEvent;
import org.lotusia.libp2p.upnp.UpnpNat;
import org.lotusia.libp2p.stack.Transports;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.WssConfig;
import org.lotusia.p2p.coordinator.resource.LocalResources;
import org.lotusia.p2p.coordinator.resource.ResourceRecordPolicy;
import org.lotusia.p2p.coordinator.resource.ResourceService;
import org.lotusia.p2p.security.CoreSecurityManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a coordinator, from {@code start()} to {@code stop()}: the libp2p host, the DHT and
 * GossipSub built with lotus-sdk's options (reference section 3), the services on top, and the
 * periodic tasks. Everything it creates it also ends: {@link #stop()} cancels every timer, stops
 * the bootstrap manager and closes the DHT, GossipSub and the host.
 */
public final class NodeRun {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRun.class);
  private static final int MAX_KNOWN_PEERS = 1000;

  /** The shared state of this run. */
  public final Context ctx;

  /** Connected and known peers. */
  public final PeerTracker peers;

  /** Direct messages. */
  public final MessageService messages;

  /** Request/response. */
  public final RequestService requests;

  /** Topics, when GossipSub runs. */
  public final Optional<TopicService> topics;

  /** Mesh health, when GossipSub runs. */
  public final Optional<MeshMonitor> mesh;

  /** Resources. */
  public final ResourceService resources;

  /** Bootstrap peers. */
  public final BootstrapManager bootstrap;

  /** Peers lost without this node asking for it, redialled. */
  public final LostPeers lostPeers;

  /** Security wiring. */
  public final SecurityGate gate;

  /** The circuit relay client, when relaying is enabled. */
  public final Optional<CircuitRelay> relay;

  /** The relay service for others, when enabled. */
  public final Optional<RelayService> relayServer;

  private Optional<AutoRelay> autoRelay = Optional.empty();
  private Optional<AutoNat> autoNat = Optional.empty();
  private Optional<AutoNatServer> autoNatServer = Optional.empty();
  private Optional<Dcutr> dcutr = Optional.empty();
  private Optional<UpnpNat> upnp = Optional.empty();

  private final StateMachine state;
  private final HandlerRegistry handlers;
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();
  private List<String> lastRelayAddresses = List.of(); // touched only on the service scheduler

  /**
   * Builds a run (nothing is started).
   *
   * @param config the configuration
   * @param identity the identity key
   * @param security the security manager
   * @param events the event bus
   * @param handlers the protocol handlers
   * @param local the resource cache
   * @param state the state machine
   * @param callbacks the callback executor
   * @param scheduler the service scheduler
   */
  public NodeRun(
      P2PConfig config,
      IdentityPrivateKey identity,
      CoreSecurityManager security,
      EventBus events,
      HandlerRegistry handlers,
      LocalResources local,
      StateMachine state,
      java.util.concurrent.Executor callbacks,
      ScheduledExecutorService scheduler) {
    this.state = state;
    this.handlers = handlers;
    ResourceRecordPolicy policy =
        new ResourceRecordPolicy(
            config.clock(), config.securityLimits().maxClockSkew(), config.resources().maxRecordAge());
    GateHolder holder = new GateHolder();
    Host host = buildHost(config, identity, callbacks, holder);
    Optional<KadDht> dht =
        config.enableDht() ? Optional.of(new KadDht(host, kadConfig(config, policy, holder), config.clock())) : Optional.empty();
    Optional<GossipSub> gossip =
        config.enableGossipSub()
            ? Optional.of(new GossipSub(host, gossipConfig(config, security)))
            : Optional.empty();
    this.ctx = new Context(config, host, dht, gossip, security, events, callbacks, scheduler);
    this.gate = new SecurityGate(ctx);
    holder.gate = gate;
    this.peers = new PeerTracker(ctx, handlers, MAX_KNOWN_PEERS);
    this.messages = new MessageService(ctx, handlers, peers);
    this.requests = new RequestService(ctx, peers);
    this.topics = gossip.map(g -> new TopicService(ctx, g));
    this.mesh = gossip.map(g -> new MeshMonitor(ctx, g, topics.get()));
    this.resources = new ResourceService(ctx, local, policy, requests, peers);
    this.bootstrap = new BootstrapManager(ctx);
    this.lostPeers = new LostPeers(ctx, bootstrap.peers(), gate::allowDial);
    this.relay =
        config.enableRelay()
            ? Optional.of(new CircuitRelay(host, CircuitRelayConfig.DEFAULT, config.clock()))
            : Optional.empty();
    this.relayServer =
        config.enableRelayServer()
            ? Optional.of(
                new RelayService(
                    host, RelayServiceConfig.builder().maxReservations(100).build(), config.clock()))
            : Optional.empty();
  }

  /** Lets the gater and the DHT filter exist before the run that owns them. */
  private static final class GateHolder
      implements org.lotusia.libp2p.ConnectionGater, org.lotusia.libp2p.protocol.kad.InboundRecordFilter {
    volatile SecurityGate gate;

    @Override
    public boolean allowDial(PeerId peer) {
      return gate == null || gate.allowDial(peer);
    }

    @Override
    public boolean allowSecured(
        PeerId peer, org.lotusia.libp2p.Direction direction, org.lotusia.libp2p.Multiaddr addr) {
      return gate == null || gate.allowSecured(peer, direction, addr);
    }

    @Override
    public boolean accept(PeerId from, byte[] key, byte[] value) {
      return gate != null && gate.accept(from, key, value);
    }
  }

  private static Host buildHost(
      P2PConfig config, IdentityPrivateKey identity, java.util.concurrent.Executor callbacks, GateHolder gate) {
    HostBuilder b =
        new HostBuilder()
            .identity(identity)
            .transports(
                Transports.tcp(),
                // /wss listeners need the configured certificate; /ws is unchanged beside them
                Transports.websocket(
                    WebSocketOptions.DEFAULT,
                    config.wss().map(WssConfig::load).orElse(WebSocketTls.DEFAULT)))
            .connectionLimits(
                config.maxConnections(),
                Math.max(1, config.maxConnections() * 9 / 10),
                Math.max(1, config.maxConnections() * 8 / 10))
            .dialTimeout(config.dialTimeout())
            .callbackExecutor(callbacks)
            .clock(config.clock())
            .agentVersion(config.agentVersion())
            .connectionGater(gate)
            .resourceLimits(config.resourceLimits());
    for (String a : config.listen()) {
      b.listen(a);
    }
    for (String a : config.announce()) {
      b.announce(a);
    }
    return b.build();
  }

  private static KadDhtConfig kadConfig(P2PConfig config, ResourceRecordPolicy policy, GateHolder gate) {
    return KadDhtConfig.builder()
        .protocolId(config.dhtProtocol())
        .clientMode(!config.dhtServer())
        .unnamespacedValidator(policy)
        .unnamespacedSelector(policy)
        .inboundRecordFilter(gate)
        .persistence(config.dhtPersistence())
        .build();
  }

  private static GossipSubConfig gossipConfig(P2PConfig config, CoreSecurityManager security) {
    // lotus-sdk: StrictSign (the default), emitSelf false, doPX true, allowPublishToZeroTopicPeers;
    // P5 comes from the security manager (lotus-sdk scores nothing of its own)
    return GossipSubConfig.builder()
        .score(
            PeerScoreParams.builder()
                .appSpecificScore(new SecurityScore(security), SecurityScore.WEIGHT)
                .build())
        .doPx(true)
        .emitSelf(false)
        .allowPublishToZeroTopicPeers(true)
        .clock(config.clock())
        .build();
  }

  /**
   * Starts the host and the services, dials the bootstrap peers and starts the timers.
   *
   * @return completes when the node listens and the first bootstrap dials finished
   */
  public CompletableFuture<Void> start() {
    Host host = ctx.host();
    host.addListener(peers);
    host.addListener(bootstrap);
    host.addListener(lostPeers);
    host.addListener(
        new HostListener() {
          @Override
          public void peerConnected(PeerId peer) {
            reevaluate();
          }

          @Override
          public void peerDisconnected(PeerId peer) {
            reevaluate();
          }
        });
    ctx.security().addListener(gate);
    messages.install();
    for (HandlerRegistry.Entry e : handlers.all()) {
      serveStreams(e);
    }
    ctx.dht()
        .ifPresent(
            d ->
                d.addListener(
                    new KadListener() {
                      @Override
                      public void peerAdded(PeerId peer) {
                        peers.discovered(peer, host.peerStore().addresses(peer));
                        reevaluate();
                      }

                      @Override
                      public void peerRemoved(PeerId peer) {
                        reevaluate();
                      }
                    }));
    return host.start()
        .thenCompose(
            v -> {
              CompletableFuture<Void> dht =
                  ctx.dht().map(KadDht::start).orElse(CompletableFuture.completedFuture(null));
              CompletableFuture<Void> gossip =
                  ctx.gossip().map(GossipSub::start).orElse(CompletableFuture.completedFuture(null));
              return CompletableFuture.allOf(dht, gossip);
            })
        .thenCompose(
            v -> {
              resources.start();
              startTimers();
              startNatTraversal();
              return bootstrap.start();
            })
        .thenRun(this::reevaluate);
  }

  /**
   * Serves the raw streams of a handler that wants them.
   *
   * @param e the handler's entry
   */
  public void serveStreams(HandlerRegistry.Entry e) {
    e.handler()
        .streamProtocolId()
        .ifPresent(
            id ->
                ctx.host()
                    .setStreamHandler(
                        id,
                        stream -> {
                          String remote = stream.connection().remotePeer().toBase58();
                          if (!ctx.security().checkConnection(remote).accepted()) {
                            stream.reset();
                            return;
                          }
                          try {
                            e.handler().handleStream(stream, peers.info(remote));
                          } catch (Exception ex) {
                            LOG.warn("stream handler of '{}' threw; stream reset", e.handler().protocolName(), ex);
                            stream.reset();
                          }
                        },
                        e.handler().runOnLimitedConnection()
                            ? HandlerOptions.LIMITED_OK
                            : HandlerOptions.DEFAULT));
  }

  /**
   * AutoNAT (client and server), AutoRelay (reservations on hop-capable connected peers, asked for
   * only when AutoNAT does not say the node is public; lotus-sdk finds its relays among the
   * bootstrap peers the same way) and DCUtR, all on the service scheduler.
   */
  private void startNatTraversal() {
    P2PConfig c = ctx.config();
    if (c.enableAutoNat()) {
      autoNatServer = Optional.of(new AutoNatServer(ctx.host(), AutoNatServerConfig.DEFAULT, c.clock()));
      autoNat = Optional.of(new AutoNat(ctx.host(), AutoNatConfig.DEFAULT, c.clock(), ctx.scheduler()));
    }
    AutoRelayConfig.Builder relayConfig = AutoRelayConfig.builder();
    autoNat.ifPresent(a -> relayConfig.reachability(a.reachabilitySupplier()));
    autoRelay = relay.map(r -> new AutoRelay(r, relayConfig.build(), c.clock(), ctx.scheduler()));
    if (c.enableDcutr() && relay.isPresent()) {
      dcutr = Optional.of(new Dcutr(ctx.host(), DcutrConfig.DEFAULT));
    }
    if (c.enableUpnp()) {
      // mapped addresses reach the address manager unconfirmed: AutoNAT tests them before they
      // are advertised; the discovery and SOAP calls run on UPnP's own thread
      UpnpNat u = new UpnpNat(ctx.host(), c.upnp(), c.clock());
      upnp = Optional.of(u);
      // a new mapping can make an address reachable that AutoNAT already found unreachable (the
      // NAT's own mapping of the listen port is often the same address): test it afresh
      u.addListener(
          ev -> {
            if (ev.type() == UpnpEvent.Type.MAPPING_ACTIVE) {
              autoNat.ifPresent(a -> a.recheck(ev.mapping().external()));
            }
          });
      u.start()
          .whenComplete(
              (mapped, e) -> {
                if (e != null) {
                  LOG.warn("UPnP port mapping did not start: {}", e.toString());
                } else {
                  LOG.info("UPnP: {} port(s) mapped{}", mapped.size(),
                      u.doubleNat() ? " (double NAT: nothing mapped)" : "");
                  autoNat.ifPresent(AutoNat::trigger);
                }
              });
    }
  }

  /**
   * What AutoNAT concluded about this node.
   *
   * @return public, private or unknown; empty when AutoNAT is off
   */
  public Optional<Reachability> reachability() {
    return autoNat.map(AutoNat::reachability);
  }

  private void startTimers() {
    P2PConfig c = ctx.config();
    every(c.monitor().stateCheckInterval().toMillis(), this::reevaluateNow);
    every(1000, () -> resources.publisher().tick());
    every(c.monitor().cleanupInterval().toMillis(), this::cleanup);
    mesh.ifPresent(m -> every(c.monitor().meshCheckInterval().toMillis(), m::check));
    if (!c.messageChannelIdle().isZero()) {
      every(Math.max(1000, c.messageChannelIdle().toMillis() / 2), messages::closeIdleChannels);
    }
  }

  private void every(long millis, Runnable task) {
    Runnable guarded =
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.warn("periodic task failed", e);
            ctx.events()
                .publish(new P2PEvent.Error("periodic task failed: " + e, "timer-failed", Optional.of(e), ctx.now()));
          }
        };
    synchronized (timers) {
      timers.add(ctx.scheduler().scheduleWithFixedDelay(guarded, millis, millis, TimeUnit.MILLISECONDS));
    }
  }

  private void reevaluate() {
    try {
      ctx.scheduler().execute(this::reevaluateNow);
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      // the coordinator is stopping
    }
  }

  private void reevaluateNow() {
    state.evaluate(ctx, bootstrap.configured());
    List<String> relay = Addresses.relay(ctx.host());
    if (!relay.equals(lastRelayAddresses)) {
      lastRelayAddresses = relay;
      P2PEvent.RelayAddressesChanged e =
          new P2PEvent.RelayAddressesChanged(
              ctx.selfId(), Addresses.reachable(ctx.host()), relay, ctx.now());
      ctx.events().publish(e);
      handlers.notifyAll(h -> h.onRelayAddressesChanged(e));
    }
  }

  /**
   * Drops expired resources, frees their quota slots, and drops idle security state.
   *
   * @return resources dropped from the local cache
   */
  public int cleanup() {
    int n = resources.cleanup();
    gate.releaseExpired();
    ctx.security().cleanup();
    return n;
  }

  /**
   * Ends the run: timers, bootstrap, topics, DHT, GossipSub, host.
   *
   * @return completes when the host closed
   */
  public CompletableFuture<Void> stop() {
    synchronized (timers) {
      for (ScheduledFuture<?> t : timers) {
        t.cancel(false);
      }
      timers.clear();
    }
    bootstrap.stop();
    lostPeers.stop();
    autoRelay.ifPresent(AutoRelay::close);
    upnp.ifPresent(UpnpNat::close); // deletes the mappings, bounded by the HTTP timeout
    dcutr.ifPresent(Dcutr::close);
    autoNat.ifPresent(AutoNat::close);
    autoNatServer.ifPresent(AutoNatServer::close);
    relay.ifPresent(CircuitRelay::close);
    relayServer.ifPresent(RelayService::close);
    ctx.security().removeListener(gate);
    topics.ifPresent(TopicService::close);
    ctx.gossip().ifPresent(GossipSub::close);
    ctx.dht().ifPresent(KadDht::close);
    return ctx.host().closeAsync();
  }
}
