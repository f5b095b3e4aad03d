package org.lotusia.p2p.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.PeerStoreView;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.p2p.coordinator.internal.Addresses;
import org.lotusia.p2p.coordinator.internal.Context;
import org.lotusia.p2p.coordinator.internal.EventBus;
import org.lotusia.p2p.coordinator.internal.HandlerRegistry;
import org.lotusia.p2p.coordinator.internal.Json;
import org.lotusia.p2p.coordinator.internal.NodeRun;
import org.lotusia.p2p.coordinator.internal.StateMachine;
import org.lotusia.p2p.coordinator.internal.Threads;
import org.lotusia.p2p.coordinator.resource.LocalResources;
import org.lotusia.p2p.protocol.MessageAuthenticator;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.security.CoreSecurityManager;

/**
 * The SDK's front door (lotus-sdk's {@code P2PCoordinator}): one object that runs a libp2p node with
 * the Kad-DHT, GossipSub and the security manager, and offers peers, direct messages, broadcast,
 * topics, resources, request/response and events.
 *
 * <pre>{@code
 * P2PCoordinator node = new P2PCoordinator(P2PConfig.builder().listen("/ip4/0.0.0.0/tcp/0").build());
 * node.start().join();
 * node.on(P2PEvent.MessageReceived.class, e -> System.out.println(e.message().type()));
 * node.connectToPeer("/ip4/192.0.2.1/tcp/4001/p2p/12D3KooW...").join();
 * node.stop().join();
 * }</pre>
 *
 * <p>Every inbound path passes the {@link CoreSecurityManager}: connections (a connection gater
 * refuses banned peers), direct messages and requests (size, validation, sender binding,
 * de-duplication, rate limits, protocol validators), topic messages (bans, size, rate) and DHT
 * records (signature, expiry, rate limits and quotas of the storing peer). A banned peer is
 * disconnected.
 *
 * <p>Life cycle: {@link #start()} and {@link #stop()} may alternate; listeners, protocol handlers,
 * the security manager's state and this node's own resources survive a stop, and the identity
 * stays the same. {@link #close()} stops for good. Methods that need the network throw {@link
 * IllegalStateException} ("node is not started") before {@code start()} completed.
 *
 * <p>Threading: every method is thread-safe and never blocks. Futures complete, and listeners and
 * handlers run, on the callback executor, never on a network or service thread.
 *
 * <p>Peer IDs: every call that takes a peer takes the base58 string lotus-sdk uses ({@code
 * 12D3KooW...}; an invalid one gives {@link IllegalArgumentException}) and has an overload that
 * takes a libp2p {@link PeerId} ({@code disconnectFromPeer}, {@code getPeer}, {@code isConnected},
 * {@code sendTo}, {@code request}); the overload converts with {@link PeerId#toBase58()} and is
 * otherwise the same call. Events, messages ({@link P2PMessage#from()}) and the security manager
 * speak strings because the protocol and security modules do not depend on libp2p: they are the
 * lotus-sdk message layer, usable (and tested) without a libp2p stack, and the base58 string is the
 * form lotus-sdk puts on the wire. Parse one with {@link PeerId#parse(String)} where a libp2p
 * call needs it.
 */
