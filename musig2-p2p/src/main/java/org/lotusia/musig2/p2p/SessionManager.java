package org.lotusia.musig2.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.crypto.MuSig2Session;
import org.lotusia.musig2.p2p.wire.MalformedMessageException;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.musig2.p2p.wire.SessionMessage;
import org.lotusia.musig2.p2p.wire.SessionMessages;
import org.lotusia.musig2.p2p.wire.WireJson;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.protocol.ValidationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs MuSig2 signing sessions between peers over a {@link SessionNetwork}: creates and announces
 * sessions, joins announced ones, authenticates and orders every session message, drives the
 * signing rounds, elects the finaliser and fails over, aborts with a reason that names the culprit,
 * and records sessions in a {@link SessionStore} so that a restarted node reports them aborted
 * instead of signing with a nonce it cannot prove fresh. The protocol is described in
 * docs/MUSIG2.md.
 *
 * <p>Threading: all session state is confined to one single-threaded service executor (by default
 * a daemon thread the manager owns); public methods hand their work to it and return futures. Those
 * futures, session results and {@link SessionListener} events complete or run on the callback
 * executor (by default one daemon thread with a bounded queue), never on the service thread or a
 * network thread. Timers run on the scheduler and hop onto the service executor. Network input
 * ({@link #deliverDirect}, {@link #deliverTopic}) is bounded by {@link
 * SessionConfig#maxInboundQueue()}: beyond it a message is refused (the method returns false and
 * the refusal is counted), never queued without bound. Every returned future completes.
 *
 * <p>Build with {@link #builder(SessionNetwork)}; {@link #close()} aborts the sessions in progress
 * and stops the executors the manager owns.
 */
public final class SessionManager {

  private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);

  private final SessionServices svc;
  private final SessionConfig config;
  private final AnnouncementCheck check;
  private final AnnouncementCache discovered;
  private final SessionRecovery recovery;
  private final EventSink events;
  private final SessionMetrics metrics;
  private final ManagerExecutors executors;
  private final AtomicInteger inboundPending = new AtomicInteger();
  private volatile boolean closed;

  // confined to the service thread
  private final Map<String, ActiveSession> sessions = new HashMap<>();
  /** Finished sessions until their tombstone expires: expiry, and the session (null if recovered). */
  private final Map<String, Tombstone> finished = new HashMap<>();

  private record Tombstone(long until, ActiveSession session) {}

  private SessionManager(Builder b) {
    this.config = b.config;
    this.metrics = new SessionMetrics();
    this.executors = ManagerExecutors.create(b.service, b.scheduler, b.callbacks);
    this.events = new EventSink(executors.callbacks(), metrics);
    b.listeners.forEach(events::add);
    this.svc =
        new SessionServices(
            b.network,
            b.config,
            b.store,
            executors.service(),
            executors.scheduler(),
            events,
            b.broadcaster,
            b.random,
            metrics,
            this::onFinished);
    this.check = new AnnouncementCheck(svc);
    this.discovered = new AnnouncementCache(config.maxDiscovered(), config.maxDiscoveredPerPeer());
    this.recovery = new SessionRecovery(svc);
  }

  /**
   * @param network the network port
   * @return a builder with the defaults described on its setters
   */
  public static Builder builder(SessionNetwork network) {
    return new Builder(network);
  }

  /**
   * @return the counters
   */
  public SessionMetrics metrics() {
    return metrics;
  }

  /**
   * @return the configuration
   */
  public SessionConfig config() {
    return config;
  }

  /**
   * @param listener receives every later event on the callback executor
   */
  public void addListener(SessionListener listener) {
    events.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * @param listener a listener added before
   */
  public void removeListener(SessionListener listener) {
    events.remove(listener);
  }

  // --- sessions

  /**
   * Creates a session, signs and publishes its announcement on the topic {@value
   * SessionAnnouncement#TOPIC} and as a DHT resource, and waits for the other signers to join.
   *
   * @param signerKeys every signer's 33-byte compressed key, the local one included, any order
   * @param key the local signer's key
   * @param message the 32 bytes every signer signs (for a transaction, its sighash: see {@link
   *     TransactionSigning})
   * @param options Taproot, election method, commitment round, metadata
   * @return the handle once the session is announced; fails with IllegalArgumentException for
   *     invalid keys, or IllegalStateException when a session limit is reached
   * @throws IllegalArgumentException if the message is not 32 bytes or the signer count is outside
   *     [2, maxSigners]
   */
  public CompletableFuture<SessionHandle> create(
      List<byte[]> signerKeys, PrivateKey key, byte[] message, SessionOptions options) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(options, "options");
    List<byte[]> keys = checkedKeys(signerKeys);
    byte[] msg = checkedMessage(message);
    return call(() -> createOnService(keys, key, msg, options));
  }

  private SessionHandle createOnService(
      List<byte[]> keys, PrivateKey key, byte[] message, SessionOptions options) {
    requireCapacity(null);
    List<byte[]> sorted = new ArrayList<>(keys);
    sorted.sort(Arrays::compareUnsigned);
    MuSig2Session musig = musig(sorted, key, message, options.taprootMerkleRoot());
    long now = svc.now();
    String id;
    do {
      id = SessionIds.generate(sorted, message, now, svc.random);
    } while (sessions.containsKey(id) || finished.containsKey(id));
    SessionAnnouncement unsigned =
        new SessionAnnouncement(
            id,
            svc.localPeerId,
            sorted,
            Hashes.sha256(message),
            now,
            now + config.announcementTtl().toMillis(),
            options.metadata(),
            message,
            key.publicKeyBytes(),
            options.electionMethod(),
            options.taprootMerkleRoot(),
            options.nonceCommitments(),
            null);
    SessionAnnouncement ann =
        unsigned.withSignature(svc.network.sign(key, unsigned.signedDigest()));
    String problem = check.problem(ann);
    if (problem != null) {
      musig.abort();
      throw new IllegalArgumentException("session cannot be announced: " + problem);
    }
    ActiveSession s = new ActiveSession(svc, ann, key, musig, List.of(), 0);
    sessions.put(id, s);
    s.start();
    if (!s.phase().terminal()) {
      publish(ann);
    }
    return new SessionHandle(id, ann, s.localIndex, s.result());
  }

  private void publish(SessionAnnouncement ann) {
    String id = ann.sessionId();
    try {
      svc.network.publish(SessionAnnouncement.TOPIC, ann.toJson())
          .whenComplete((v, e) -> logFailure(e, "publish of the announcement of " + id));
      svc.network.announceResource(
              SessionAnnouncement.RESOURCE_TYPE, id, ann.toJson(), ann.expiresAt())
          .whenComplete((v, e) -> logFailure(e, "DHT announcement of " + id));
    } catch (RuntimeException e) {
      logFailure(e, "announcement of " + id);
    }
  }

  private static void logFailure(Throwable e, String what) {
    if (e != null) {
      LOG.warn("{} failed: {}", what, e.toString());
    }
  }

  /**
   * Joins an announced session after checking the announcement (signature by its creator, limits,
   * expiry) and that the local key is one of its signers.
   *
   * @param announcement the announcement (from a {@link SessionEvent.SessionDiscovered} event, the
   *     DHT, or out of band)
   * @param key the local signer's key
   * @return the handle once the join request is sent; fails with IllegalArgumentException when the
   *     announcement is refused or the key is not a signer, IllegalStateException at a limit
   */
  public CompletableFuture<SessionHandle> join(SessionAnnouncement announcement, PrivateKey key) {
    return join(announcement, key, null);
  }

  /**
   * Joins an announced session only if it signs the expected message (for a transaction, the
   * sighash the joiner computed itself from the transaction it agreed to).
   *
   * @param announcement the announcement
   * @param key the local signer's key
   * @param expectedMessage the 32 bytes the local node agrees to sign, or null to accept the
   *     announced message
   * @return as {@link #join(SessionAnnouncement, PrivateKey)}
   */
  public CompletableFuture<SessionHandle> join(
      SessionAnnouncement announcement, PrivateKey key, byte[] expectedMessage) {
    Objects.requireNonNull(announcement, "announcement");
    Objects.requireNonNull(key, "key");
    byte[] expected = expectedMessage == null ? null : checkedMessage(expectedMessage);
    return call(() -> joinOnService(announcement, key, expected));
  }

  /**
   * Joins a session known only by its ID: from the announcements heard on the topic, else from the
   * DHT resource.
   *
   * @param sessionId the session
   * @param key the local signer's key
   * @param expectedMessage as in {@link #join(SessionAnnouncement, PrivateKey, byte[])}
   * @return as {@link #join(SessionAnnouncement, PrivateKey)}; fails with IllegalArgumentException
   *     when no announcement is found
   */
  public CompletableFuture<SessionHandle> joinById(
      String sessionId, PrivateKey key, byte[] expectedMessage) {
    Objects.requireNonNull(sessionId, "sessionId");
    return call(() -> Optional.ofNullable(discovered.get(sessionId, svc.now())))
        .thenCompose(
            heard ->
                heard.isPresent()
                    ? CompletableFuture.completedFuture(Optional.<JsonNode>of(heard.get().toJson()))
                    : svc.network.findResource(SessionAnnouncement.RESOURCE_TYPE, sessionId))
        .thenCompose(
            found -> {
              if (found.isEmpty()) {
                return CompletableFuture.failedFuture(
                    new IllegalArgumentException("no announcement of session " + sessionId));
              }
              return join(SessionAnnouncement.decode(found.get()), key, expectedMessage);
            });
  }

  private SessionHandle joinOnService(SessionAnnouncement a, PrivateKey key, byte[] expected) {
    String problem = check.problem(a);
    if (problem != null) {
      throw new IllegalArgumentException("announcement of " + a.sessionId() + " refused: " + problem);
    }
    if (expected != null && !Arrays.equals(expected, a.message())) {
      throw new IllegalArgumentException(
          "session " + a.sessionId() + " signs " + WireJson.hexOf(a.message())
              + ", not the expected " + WireJson.hexOf(expected));
    }
    byte[] pub = key.publicKeyBytes();
    if (a.indexOf(pub) < 0) {
      throw new IllegalArgumentException("the local key is not a signer of session " + a.sessionId());
    }
    if (Arrays.equals(pub, a.creatorPublicKey()) || a.coordinatorPeerId().equals(svc.localPeerId)) {
      throw new IllegalArgumentException("session " + a.sessionId() + " was created by this node");
    }
    if (sessions.containsKey(a.sessionId()) || finished.containsKey(a.sessionId())) {
      throw new IllegalStateException("session " + a.sessionId() + " is already known here");
    }
    requireCapacity(a.coordinatorPeerId());
    MuSig2Session musig = musig(a.signers(), key, a.message(), a.taprootMerkleRoot());
    ActiveSession s = new ActiveSession(svc, a, key, musig, List.of(), 0);
    sessions.put(a.sessionId(), s);
    s.start();
    return new SessionHandle(a.sessionId(), a, s.localIndex, s.result());
  }

  private MuSig2Session musig(List<byte[]> keys, PrivateKey key, byte[] message, byte[] root) {
    MuSig2Session.Builder b =
        MuSig2Session.builder()
            .publicKeys(keys)
            .message(message)
            .maxSigners(config.maxSigners())
            .random(svc.random);
    byte[] secret = key.toBytes();
    try {
      b.secretKey(secret);
      if (root != null) {
        b.taproot(root);
      }
      return b.build();
    } finally {
      Arrays.fill(secret, (byte) 0);
      b.wipeSecretKey();
    }
  }

  private void requireCapacity(String creatorPeer) {
    if (closed) {
      throw new IllegalStateException("the session manager is closed");
    }
    if (sessions.size() >= config.maxSessions()) {
      throw new IllegalStateException(
          "the limit of " + config.maxSessions() + " sessions in progress is reached"
              + " (SessionConfig.maxSessions)");
    }
    if (creatorPeer != null) {
      long withPeer =
          sessions.values().stream()
              .filter(s -> s.announcement.coordinatorPeerId().equals(creatorPeer))
              .count();
      if (withPeer >= config.maxSessionsPerPeer()) {
        throw new IllegalStateException(
            "the limit of " + config.maxSessionsPerPeer() + " sessions in progress created by peer "
                + creatorPeer + " is reached (SessionConfig.maxSessionsPerPeer)");
      }
    }
  }

  /**
   * Aborts a session this node takes part in and tells every known participant.
   *
   * @param sessionId the session
   * @param reason why, sent to the others
   * @return completes when aborted; fails with IllegalArgumentException for an unknown session
   */
  public CompletableFuture<Void> abort(String sessionId, String reason) {
    Objects.requireNonNull(reason, "reason");
    return call(
        () -> {
          ActiveSession s = sessions.get(sessionId);
          if (s == null) {
            throw new IllegalArgumentException("no session " + sessionId + " in progress");
          }
          s.abort(
              AbortReason.of(AbortReason.Code.ABORTED_LOCALLY, "aborted locally: " + reason), true);
          return null;
        });
  }

  /**
   * @param sessionId a session
   * @return its status if it is in progress here
   */
  public CompletableFuture<Optional<SessionStatus>> status(String sessionId) {
    return call(() -> Optional.ofNullable(sessions.get(sessionId)).map(ActiveSession::status));
  }

  /**
   * @return the IDs of the sessions in progress
   */
  public CompletableFuture<List<String>> sessionIds() {
    return call(() -> List.copyOf(sessions.keySet()));
  }

  /**
   * Subscribes to the announcement topic, so that announcements arrive as {@link
   * SessionEvent.SessionDiscovered} events.
   *
   * @return completes when subscribed
   */
  public CompletableFuture<Void> discoverSessions() {
    return svc.network.subscribe(SessionAnnouncement.TOPIC);
  }

  /**
   * After a restart: every session the store holds for {@code key} that had not finished is
   * reported aborted (event and record) and its known participants are told with a signed
   * SESSION_ABORT. Sessions are never resumed, since their secret nonces were never stored.
   *
   * @param key the local signer key of the sessions to recover
   * @return the IDs of the sessions aborted
   */
  public CompletableFuture<List<String>> recover(PrivateKey key) {
    Objects.requireNonNull(key, "key");
    return call(
        () -> {
          SessionRecovery.Outcome o = recovery.recover(key, sessions.keySet());
          for (String id : o.aborted()) {
            tombstone(id, null);
          }
          for (String id : o.finished()) {
            tombstone(id, null);
          }
          return o.aborted();
        });
  }

  // --- network input

  /**
   * Hands over a direct message with protocol {@code "musig2"}. Never blocks.
   *
   * @param fromPeerId the peer the transport authenticated as the sender
   * @param message the envelope
   * @return false if the manager is closed or its inbound queue is full (the message is dropped
   *     and counted)
   */
  public boolean deliverDirect(String fromPeerId, P2PMessage message) {
    Objects.requireNonNull(fromPeerId, "fromPeerId");
    Objects.requireNonNull(message, "message");
    return enqueue(() -> handleDirect(fromPeerId, message));
  }

  /**
   * Hands over a message of a subscribed topic. Never blocks.
   *
   * @param topic the topic
   * @param publisherPeerId the message's author as the pubsub layer verified it
   * @param data the message bytes
   * @return false if the manager is closed or its inbound queue is full
   */
  public boolean deliverTopic(String topic, String publisherPeerId, byte[] data) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(publisherPeerId, "publisherPeerId");
    byte[] copy = data.clone();
    return enqueue(() -> handleTopic(topic, publisherPeerId, copy));
  }

  private boolean enqueue(Runnable task) {
    if (closed || inboundPending.incrementAndGet() > config.maxInboundQueue()) {
      inboundPending.decrementAndGet();
      metrics.inboundRefused.increment();
      return false;
    }
    try {
      svc.service.execute(
          () -> {
            inboundPending.decrementAndGet();
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.error("unexpected failure handling a network message", e);
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      inboundPending.decrementAndGet();
      metrics.inboundRefused.increment();
      return false;
    }
  }

  private void handleDirect(String peer, P2PMessage env) {
    ValidationResult valid = svc.protocol.validate(env);
    if (!valid.valid()) {
      reject(null, peer, "envelope refused: " + valid.problem(), true);
      return;
    }
    SessionMessage m;
    try {
      m = SessionMessages.decode(env);
    } catch (MalformedMessageException e) {
      reject(null, peer, env.type() + " does not decode: " + e.getMessage(), true);
      return;
    }
    boolean relay = env.to() != null && !env.to().equals(svc.localPeerId);
    ActiveSession s = sessions.get(m.sessionId());
    if (s == null) {
      Tombstone t = finished.get(m.sessionId());
      if (t == null) {
        reject(m.sessionId(), peer, env.type() + " for a session not in progress here", false);
      } else if (relay && t.session() != null) {
        t.session().relay(peer, env, m);
      }
      return;
    }
    if (relay) {
      s.relay(peer, env, m);
    } else {
      s.onMessage(peer, env, m, false);
    }
  }

  private void handleTopic(String topic, String publisher, byte[] data) {
    if (!SessionAnnouncement.TOPIC.equals(topic)) {
      return;
    }
    SessionAnnouncement a;
    try {
      a = SessionAnnouncement.decode(
          WireJson.parseObject(data, config.maxTopicMessageBytes(), "announcement"));
    } catch (MalformedMessageException e) {
      reject(null, publisher, "announcement does not decode: " + e.getMessage(), true);
      return;
    }
    if (!publisher.equals(a.coordinatorPeerId())) {
      reject(a.sessionId(), publisher, "announcement published by " + publisher
          + " names another creator, " + a.coordinatorPeerId(), true);
      return;
    }
    String problem = check.problem(a);
    if (problem != null) {
      reject(a.sessionId(), publisher, "announcement refused: " + problem, true);
      return;
    }
    switch (discovered.offer(a, publisher, svc.now())) {
      case ADDED -> events.emit(new SessionEvent.SessionDiscovered(a.sessionId(), a, publisher));
      case PEER_FULL -> reject(a.sessionId(), publisher, "more than "
          + config.maxDiscoveredPerPeer() + " announcements of one peer are kept", false);
      case DUPLICATE -> { }
    }
  }

  private void reject(String sessionId, String peer, String reason, boolean violation) {
    metrics.rejected.increment();
    if (violation) {
      metrics.violations.increment();
    }
    LOG.debug("refused a message from {}: {}", peer, reason);
    events.emit(new SessionEvent.MessageRejected(sessionId, peer, reason, violation));
  }

  // --- lifecycle

  private void onFinished(ActiveSession s) {
    sessions.remove(s.id);
    tombstone(s.id, s);
    if (s.creator) {
      try {
        svc.network.withdrawResource(SessionAnnouncement.RESOURCE_TYPE, s.id)
            .whenComplete((v, e) -> logFailure(e, "DHT withdrawal of " + s.id));
      } catch (RuntimeException e) {
        logFailure(e, "DHT withdrawal of " + s.id);
      }
    }
  }

  private void tombstone(String id, ActiveSession session) {
    finished.put(id, new Tombstone(svc.now() + config.tombstoneTtl().toMillis(), session));
    svc.schedule(
        () -> {
          Tombstone t = finished.get(id);
          if (t != null && t.until() <= svc.now() && !sessions.containsKey(id)) {
            finished.remove(id);
            try {
              svc.store.delete(id);
            } catch (RuntimeException e) {
              LOG.warn("cannot delete the record of finished session {}", id, e);
            }
          }
        },
        config.tombstoneTtl());
  }

  /**
   * Aborts every session in progress (telling the participants), then stops the executors the
   * manager owns. Network input is refused from now on.
   *
   * @return completes when the sessions are aborted
   */
  public CompletableFuture<Void> close() {
    CompletableFuture<Void> done =
        call(
            () -> {
              closed = true;
              for (ActiveSession s : new ArrayList<>(sessions.values())) {
                s.abort(
                    AbortReason.of(AbortReason.Code.SHUTDOWN, "the session manager was closed"),
                    true);
              }
              return null;
            });
    return done.whenComplete((v, e) -> executors.shutdownOwned());
  }

  private <T> CompletableFuture<T> call(Callable<T> body) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      svc.service.execute(
          () -> {
            T v;
            try {
              v = body.call();
            } catch (Exception | Error e) {
              events.complete(f, null, e);
              return;
            }
            events.complete(f, v, null);
          });
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(new IllegalStateException("the session manager is closed"));
    }
    return f;
  }

  private List<byte[]> checkedKeys(List<byte[]> signerKeys) {
    Objects.requireNonNull(signerKeys, "signerKeys");
    if (signerKeys.size() < 2 || signerKeys.size() > config.maxSigners()) {
      throw new IllegalArgumentException(
          "a session needs between 2 and " + config.maxSigners() + " signers (SessionConfig"
              + ".maxSigners), got " + signerKeys.size());
    }
    List<byte[]> out = new ArrayList<>(signerKeys.size());
    for (byte[] k : signerKeys) {
      if (k == null || k.length != 33) {
        throw new IllegalArgumentException("signer keys must be 33-byte compressed keys");
      }
      out.add(k.clone());
    }
    return out;
  }

  private static byte[] checkedMessage(byte[] message) {
    Objects.requireNonNull(message, "message");
    if (message.length != 32) {
      throw new IllegalArgumentException(
          "the message must be 32 bytes (a digest such as a sighash), got " + message.length);
    }
    return message.clone();
  }

  /** Builder of {@link SessionManager}. Not thread-safe. */
  public static final class Builder {
    private final SessionNetwork network;
    private SessionConfig config = SessionConfig.defaults();
    private SessionStore store = new InMemorySessionStore();
    private Executor service;
    private ScheduledExecutorService scheduler;
    private Executor callbacks;
    private Broadcaster broadcaster = Broadcaster.NONE;
    private SecureRandom random = new SecureRandom();
    private final List<SessionListener> listeners = new ArrayList<>();

    private Builder(SessionNetwork network) {
      this.network = Objects.requireNonNull(network, "network");
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
     * @param s where session records go (default an {@link InMemorySessionStore})
     * @return this
     */
    public Builder store(SessionStore s) {
      this.store = Objects.requireNonNull(s, "store");
      return this;
    }

    /**
     * @param e the single-threaded executor that owns all session state; it must run one task at
     *     a time in submission order (default: a daemon thread owned and stopped by the manager)
     * @return this
     */
    public Builder serviceExecutor(Executor e) {
      this.service = Objects.requireNonNull(e, "executor");
      return this;
    }

    /**
     * @param s the scheduler of timeouts, driven by the same time as the network's clock (default:
     *     a daemon thread owned by the manager)
     * @return this
     */
    public Builder scheduler(ScheduledExecutorService s) {
      this.scheduler = Objects.requireNonNull(s, "scheduler");
      return this;
    }

    /**
     * @param e where events, results and the broadcaster run (default: a daemon thread with a
     *     queue of 65,536 tasks, owned by the manager)
     * @return this
     */
    public Builder callbackExecutor(Executor e) {
      this.callbacks = Objects.requireNonNull(e, "executor");
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
     * @param r randomness for nonces, session IDs and message IDs (default a new SecureRandom)
     * @return this
     */
    public Builder random(SecureRandom r) {
      this.random = Objects.requireNonNull(r, "random");
      return this;
    }

    /**
     * @param l a listener registered before any event can happen
     * @return this
     */
    public Builder listener(SessionListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    /**
     * @return the manager
     */
    public SessionManager build() {
      return new SessionManager(this);
    }
  }
}
