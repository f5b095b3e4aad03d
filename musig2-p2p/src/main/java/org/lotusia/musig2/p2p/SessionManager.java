package org.lotusia.musig2.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.p2p.protocol.P2PMessage;
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
 * <p>Build with {@link #builder(SessionNetwork)}; {@link #closeAsync()} aborts the sessions in
 * progress and stops the executors the manager owns, and {@link #close()} does the same and waits.
 */
public final class SessionManager implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);

  /** How long {@link #close()} waits for the sessions to be aborted: 10 seconds. */
  private static final long CLOSE_WAIT_SECONDS = 10;

  private final AtomicReference<CompletableFuture<Void>> closing = new AtomicReference<>();

  private final SessionServices svc;
  private final SessionConfig config;
  private final AnnouncementCache discovered;
  private final SessionRecovery recovery;
  private final EventSink events;
  private final SessionMetrics metrics;
  private final ManagerExecutors executors;
  private final SessionTable table;
  private final SessionFactory factory;
  private final InboundRouter inbound;
  private final AnnouncementCheck announcementCheck;

  private SessionManager(Builder b) {
    this.config = b.config;
    this.metrics = new SessionMetrics();
    this.executors = ManagerExecutors.create(b.service, b.scheduler, b.callbacks);
    this.events = new EventSink(executors.callbacks(), metrics);
    b.listeners.forEach(events::add);
    // the services tell the table when a session finishes; the table needs the services first
    SessionTable[] tableRef = new SessionTable[1];
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
            s -> tableRef[0].onFinished(s));
    this.table = new SessionTable(svc);
    tableRef[0] = table;
    AnnouncementCheck check = new AnnouncementCheck(svc);
    this.announcementCheck = check;
    this.discovered = new AnnouncementCache(config.maxDiscovered(), config.maxDiscoveredPerPeer());
    this.factory = new SessionFactory(svc, table, check);
    this.inbound = new InboundRouter(svc, table, check, discovered);
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
   * @param key the local signer's key; the manager keeps a reference until the session ends, to
   *     sign the session's messages
   * @param message the 32 bytes every signer signs (for a transaction, its sighash: see {@link
   *     TransactionSigning})
   * @param options Taproot, election method, commitment round, metadata
   * @return the handle once the session is announced; fails with IllegalArgumentException for
   *     invalid or duplicate keys or a local key that is not a signer, or IllegalStateException
   *     when a session limit is reached
   * @throws IllegalArgumentException if the message is not 32 bytes or the signer count is outside
   *     [2, maxSigners]
   */
  public CompletableFuture<SessionHandle> create(
      List<byte[]> signerKeys, PrivateKey key, byte[] message, SessionOptions options) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(options, "options");
    List<byte[]> keys = checkedKeys(signerKeys);
    byte[] msg = checkedMessage(message);
    return call(() -> factory.create(keys, key, msg, options));
  }

  /**
   * Joins an announced session after checking the announcement (signature by its creator, limits,
   * expiry) and that the local key is one of its signers.
   *
   * @param announcement the announcement (from a {@link SessionEvent.SessionDiscovered} event, the
   *     DHT, or out of band)
   * @param key the local signer's key (kept until the session ends, to sign its messages)
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
    return call(() -> factory.join(announcement, key, expected));
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
          ActiveSession s = table.get(sessionId);
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
    return call(() -> Optional.ofNullable(table.get(sessionId)).map(ActiveSession::status));
  }

  /**
   * @return the IDs of the sessions in progress
   */
  public CompletableFuture<List<String>> sessionIds() {
    return call(table::ids);
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
          SessionRecovery.Outcome o = recovery.recover(key, java.util.Set.copyOf(table.ids()));
          o.aborted().forEach(id -> table.tombstone(id, null));
          o.finished().forEach(id -> table.tombstone(id, null));
          return o.aborted();
        });
  }

  // --- network input

  /**
   * Hands over a direct message with protocol {@code "musig2"}. Never blocks.
   *
   * @param fromPeerId the peer the transport authenticated as the sender
   * @param message the envelope; ownership passes to the manager
   * @return false if the manager is closed or its inbound queue is full (the message is dropped
   *     and counted)
   */
  public boolean deliverDirect(String fromPeerId, P2PMessage message) {
    Objects.requireNonNull(fromPeerId, "fromPeerId");
    Objects.requireNonNull(message, "message");
    return inbound.enqueue(() -> inbound.direct(fromPeerId, message));
  }

  /**
   * Hands over a message of a subscribed topic. Never blocks.
   *
   * @param topic the topic
   * @param publisherPeerId the message's author as the pubsub layer verified it
   * @param data the message bytes (copied)
   * @return false if the manager is closed or its inbound queue is full
   */
  public boolean deliverTopic(String topic, String publisherPeerId, byte[] data) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(publisherPeerId, "publisherPeerId");
    byte[] copy = data.clone();
    return inbound.enqueue(() -> inbound.topic(topic, publisherPeerId, copy));
  }

  /**
   * Judges a message of the announcement topic as a GossipSub topic validator would, before it is
   * delivered or forwarded: it must decode, be published by the creator it names, and pass the
   * checks of {@link #join} (signature by the creator key, limits, times). Thread-safe and cheap
   * (one signature verification); it changes no state, so the message is still to be handed to
   * {@link #deliverTopic} when accepted.
   *
   * @param publisherPeerId the author the pubsub layer verified (StrictSign)
   * @param data the message bytes (not modified)
   * @return the verdict: REJECT only for forged or malformed announcements
   */
  public AnnouncementVerdict judgeAnnouncement(String publisherPeerId, byte[] data) {
    Objects.requireNonNull(publisherPeerId, "publisherPeerId");
    Objects.requireNonNull(data, "data");
    return announcementCheck.judge(publisherPeerId, data);
  }

  // --- lifecycle

  /**
   * Aborts every session in progress (telling the participants), then stops the executors the
   * manager owns. Network input is refused from now on. Does not block: the form to use from a
   * listener or other code on the callback executor. Idempotent: every call returns the same future.
   *
   * @return completes when the sessions are aborted; never fails
   */
  public CompletableFuture<Void> closeAsync() {
    CompletableFuture<Void> first = new CompletableFuture<>();
    CompletableFuture<Void> earlier = closing.compareAndExchange(null, first);
    if (earlier != null) {
      return earlier;
    }
    abortAndStop()
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.warn("aborting the sessions at close failed", e);
              }
              first.complete(null);
            });
    return first;
  }

  private CompletableFuture<Void> abortAndStop() {
    inbound.close();
    CompletableFuture<Void> done =
        call(
            () -> {
              table.close();
              for (ActiveSession s : table.all()) {
                s.abort(
                    AbortReason.of(AbortReason.Code.SHUTDOWN, "the session manager was closed"),
                    true);
              }
              return null;
            });
    return done.whenComplete((v, e) -> executors.shutdownOwned());
  }

  /**
   * {@link #closeAsync()}, waiting at most {@value #CLOSE_WAIT_SECONDS} s for the sessions to be
   * aborted; past that it logs a warning and returns while the abort goes on. An interrupt returns at
   * once with the flag set. Never throws. Do not call it on the callback executor (use {@link
   * #closeAsync()} there).
   */
  @Override
  public void close() {
    try {
      closeAsync().get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      LOG.warn("the MuSig2 sessions were not aborted within {} s; aborting goes on", CLOSE_WAIT_SECONDS);
    } catch (ExecutionException e) {
      LOG.warn("closing the session manager failed", e.getCause());
    }
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
