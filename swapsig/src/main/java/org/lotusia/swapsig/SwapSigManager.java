package org.lotusia.swapsig;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.p2p.SessionListener;
import org.lotusia.musig2.p2p.SessionManager;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.swapsig.wire.SwapSigMessageTypes;
import org.lotusia.swapsig.wire.PoolAnnouncement;

/**
 * Runs SwapSig pools: creates and announces pools, discovers them, joins them and carries each
 * participation through registration, setup, reveal, settlement and, when a pool fails, the
 * refund. The protocol is described in docs/SWAPSIG.md.
 *
 * <pre>{@code
 * SwapSigManager swaps = SwapSigManager.builder(network, sessions, chronik).build();
 * swaps.start().join();
 * PoolAnnouncement pool = swaps.createPool(PoolParameters.builder(1_000_000).build()).join();
 * SwapHandle h = swaps.joinPool(pool, SwapRequest.of(input, destinationScript)).join();
 * SwapOutcome o = h.outcome().join();   // COMPLETED, REFUNDED or ABORTED
 * }</pre>
 *
 * <p>Threading: all pool state is confined to one single-threaded service executor (a daemon
 * thread the manager owns unless one is supplied); public methods hand their work to it and return
 * futures. Futures and {@link SwapSigListener} events complete or run on the callback executor
 * (one daemon thread by default, so events arrive in order), never on the service thread or a
 * network thread. Network input ({@link #deliverDirect}, {@link #deliverTopic}) is bounded by
 * {@link SwapSigConfig#maxInboundQueue()}; beyond it a message is refused and counted. Every
 * returned future completes. The manager uses the given {@link SessionManager} for the MuSig2
 * settlement sessions; that manager's {@code Broadcaster} must ignore sessions it does not know,
 * since SwapSig broadcasts its settlements itself.
 */