public final class P2PCoordinator
    implements PeerNetwork, Messaging, Topics, Resources, EventSource, AutoCloseable {

  private final P2PConfig config;
  private final CoreSecurityManager security;
  private final Executor callbacks;
  private final EventBus events;
  private final HandlerRegistry handlers;
  private final LocalResources resources;
  private final StateMachine state;
  private final NodeLifecycle lifecycle;

  /**
   * Creates a coordinator (not started).
   *
   * @param config the configuration
   */
  public P2PCoordinator(P2PConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    String label = Integer.toHexString(System.identityHashCode(this));
    ScheduledThreadPoolExecutor scheduler = Threads.scheduler(label);
    ExecutorService ownedCallbacks = null;
    if (config.callbackExecutor().isPresent()) {
      this.callbacks = config.callbackExecutor().get();
    } else {
      ownedCallbacks = Threads.callbackPool(config.callbackThreads(), label);
      this.callbacks = ownedCallbacks;
    }
    this.events = new EventBus(callbacks, scheduler, config.listenerQueueCapacity());
    this.security =
        CoreSecurityManager.builder()
            .limits(config.securityLimits())
            .clock(config.clock())
            .authenticator(MessageAuthenticator.senderBinding())
            .eventExecutor(callbacks)
            .build();
    this.handlers = new HandlerRegistry(callbacks, scheduler, config.handlerQueueCapacity());
    this.resources = new LocalResources(config.resources().maxLocalResources());
    this.state = new StateMachine(events, config.clock());
    this.lifecycle =
        new NodeLifecycle(
            config, security, events, handlers, resources, state, callbacks, ownedCallbacks, scheduler);
  }

  // --- life cycle

  /**
   * Starts the node: loads or creates the identity, listens, starts the DHT and GossipSub, dials
   * the bootstrap peers, re-publishes this node's resources. State goes to {@code CONNECTING}, then
   * follows the peers; on failure to {@code ERROR} and the future fails.
   *
   * @return completes when the node listens and the first bootstrap dials finished
   */
  public CompletableFuture<Void> start() {
    return lifecycle.start();
  }

  /**
   * Stops the node: cancels every timer, closes every connection and the listeners, and ends the
   * threads it started (idle threads end within a second). Listeners, handlers and own resources
   * are kept for a later {@link #start()}. State goes to {@code DISCONNECTED}. Idempotent.
   *
   * @return completes when the host closed
   */
  public CompletableFuture<Void> stop() {
    return lifecycle.stop();
  }

  /**
   * Stops for good and shuts down the coordinator's own threads; waits up to 10 s.
   */
  @Override
  public void close() {
    lifecycle.close();
  }

  // --- identity and state

  /**
   * This node's peer ID.
   *
   * @return the base58 peer ID
   * @throws IllegalStateException before the first {@code start()}
   */
  public String peerId() {
    IdentityPrivateKey identity = lifecycle.identity();
    if (identity == null) {
      throw new IllegalStateException("node is not started");
    }
    return org.lotusia.libp2p.PeerId.fromPublicKey(identity.publicKey()).toBase58();
  }

  /**
   * The configuration.
   *
   * @return the configuration
   */
  public P2PConfig config() {
    return config;
  }

  /**
   * The security manager (lotus-sdk's {@code getCoreSecurityManager()}): register validators, ban
   * and unban, read metrics.
   *
   * @return the manager
   */
  public CoreSecurityManager securityManager() {
    return security;
  }

  /**
   * The executor that runs this coordinator's callbacks (listeners, handlers, future completions):
   * the configured {@code callbackExecutor}, else the coordinator's own pool. Layers built on the
   * coordinator (discovery, MuSig2 sessions) run their application callbacks here too. Tasks given
   * to it must not block for long.
   *
   * @return the callback executor
   */
  public Executor callbackExecutor() {
    return callbacks;
  }

  /**
   * The connection state.
   *
   * @return the state
   */
  public ConnectionState connectionState() {
    return state.state();
  }

  /**
   * Why the state is {@link ConnectionState#ERROR}.
   *
   * @return the error, or empty
   */
  public Optional<String> connectionStateError() {
    return state.error();
  }

  // --- peers

  @Override
  public CompletableFuture<PeerInfo> connectToPeer(String multiaddr) {
    NodeRun r = lifecycle.running();
    Multiaddr addr;
    try {
      addr = Multiaddr.parse(multiaddr);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + multiaddr + "' is not a valid multiaddr: " + e.getMessage(), e);
    }
    return r.ctx.host().dial(addr).thenApply(c -> r.peers.info(c.remotePeer().toBase58()));
  }

  @Override
  public CompletableFuture<Void> disconnectFromPeer(String peerId) {
    NodeRun r = lifecycle.running();
    PeerId peer = Context.parsePeer(peerId);
    r.lostPeers.dropping(peer);
    return r.ctx.host().disconnect(peer);
  }

  @Override
  public List<PeerInfo> getConnectedPeers() {
    NodeRun r = lifecycle.current();
    return r == null ? List.of() : r.peers.connected();
  }

  @Override
  public Optional<PeerInfo> getPeer(String peerId) {
    NodeRun r = lifecycle.current();
    return r == null ? Optional.empty() : r.peers.find(peerId);
  }

  @Override
  public boolean isConnected(String peerId) {
    NodeRun r = lifecycle.current();
    return r != null && r.ctx.host().isConnected(Context.parsePeer(peerId));
  }

  @Override
  public PeerStoreView peerStore() {
    return lifecycle.running().ctx.host().peerStore();
  }

  // --- protocols and messages

  @Override
  public void registerProtocol(ProtocolHandler handler) {
    HandlerRegistry.Entry e = handlers.register(handler);
    NodeRun r = lifecycle.current();
    if (r != null) {
      r.serveStreams(e);
    }
  }

  @Override
  public boolean unregisterProtocol(String protocolName) {
    HandlerRegistry.Entry e = handlers.unregister(protocolName);
    NodeRun r = lifecycle.current();
    if (e != null && r != null) {
      e.handler().streamProtocolId().ifPresent(r.ctx.host()::removeStreamHandler);
    }
    return e != null;
  }

  @Override
  public P2PMessage createMessage(String type, Object payload, String protocol) {
    JsonNode p = payload == null ? null : Json.toTree(payload);
    return security.protocol().createMessage(type, p, peerId(), null, protocol, null);
  }

  @Override
  public CompletableFuture<Void> sendTo(String peerId, P2PMessage message) {
    return sendTo(peerId, message, ProtocolIds.MESSAGE);
  }

  @Override
  public CompletableFuture<Void> sendTo(String peerId, P2PMessage message, String protocolId) {
    return lifecycle.running().messages.sendTo(peerId, message, protocolId);
  }

  @Override
  public CompletableFuture<BroadcastResult> broadcast(P2PMessage message) {
    return broadcast(message, BroadcastOptions.DEFAULT);
  }

  @Override
  public CompletableFuture<BroadcastResult> broadcast(P2PMessage message, BroadcastOptions options) {
    return lifecycle.running().messages.broadcast(message, options);
  }

  @Override
  public Registration handleRequests(String protocolId, RequestHandler handler) {
    return lifecycle.running().requests.serve(protocolId, handler);
  }

  @Override
  public <T> CompletableFuture<T> request(
      String peerId, String protocolId, String type, Object payload, Class<T> responseType, Duration timeout) {
    return lifecycle.running()
        .requests
        .request(peerId, protocolId, type, Json.toTree(payload), timeout)
        .thenApply(node -> Json.fromTree(node, responseType));
  }

  // --- topics

  @Override
  public CompletableFuture<Registration> subscribeToTopic(String topic, TopicHandler handler) {
    return topics().subscribe(topic, handler);
  }

  @Override
  public CompletableFuture<Void> unsubscribeFromTopic(String topic) {
    return topics().unsubscribeAll(topic);
  }

  @Override
  public CompletableFuture<Void> publishToTopic(String topic, Object value) {
    byte[] data = value instanceof byte[] b ? b.clone() : Json.bytes(Json.toTree(value));
    return topics().publish(topic, data);
  }

  @Override
  public List<String> getTopicPeers(String topic) {
    NodeRun r = lifecycle.current();
    return r == null ? List.of() : r.topics.map(t -> t.topicPeers(topic)).orElse(List.of());
  }

  @Override
  public Optional<MeshHealth> getTopicMeshHealth(String topic) {
    NodeRun r = lifecycle.current();
    return r == null ? Optional.empty() : r.mesh.flatMap(m -> m.health(topic));
  }

  @Override
  public Registration addTopicValidator(String topic, TopicMessageValidator validator) {
    return topics().addValidator(topic, validator);
  }

  private org.lotusia.p2p.coordinator.internal.TopicService topics() {
    return lifecycle.running()
        .topics
        .orElseThrow(() -> new IllegalStateException("GossipSub is not enabled in the configuration"));
  }

  // --- resources

  @Override
  public CompletableFuture<ResourceAnnouncement> announceResource(String type, String id, Object data) {
    return announceResource(type, id, data, AnnounceOptions.NONE);
  }

  @Override
  public CompletableFuture<ResourceAnnouncement> announceResource(
      String type, String id, Object data, AnnounceOptions options) {
    return lifecycle.running().resources.announce(type, id, data, options);
  }

  @Override
  public boolean withdrawResource(String type, String id) {
    return lifecycle.running().resources.withdraw(type, id);
  }

  @Override
  public CompletableFuture<Optional<ResourceAnnouncement>> discoverResource(String type, String id) {
    return discoverResource(type, id, config.discoverTimeout());
  }

  @Override
  public CompletableFuture<Optional<ResourceAnnouncement>> discoverResource(
      String type, String id, Duration timeout) {
    return lifecycle.running().resources.discover(type, id, timeout);
  }

  @Override
  public CompletableFuture<List<ResourceAnnouncement>> discoverResources(String type) {
    return discoverResources(type, Map.of(), config.discoverTimeout());
  }

  @Override
  public CompletableFuture<List<ResourceAnnouncement>> discoverResources(
      String type, Map<String, ?> filters, Duration timeout) {
    return lifecycle.running().resources.discoverAll(type, trees(filters), timeout);
  }

  @Override
  public Optional<ResourceAnnouncement> getResource(String type, String id) {
    return lifecycle.running().resources.get(type, id);
  }

  @Override
  public List<ResourceAnnouncement> getLocalResources(String type, Map<String, ?> filters) {
    return lifecycle.running().resources.getLocal(type, trees(filters));
  }

  private static Map<String, JsonNode> trees(Map<String, ?> filters) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    filters.forEach((k, v) -> out.put(k, Json.toTree(v)));
    return out;
  }

  /**
   * Drops expired resources and idle security state now (also done every {@code
   * cleanupInterval}).
   *
   * @return resources dropped from the cache
   */
  public int cleanup() {
    return lifecycle.running().cleanup();
  }

  // --- addresses and statistics

  @Override
  public List<String> getReachableAddresses() {
    return Addresses.reachable(lifecycle.running().ctx.host());
  }

  @Override
  public List<String> getRelayAddresses() {
    return Addresses.relay(lifecycle.running().ctx.host());
  }

  @Override
  public boolean hasRelayAddresses() {
    return !getRelayAddresses().isEmpty();
  }

  /**
   * A snapshot of counters and state.
   *
   * @return the statistics (with {@code peerId} {@code not-started} before start)
   */
  public P2PStats getStats() {
    return Stats.of(lifecycle.current(), state.state(), resources.size(), security, events.droppedEvents());
  }

  /**
   * The libp2p objects of the current run, for monitoring (see {@link NetworkComponents} for what
   * may be done with them).
   *
   * @return the components, or empty when the node is not started
   */
  public Optional<NetworkComponents> networkComponents() {
    NodeRun r = lifecycle.current();
    return r == null
        ? Optional.empty()
        : Optional.of(new NetworkComponents(r.ctx.host(), r.ctx.dht(), r.ctx.gossip()));
  }

  /**
   * The DHT's condition.
   *
   * @return the statistics
   */
  public DhtStats getDHTStats() {
    return Stats.dht(lifecycle.current());
  }

  // --- events

  @Override
  public <E extends P2PEvent> Registration on(Class<E> type, Consumer<? super E> listener) {
    return events.on(type, listener);
  }

  @Override
  public Registration addListener(Consumer<P2PEvent> listener) {
    return events.on(P2PEvent.class, listener);
  }

  @Override
  public <E extends P2PEvent> CompletableFuture<E> waitForEvent(
      Class<E> type, Predicate<? super E> match, Duration timeout) {
    return events.next(type, match, timeout);
  }

  @Override
  public String toString() {
    NodeRun r = lifecycle.current();
    return "P2PCoordinator[" + (r == null ? "not started" : r.ctx.selfId()) + ", " + state.state() + "]";
  }
}
