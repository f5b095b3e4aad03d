package org.lotusia.musig2.p2p.net;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.p2p.Broadcaster;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionListener;
import org.lotusia.musig2.p2p.SessionManager;
import org.lotusia.musig2.p2p.SessionNetwork;
import org.lotusia.musig2.p2p.SessionOptions;
import org.lotusia.musig2.p2p.SessionStore;
import org.lotusia.musig2.p2p.discovery.DiscoveryConfig;
import org.lotusia.musig2.p2p.discovery.MuSig2Discovery;
import org.lotusia.musig2.p2p.discovery.SigningRequest;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MuSig2 signing sessions on a running {@link P2PCoordinator}: a {@link SessionManager} wired to
 * the node's direct messages, the announcement topic (with a topic validator) and DHT resources.
 *
 * <pre>{@code
 * try (MuSig2Sessions musig = MuSig2Sessions.builder(node, walletKey)
 *         .store(new FileSessionStore(dataDir.resolve("musig2")))
 *         .build()) {
 *   SessionHandle h = musig.create(signerKeys, sighash, SessionOptions.defaults()).join();
 *   byte[] signature = h.result().join().signature();
 * }
 * }</pre>
 *
 * <p>What {@link Builder#build()} does: registers the protocol handler {@code musig2} (messages on
 * {@code /lotus/message/1.0.0}, streams on {@value MuSig2Wire#PROTOCOL_ID}, also on limited relayed
 * connections), adds the validator of {@value SessionAnnouncement#TOPIC}, subscribes to that topic
 * (unless turned off), and calls {@link SessionManager#recover} with the key, so that sessions a
 * previous run left unfinished in the store are reported aborted to their participants.
 *
 * <p>Life cycle: one per coordinator run. {@link #close()} aborts the sessions in progress and
 * tells their participants while the node can still reach them, waits for those messages (at most
 * 5 s), then removes everything it registered. When the coordinator stops first, the binding
 * closes by itself; the aborts then cannot leave, and the participants learn of them by their
 * timeouts (which name this signer). Call {@code close()} before {@code stop()} to tell them at
 * once. After the node is started again, build a new one (with the same store).
 *
 * <p>Threading: thread-safe. Session state lives on the manager's thread; its events, results and
 * the broadcaster run on its callback thread (see {@link SessionManager}).
 */
public final class MuSig2Sessions implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MuSig2Sessions.class);
  private static final Duration DRAIN = Duration.ofSeconds(5);

  private final P2PCoordinator node;
  private final PrivateKey key;
  private final SessionManager manager;
  private final CoordinatorSessionNetwork network;
  private final SessionProtocolHandler handler;
  private final AnnouncementValidator validator;
  private final List<Registration> registrations = new ArrayList<>();
  private final CompletableFuture<List<String>> recovered;
  private final MuSig2Discovery discovery;
  private final ThreadPoolExecutor discoveryEvents;
  private final SigningRequestBridge bridge;
  private final AtomicReference<CompletableFuture<Void>> closing = new AtomicReference<>();

  private MuSig2Sessions(Builder b) {
    this.node = b.node;
    this.key = b.key;
    this.network = new CoordinatorSessionNetwork(node, b.dhtAnnouncements);
    SessionNetwork port = Objects.requireNonNull(b.decorator.apply(network), "decorated network");
    SessionManager.Builder mb =
        SessionManager.builder(port).config(b.config).broadcaster(b.broadcaster).random(b.random);
    if (b.store != null) {
      mb.store(b.store);
    }
    b.listeners.forEach(mb::listener);
    this.bridge = new SigningRequestBridge(
        (announcement, message) -> join(announcement, message), node.config().clock(),
        b.maxApprovals);
    mb.listener(bridge);
    this.manager = mb.build();
    network.attach(manager);
    if (b.discovery != null) {
      // listeners of discovery events run here, one at a time; a full queue refuses (logged)
      this.discoveryEvents = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
          new ArrayBlockingQueue<>(4096), r -> {
            Thread t = new Thread(r, "musig2-discovery-events");
            t.setDaemon(true);
            return t;
          });
      this.discovery = new MuSig2Discovery(port, b.discovery, discoveryEvents);
      network.attachDiscovery(discovery);
    } else {
      this.discoveryEvents = null;
      this.discovery = null;
    }
    this.handler = new SessionProtocolHandler(manager, node.securityManager(), network.localPeerId());
    this.validator = new AnnouncementValidator(manager);
    try {
      node.registerProtocol(handler);
    } catch (RuntimeException e) {
      manager.closeAsync();
      throw e;
    }
    registrations.add(() -> node.unregisterProtocol(MuSig2Wire.PROTOCOL_NAME));
    boolean gossip = node.config().enableGossipSub();
    if (gossip) {
      registrations.add(node.addTopicValidator(SessionAnnouncement.TOPIC, validator));
    }
    registrations.add(
        node.on(
            P2PEvent.StateChanged.class,
            e -> {
              if (!e.current().isRunning()) {
                closeAsync();
              }
            }));
    if (gossip && discovery != null) {
      discovery.start()
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  LOG.warn("subscribing to the discovery topics failed: {}", e.toString());
                }
              });
    }
    if (gossip && b.discoverSessions) {
      manager.discoverSessions()
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  LOG.warn("subscribing to {} failed: {}", SessionAnnouncement.TOPIC, e.toString());
                }
              });
    }
    this.recovered = manager.recover(key);
  }

  /**
   * A builder for a running coordinator and the local signer key.
   *
   * @param node the coordinator, started
   * @param key the local signer's key (sessions created or joined through {@link #create} and
   *     {@link #join} sign with it; {@link SessionManager#recover} is called with it)
   * @return the builder, with the defaults its setters state
   */
  public static Builder builder(P2PCoordinator node, PrivateKey key) {
    return new Builder(node, key);
  }

  /**
   * Wires sessions to a running coordinator with the defaults (in-memory store, no broadcaster,
   * announcements heard, DHT announcements on).
   *
   * @param node the coordinator, started
   * @param key the local signer's key
   * @return the binding
   * @throws IllegalStateException when the coordinator is not running, or another binding holds
   *     the protocol handler {@code musig2}
   */
  public static MuSig2Sessions open(P2PCoordinator node, PrivateKey key) {
    return builder(node, key).build();
  }

  /**
   * @return the session manager: create, join, abort, status, events, metrics
   */
  public SessionManager manager() {
    return manager;
  }

  /**
   * @return the network port over the coordinator, with its counters
   */
  public CoordinatorSessionNetwork network() {
    return network;
  }

  /**
   * @return the IDs of the sessions a previous run left unfinished and this one reported aborted
   */
  public CompletableFuture<List<String>> recovered() {
    return recovered;
  }

  /**
   * Creates a session signed with this binding's key; see {@link SessionManager#create}.
   *
   * @param signerKeys every signer's 33-byte compressed key, this one included
   * @param message the 32 bytes to sign
   * @param options the session options
   * @return the handle once announced
   */
  public CompletableFuture<SessionHandle> create(
      List<byte[]> signerKeys, byte[] message, SessionOptions options) {
    return manager.create(signerKeys, key, message, options);
  }

  /**
   * Joins an announced session with this binding's key, if it signs the expected message; see
   * {@link SessionManager#join(SessionAnnouncement, PrivateKey, byte[])}.
   *
   * @param announcement the announcement
   * @param expectedMessage the 32 bytes this node agrees to sign, or null to accept the announced
   * @return the handle once the join request is sent
   */
  public CompletableFuture<SessionHandle> join(
      SessionAnnouncement announcement, byte[] expectedMessage) {
    return manager.join(announcement, key, expectedMessage);
  }

  /**
   * The discovery extension (signer adverts and signing requests, reference 3.15) on this node,
   * when {@link Builder#discovery(DiscoveryConfig)} turned it on. Its listeners run on a thread of
   * this binding, one event at a time.
   *
   * @return the extension, or empty
   */
  public Optional<MuSig2Discovery> discovery() {
    return Optional.ofNullable(discovery);
  }

  /**
   * Publishes a signing request for {@code signerKeys} to sign {@code message}, created and signed
   * by this binding's key (which must be one of them). Signers that {@link #approve} it join the
   * session this node then creates for it with {@link #createFor}.
   *
   * @param signerKeys every key that must sign, this node's included
   * @param message the 32 bytes to sign (the request's {@code messageHash}; a sighash for a
   *     transaction)
   * @param metadata lotus-sdk's {@code requestMetadata}, or null
   * @return the published request
   * @throws IllegalStateException when discovery is off, or beyond its concurrent request limit
   * @throws IllegalArgumentException when this node's key is not among the signers, or the message
   *     is not 32 bytes
   */
  public CompletableFuture<SigningRequest> requestSignatures(
      List<byte[]> signerKeys, byte[] message, ObjectNode metadata) {
    return requireDiscovery().createSigningRequest(
        key, signerKeys, message, metadata, node.getStats().multiaddrs());
  }

  /**
   * Creates the session a signing request of this node asks for: its required keys, its {@code
   * messageHash} as the 32 bytes to sign. Signers that approved the request join it.
   *
   * @param request a request created by this node's key
   * @param options the session's options
   * @return the created session
   * @throws IllegalArgumentException when the request was not created with this binding's key
   */
  public CompletableFuture<SessionHandle> createFor(SigningRequest request, SessionOptions options) {
    if (!java.util.Arrays.equals(request.creatorPublicKey(), key.publicKeyBytes())) {
      throw new IllegalArgumentException("signing request " + request.requestId()
          + " was created with another key; only its creator creates its session");
    }
    return create(request.requiredPublicKeys(), request.messageHash(), options);
  }

  /**
   * Agrees to sign what a signing request asks: this node joins the session the request's creator
   * creates for it (same creator key, same signer keys, the request's {@code messageHash} as the
   * message), whether its announcement came before or after this call, and no other session.
   * Works with discovery on or off (the request may have come another way).
   *
   * @param request a request listing this node's key
   * @return completes with the joined session; fails with a {@code TimeoutException} when the
   *     request expires first, with an {@code IllegalStateException} when the binding closes
   * @throws IllegalArgumentException when the request does not list this node's key or expired
   * @throws IllegalStateException beyond {@link Builder#maxApprovals} pending approvals, or when
   *     the request is approved already
   */
  public CompletableFuture<SessionHandle> approve(SigningRequest request) {
    return bridge.approve(request, key.publicKeyBytes());
  }

  private MuSig2Discovery requireDiscovery() {
    if (discovery == null) {
      throw new IllegalStateException(
          "discovery is off; turn it on with MuSig2Sessions.Builder.discovery(DiscoveryConfig)");
    }
    return discovery;
  }

  /**
   * @return announcements the topic validator rejected as forged or malformed
   */
  public long announcementsRejected() {
    return validator.rejected();
  }

  /**
   * @return announcements the topic validator ignored (unsigned, limits, clocks)
   */
  public long announcementsIgnored() {
    return validator.ignored();
  }

  /**
   * @return this node's own broadcasts delivered back by the coordinator and not passed on
   */
  public long selfDeliveriesDropped() {
    return handler.selfDeliveries();
  }

  /**
   * @return {@value MuSig2Wire#PROTOCOL_ID} streams refused by the security checks
   */
  public long refusedStreams() {
    return handler.refusedStreams();
  }

  /**
   * Aborts the sessions in progress (telling their participants), waits for those messages to
   * leave (at most 5 s), then removes the handler, the validator and the subscription.
   * Idempotent.
   *
   * @return completes when closed; never fails
   */
  public CompletableFuture<Void> closeAsync() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!closing.compareAndSet(null, done)) {
      return closing.get();
    }
    manager.closeAsync()
        .handle((v, e) -> null)
        .thenCompose(v -> network.drain(DRAIN))
        .whenComplete(
            (v, e) -> {
              for (Registration r : registrations) {
                try {
                  r.close();
                } catch (RuntimeException ex) {
                  LOG.debug("removing a registration failed: {}", ex.toString());
                }
              }
              network.unsubscribeAll();
              bridge.close();
              if (discoveryEvents != null) {
                discoveryEvents.shutdown();
              }
              done.complete(null);
            });
    return done;
  }

  /** {@link #closeAsync()}, waiting up to 10 s. */
  @Override
  public void close() {
    try {
      closeAsync().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("closing MuSig2 sessions took longer than 10 s", e);
    }
  }

  /** Builder of {@link MuSig2Sessions}. Not thread-safe. */
  public static final class Builder {
    private final P2PCoordinator node;
    private final PrivateKey key;
    private SessionConfig config = SessionConfig.defaults();
    private SessionStore store;
    private Broadcaster broadcaster = Broadcaster.NONE;
    private SecureRandom random = new SecureRandom();
    private boolean discoverSessions = true;
    private boolean dhtAnnouncements = true;
    private UnaryOperator<SessionNetwork> decorator = UnaryOperator.identity();
    private final List<SessionListener> listeners = new ArrayList<>();
    private DiscoveryConfig discovery;
    private int maxApprovals = 16;

    private Builder(P2PCoordinator node, PrivateKey key) {
      this.node = Objects.requireNonNull(node, "node");
      this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * @param c timeouts and limits (default {@link SessionConfig#defaults()})
     * @return this
     */
    public Builder config(SessionConfig c) {
      this.config = Objects.requireNonNull(c, "config");
      return this;
    }

    /**
     * @param s where session records go (default in memory; use a {@code FileSessionStore} so that
     *     a restarted node reports its unfinished sessions)
     * @return this
     */
    public Builder store(SessionStore s) {
      this.store = Objects.requireNonNull(s, "store");
      return this;
    }

    /**
     * @param b the finalisation step of the elected signer (default {@link Broadcaster#NONE})
     * @return this
     */
    public Builder broadcaster(Broadcaster b) {
      this.broadcaster = Objects.requireNonNull(b, "broadcaster");
      return this;
    }

    /**
     * @param l a listener registered before any event
     * @return this
     */
    public Builder listener(SessionListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    /**
     * @param r randomness for nonces and IDs (default a new SecureRandom)
     * @return this
     */
    public Builder random(SecureRandom r) {
      this.random = Objects.requireNonNull(r, "random");
      return this;
    }

    /**
     * @param on whether to subscribe to the announcement topic at once, so that announcements
     *     arrive as {@code SessionDiscovered} events (default true)
     * @return this
     */
    public Builder discoverSessions(boolean on) {
      this.discoverSessions = on;
      return this;
    }

    /**
     * @param on whether created sessions are also announced as DHT resources {@code
     *     musig2-session:<id>} (default true). Storing peers count them against the creator's
     *     per-type quota until they expire, so a node that creates many sessions a minute may turn
     *     this off and rely on the topic
     * @return this
     */
    public Builder dhtAnnouncements(boolean on) {
      this.dhtAnnouncements = on;
      return this;
    }

    /**
     * Turns on lotus-sdk's discovery extension (signer adverts and signing requests on their
     * topics and as DHT resources, reference 3.15) over this node; default off.
     *
     * @param c its limits and lifetimes
     * @return this
     */
    public Builder discovery(DiscoveryConfig c) {
      this.discovery = Objects.requireNonNull(c, "discovery config");
      return this;
    }

    /**
     * @param max how many approved signing requests may wait for their session at once (default
     *     16); each is held until its session is joined or the request expires
     * @return this
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxApprovals(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxApprovals must be at least 1, got " + max);
      }
      this.maxApprovals = max;
      return this;
    }

    /**
     * @param d wraps the coordinator's network port before the manager uses it (to observe or
     *     shape outbound traffic: metrics, tracing, tests); default identity
     * @return this
     */
    public Builder decorateNetwork(UnaryOperator<SessionNetwork> d) {
      this.decorator = Objects.requireNonNull(d, "decorator");
      return this;
    }

    /**
     * Wires the sessions to the coordinator.
     *
     * @return the binding
     * @throws IllegalStateException when the coordinator is not running, or the protocol handler
     *     {@code musig2} is registered already (one binding per coordinator)
     */
    public MuSig2Sessions build() {
      if (!node.connectionState().isRunning()) {
        throw new IllegalStateException("the coordinator is not running (" + node.connectionState()
            + "); start it first");
      }
      return new MuSig2Sessions(this);
    }
  }
}