public final class SwapSigManager implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SwapSigManager.class);

  private final Services svc;
  private final ManagedExecutors executors;
  private final PoolTable table;
  private final PoolInbound inbound;
  private final SessionListener sessionListener;
  private final List<RefundRecovery> recoveries = new ArrayList<>();
  private volatile boolean closed;

  private SwapSigManager(Builder b) {
    this.executors = new ManagedExecutors(b.service, b.scheduler, b.callbacks);
    EventSink events = new EventSink(executors.callbacks());
    b.listeners.forEach(events::add);
    ChainOps chain =
        new ChainOps(
            b.chronik,
            executors.scheduler(),
            b.network.clock(),
            b.config.chainRetry(),
            b.config.pollInterval());
    this.svc =
        new Services(
            b.network,
            b.sessions,
            chain,
            b.config,
            executors.scheduler(),
            executors.service(),
            events,
            b.random,
            this::deliverDirect,
            b.refundJournal == null ? null : new RefundJournal(b.refundJournal));
    this.table = new PoolTable(b.config.maxDiscovered(), b.config.maxPools());
    this.inbound = new PoolInbound(svc, table);
    this.sessionListener = inbound::session;
  }

  /**
   * @param network the network port
   * @param sessions the MuSig2 session manager over the same network
   * @param chronik the Chronik client (shared; not closed by the manager)
   * @return a builder with the defaults described on its setters
   */
  public static Builder builder(SwapSigNetwork network, SessionManager sessions, ChronikClient chronik) {
    return new Builder(network, sessions, chronik);
  }

  /**
   * Subscribes to the pool topic and to MuSig2 session announcements.
   *
   * @return completes when subscribed
   */
  public CompletableFuture<Void> start() {
    svc.sessions.addListener(sessionListener);
    if (svc.journal != null) {
      svc.run(this::recoverRefunds);
    }
    return CompletableFuture.allOf(
        svc.network.subscribe(SwapSigMessageTypes.POOL_TOPIC), svc.sessions.discoverSessions());
  }

  /** Watches every journal entry of a pool this node no longer runs (it restarted). */
  private void recoverRefunds() {
    for (RefundJournal.Entry e : svc.journal.entries()) {
      if (closed || table.joined(e.poolId()) != null
          || recoveries.stream().anyMatch(r -> r.entry().equals(e))) {
        continue;
      }
      RefundRecovery r;
      RefundRecovery[] self = new RefundRecovery[1];
      try {
        r = new RefundRecovery(svc, svc.journal, e, () -> recoveries.remove(self[0]));
        self[0] = r;
      } catch (IllegalArgumentException x) {
        LOG.error("refund journal entry of pool {} round {} is kept unused: {}", e.poolId(), e.round(), x.getMessage());
        continue;
      }
      recoveries.add(r);
      r.start();
    }
  }

  /** @param listener receives every later event on the callback executor */
  public void addListener(SwapSigListener listener) {
    svc.events.add(Objects.requireNonNull(listener, "listener"));
  }

  /** @param listener a listener added before */
  public void removeListener(SwapSigListener listener) {
    svc.events.remove(listener);
  }

  /** @return network messages refused because the inbound queue was full */
  public long refusedInbound() {
    return inbound.refused();
  }

  // --- pools

  /**
   * Creates a pool with a fresh creator key, signs its announcement and publishes it on the pool
   * topic and as a DHT resource; this node then collects registrations as the pool's creator.
   *
   * @param params the pool's terms
   * @return the announcement; fails with IllegalStateException at {@link SwapSigConfig#maxPools()}
   */
  public CompletableFuture<PoolAnnouncement> createPool(PoolParameters params) {
    Objects.requireNonNull(params, "params");
    return call(
        () -> {
          table.checkCapacity();
          byte[] id = new byte[32];
          svc.random.nextBytes(id);
          PrivateKey creatorKey = PrivateKey.random(svc.random);
          PoolAnnouncement a =
              PoolAnnouncement.create(
                  HexFormat.of().formatHex(id), params, svc.now(), svc.network.localPeerId(), creatorKey);
          HostedPool pool = new HostedPool(svc, a, creatorKey, () -> hostedPoolFinished(a.poolId()));
          table.addHosted(pool);
          pool.start();
          svc.network.publish(SwapSigMessageTypes.POOL_TOPIC, a.toJson());
          svc.network.announceResource(SwapSigMessageTypes.POOL_RESOURCE, a.poolId(), a.toJson(), a.expiresAt());
          svc.events.emit(new SwapSigEvent.PoolCreated(a.poolId(), a));
          return a;
        });
  }

  /**
   * A pool this node hosted ended. Its DHT resource was withdrawn when its roster closed; one that
   * aborted before is withdrawn now (other nodes stop finding it, and the storing peers free this
   * node's quota slot for it).
   */
  private void hostedPoolFinished(String poolId) {
    table.removeHosted(poolId);
    svc.network.withdrawResource(SwapSigMessageTypes.POOL_RESOURCE, poolId);
  }

  /**
   * Lists open pools: those this node heard on the topic or hosts, and those the DHT returns.
   *
   * @param filter which pools
   * @return verified, unexpired announcements
   */
  public CompletableFuture<List<PoolAnnouncement>> discoverPools(PoolFilter filter) {
    Objects.requireNonNull(filter, "filter");
    CompletableFuture<List<JsonNode>> remote =
        svc.network.findResources(SwapSigMessageTypes.POOL_RESOURCE).exceptionally(e -> List.of());
    CompletableFuture<List<PoolAnnouncement>> out = new CompletableFuture<>();
    svc.hop(
        remote,
        (found, err) -> {
          for (JsonNode n : found == null ? List.<JsonNode>of() : found) {
            inbound.accept(n, null);
          }
          List<PoolAnnouncement> all = new ArrayList<>(table.discovered().live(svc.now()));
          all.addAll(table.hostedAnnouncements());
          svc.events.complete(out, all.stream().filter(filter::accepts).distinct().toList(), null);
        });
    return out;
  }

  /**
   * Finds one pool: heard or hosted, else in the DHT.
   *
   * @param poolId the pool
   * @return the verified announcement, or empty
   */
  public CompletableFuture<Optional<PoolAnnouncement>> findPool(String poolId) {
    Objects.requireNonNull(poolId, "poolId");
    return call(() -> Optional.ofNullable(table.known(poolId, svc.now())))
        .thenCompose(
            k ->
                k.isPresent()
                    ? CompletableFuture.completedFuture(k)
                    : svc.network
                        .findResource(SwapSigMessageTypes.POOL_RESOURCE, poolId)
                        .thenApply(
                            n -> n.flatMap(v -> Optional.ofNullable(inbound.verified(v, null)))));
  }

  /**
   * Registers for a pool: makes a fresh signer key and encryption key, commits to the destination,
   * proves ownership of the input with its key and sends the registration to the creator.
   *
   * @param pool the pool's announcement
   * @param request the coin and the destination
   * @return the handle once the registration is sent; fails with IllegalArgumentException for a
   *     bad or expired announcement or an input too small for the pool, IllegalStateException at
   *     the pool limit or when already taking part
   */
  public CompletableFuture<SwapHandle> joinPool(PoolAnnouncement pool, SwapRequest request) {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(request, "request");
    return call(
        () -> {
          if (!pool.verifySignature()) {
            throw new IllegalArgumentException("the pool announcement's signature does not verify");
          }
          if (pool.expiresAt() <= svc.now()) {
            throw new IllegalArgumentException("the pool's registration closed at " + pool.expiresAt());
          }
          long need = pool.params().requiredInput();
          if (request.input().output().value() < need) {
            throw new IllegalArgumentException(
                "the input holds " + request.input().output().value() + " sats; the pool needs at least "
                    + need + " (denomination, burn and setup fee)");
          }
          PrivateKey signer = PrivateKey.random(svc.random);
          Participation p =
              new Participation(svc, pool, request, signer, () -> table.removeJoined(pool.poolId()));
          table.addJoined(p);
          p.start();
          return new SwapHandle(pool.poolId(), p.signerKeyHex(), p.outcome());
        });
  }

  /**
   * Joins a pool known by its ID ({@link #findPool}).
   *
   * @param poolId the pool
   * @param request the coin and the destination
   * @return as {@link #joinPool(PoolAnnouncement, SwapRequest)}; fails with
   *     IllegalArgumentException when the pool is not found
   */
  public CompletableFuture<SwapHandle> joinPool(String poolId, SwapRequest request) {
    return findPool(poolId)
        .thenCompose(
            a ->
                a.isPresent()
                    ? joinPool(a.get(), request)
                    : CompletableFuture.failedFuture(
                        new IllegalArgumentException("no announcement of pool " + poolId)));
  }

  /**
   * @param poolId a pool this node takes part in
   * @return its phase here, or empty
   */
  public CompletableFuture<Optional<SwapPhase>> phase(String poolId) {
    return call(() -> Optional.ofNullable(table.joined(poolId)).map(Participation::phase));
  }

  /**
   * Leaves or stops a pool: a participant aborts (telling the others; funds already in a shared
   * output come back through the refund), a creator aborts before setup.
   *
   * @param poolId the pool
   * @param reason why, sent to the others
   * @return completes when aborted; fails with IllegalArgumentException for an unknown pool
   */
  public CompletableFuture<Void> abort(String poolId, String reason) {
    Objects.requireNonNull(reason, "reason");
    return call(
        () -> {
          Participation p = table.joined(poolId);
          HostedPool h = table.hosted(poolId);
          if (p == null && h == null) {
            throw new IllegalArgumentException("no pool " + poolId + " here");
          }
          if (p != null) {
            p.abort("aborted locally: " + reason, true);
          }
          if (h != null) {
            h.abort(reason);
          }
          return null;
        });
  }

  // --- network input

  /**
   * Hands over a direct message with protocol {@code "swapsig"}. Never blocks.
   *
   * @param fromPeerId the peer the transport authenticated
   * @param message the envelope; ownership passes to the manager
   * @return false when closed or the inbound queue is full (the message is dropped and counted)
   */
  public boolean deliverDirect(String fromPeerId, P2PMessage message) {
    Objects.requireNonNull(fromPeerId, "fromPeerId");
    Objects.requireNonNull(message, "message");
    return inbound.enqueue(() -> inbound.direct(fromPeerId, message));
  }

  /**
   * Hands over a message of the pool topic. Never blocks.
   *
   * @param topic the topic
   * @param publisherPeerId the author as the pubsub layer verified it
   * @param data the message bytes (copied)
   * @return false when closed or the queue is full
   */
  public boolean deliverTopic(String topic, String publisherPeerId, byte[] data) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(publisherPeerId, "publisherPeerId");
    return inbound.topic(topic, publisherPeerId, data.clone());
  }

  // --- lifecycle

  /**
   * Stops: every participation that has not ended fails its outcome with IllegalStateException
   * (funds in a shared output can still be refunded with the input key, see docs/SWAPSIG.md), the
   * manager's own executors stop. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    inbound.close();
    svc.sessions.removeListener(sessionListener);
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      svc.service.execute(
          () -> {
            table.closeAll();
            recoveries.forEach(RefundRecovery::stop);
            done.complete(null);
          });
      done.get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      org.slf4j.LoggerFactory.getLogger(SwapSigManager.class).warn("closing the pools did not finish: {}", e.toString());
    }
    svc.chain.close();
    executors.shutdownOwned();
  }

  private <T> CompletableFuture<T> call(Callable<T> body) {
    CompletableFuture<T> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new IllegalStateException("the SwapSig manager is closed"));
      return f;
    }
    try {
      svc.service.execute(
          () -> {
            try {
              svc.events.complete(f, body.call(), null);
            } catch (Exception | Error e) {
              svc.events.complete(f, null, e);
            }
          });
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(new IllegalStateException("the SwapSig manager is closed"));
    }
    return f;
  }

  /** Builder of {@link SwapSigManager}; not thread-safe. */
  public static final class Builder {
    private final SwapSigNetwork network;
    private final SessionManager sessions;
    private final ChronikClient chronik;
    private SwapSigConfig config = SwapSigConfig.defaults();
    private Executor service;
    private ScheduledExecutorService scheduler;
    private Executor callbacks;
    private SecureRandom random = new SecureRandom();
    private final List<SwapSigListener> listeners = new ArrayList<>();
    private java.nio.file.Path refundJournal;

    private Builder(SwapSigNetwork network, SessionManager sessions, ChronikClient chronik) {
      this.network = Objects.requireNonNull(network, "network");
      this.sessions = Objects.requireNonNull(sessions, "sessions");
      this.chronik = Objects.requireNonNull(chronik, "chronik");
    }

    /** Limits and timings; default {@link SwapSigConfig#defaults()}. */
    public Builder config(SwapSigConfig c) {
      config = Objects.requireNonNull(c, "config");
      return this;
    }

    /** The single-threaded executor pool state lives on; default a daemon thread of its own. */
    public Builder serviceExecutor(Executor e) {
      service = e;
      return this;
    }

    /** Timers; default a daemon scheduler thread of its own. */
    public Builder scheduler(ScheduledExecutorService s) {
      scheduler = s;
      return this;
    }

    /** Where events and futures complete; default one daemon thread with a bounded queue. */
    public Builder callbackExecutor(Executor e) {
      callbacks = e;
      return this;
    }

    /** Randomness for keys, pool IDs and salts; default a new {@link SecureRandom}. */
    public Builder random(SecureRandom r) {
      random = Objects.requireNonNull(r, "random");
      return this;
    }

    /**
     * A directory where the signed refund of every setup transaction this node hands in is
     * recorded before the transaction leaves the node; on {@link SwapSigManager#start()} the
     * manager refunds by itself, once their locks expire, the shared outputs of pools it no longer
     * runs (it was restarted in the middle of them). Default none: a restart then leaves the
     * refund to the user ({@code PoolPlan.refund} with the coin's key). One manager per directory.
     */
    public Builder refundJournal(java.nio.file.Path dir) {
      refundJournal = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** A listener present from the start. */
    public Builder listener(SwapSigListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    /** @return the manager; call {@link SwapSigManager#start()} */
    public SwapSigManager build() {
      return new SwapSigManager(this);
    }
  }
}
