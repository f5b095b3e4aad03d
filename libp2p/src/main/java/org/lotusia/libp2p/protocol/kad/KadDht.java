package org.lotusia.libp2p.protocol.kad;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kademlia DHT (https://github.com/libp2p/specs/blob/master/kad-dht/README.md) attached to a
 * {@link Host}: peer routing, a key/value store with per-namespace validators and selectors, and
 * provider records. Wire-compatible with js-libp2p's {@code @libp2p/kad-dht}.
 *
 * <p>Peers enter the routing table when identify shows they serve the DHT protocol (server mode),
 * or when they answer one of our requests; a full bucket pings its least recently seen peer before
 * replacing it. In server mode (the default) the host serves the protocol; in client mode it only
 * queries. Addresses learned from answers go into the host's peer store (those the {@link
 * AddressFilter} keeps).
 *
 * <p>Upkeep runs on the DHT's clock: stored records and provider records expire, own records are
 * put again every {@link KadDhtConfig#republishInterval()} and own provider records announced
 * again every {@link KadDhtConfig#reprovideInterval()}, and every {@link
 * KadDhtConfig#refreshInterval()} a self lookup and random walks refresh the routing table.
 * Routing-table changes reach {@link KadListener}s, and routing-table peers carry a host tag so the
 * connection trimmer closes connections opened only for queries first; {@link #stats()} counts
 * queries, refusals and failures.
 *
 * <p>Threading: all state is confined to one single-threaded executor owned by this object. Methods
 * are thread-safe and never block. Their futures complete on the JDK's default asynchronous
 * executor (the one {@link CompletableFuture#defaultExecutor()} names), never on the DHT's thread,
 * so a slow dependent stage cannot stall lookups or the serving side; {@link #start()}'s completes
 * on the host's callback executor instead. A future that fails early (bad argument, closed DHT)
 * may complete on the calling thread. Every future completes: with a
 * result, an exception, or a timeout after the configured query timeout.
 */
public final class KadDht implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KadDht.class);

  /** Delay before a refused completion of {@link #start()} is offered to the host again. */
  static final long CALLBACK_RETRY_MILLIS = 10;

  /** Where the futures handed to callers complete: never the DHT's own thread. */
  private static final Executor CALLBACKS = new CompletableFuture<Void>().defaultExecutor();

  final Host host;
  final KadDhtConfig config;
  final Clock clock;
  final ScheduledExecutorService executor;
  final RoutingTable table;
  final RecordStore records;
  final ProviderStore providers;
  private final GuardedPersistence persistence;
  final Namespaces namespaces;
  final KadRpc rpc;
  final KadMetrics metrics = new KadMetrics();
  final KadOperations ops;
  final RecordOperations recordOps;
  final Republisher republisher;
  final Maintenance maintenance;
  final KadEvents events;
  private final PeerTagging tagging;
  private final KadRequestHandler requests;
  private final KadStreamHandler streams;
  private final HostListener listener;
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
  /** The future of the first {@link #start()}; null until then. */
  private final AtomicReference<CompletableFuture<Void>> startup = new AtomicReference<>();
  private volatile boolean closed;

  /** A DHT with the system UTC clock; call {@link #start()} to attach it. */
  public KadDht(Host host, KadDhtConfig config) {
    this(host, config, Clock.systemUTC());
  }

  /**
   * A DHT whose times come from {@code clock}.
   *
   * @param host the host to attach to
   * @param config settings
   * @param clock time source for record times, record and provider expiry, and lookup deadlines
   */
  public KadDht(Host host, KadDhtConfig config, Clock clock) {
    this.host = host;
    this.config = config;
    this.clock = clock;
    ScheduledThreadPoolExecutor loop =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "lotus-kad-dht-" + host.peerId().toBase58().substring(0, 12));
              t.setDaemon(true);
              return t;
            });
    // request timeouts are cancelled when the answer comes: drop them from the queue at once
    loop.setRemoveOnCancelPolicy(true);
    this.executor = loop;
    PeerId self = host.peerId();
    this.events = new KadEvents(host.callbackExecutor(), metrics);
    this.tagging = new PeerTagging(host, events);
    this.table = new RoutingTable(self, config.k(), tagging);
    events.watch(table);
    this.persistence = new GuardedPersistence(config.persistence());
    this.records =
        new RecordStore(
            self,
            config.maxRecords(),
            config.maxRecordBytes(),
            config.maxRecordsPerPeer(),
            config.recordTtl(),
            persistence);
    this.providers =
        new ProviderStore(
            self,
            config.maxProviderKeys(),
            config.maxProvidersPerKey(),
            config.maxProvidersPerPeer(),
            config.providerTtl(),
            persistence);
    this.namespaces =
        new Namespaces(
            config.validators(),
            config.selectors(),
            config.unnamespacedValidator(),
            config.unnamespacedSelector());
    this.rpc = new KadRpc(host, config, metrics, executor);
    this.requests =
        new KadRequestHandler(
            self,
            this::selfAddresses,
            config,
            table,
            records,
            providers,
            namespaces,
            host.peerStore(),
            p -> !host.connections(p).isEmpty(),
            metrics,
            this::storesChanged);
    this.streams = new KadStreamHandler(config, requests, executor, clock, metrics);
    this.ops = new KadOperations(this);
    this.recordOps = new RecordOperations(this);
    this.republisher = new Republisher(this);
    this.maintenance = new Maintenance(this);
    this.listener =
        new HostListener() {
          @Override
          public void identifyCompleted(Connection connection, IdentifyInfo info) {
            if (info.protocols().contains(config.protocolId())) {
              runQuietly(() -> consider(connection.remotePeer()));
            }
          }
        };
  }

  /**
   * Attaches to the host: serves the protocol and, if the host does not yet, {@value
   * Ping#PROTOCOL_ID} (unless in client mode; js-libp2p only adds peers that answer a ping),
   * watches identify for DHT servers, adds already identified peers, dials the configured bootstrap
   * peers, and schedules the periodic maintenance (refresh, expiry, republish).
   *
   * <p>The host-side registrations (protocol handler, ping, identify listener) are in place when
   * this method returns. The future completes once the DHT's thread has also restored the
   * persisted records ({@link KadDhtConfig#persistence()}) and taken in the peers already
   * identified; like {@code GossipSub.start()}'s, it completes on the host's callback executor
   * ({@link Host#callbackExecutor()}). Calling again returns a future for the same start. A caller
   * may ignore the future: the DHT starts all the same.
   *
   * @return completes when the DHT is started; fails with {@link IllegalStateException} when the
   *     DHT was closed before or while it started
   */
  public CompletableFuture<Void> start() {
    if (closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the DHT is closed and cannot be started again"));
    }
    CompletableFuture<Void> started = new CompletableFuture<>();
    if (!startup.compareAndSet(null, started)) {
      return startup.get().copy();
    }
    pending.add(started); // close() fails it while the start is under way
    started.whenComplete((v, e) -> pending.remove(started));
    if (!config.clientMode()) {
      host.setStreamHandler(config.protocolId(), streams);
      if (!host.protocols().contains(Ping.PROTOCOL_ID)) {
        // js-libp2p pings a new DHT peer with libp2p ping before adding it to its routing table
        host.addProtocol(new Ping());
      }
    }
    runQuietly(this::restorePersisted);
    host.addListener(listener);
    for (Connection c : host.connections()) {
      PeerId p = c.remotePeer();
      if (host.peerStore().protocols(p).contains(config.protocolId())) {
        runQuietly(() -> consider(p));
      }
    }
    try {
      maintenance.start();
      // the executor runs its tasks in order: this one follows the restore and the peers above
      executor.execute(() -> completeOnCallbacks(started));
    } catch (RejectedExecutionException e) {
      started.completeExceptionally(new IllegalStateException("the DHT is closed", e));
    }
    return started.copy();
  }

  /**
   * Completes {@code future} on the host's callback executor. One that refuses the task (full) is
   * offered it again after {@value #CALLBACK_RETRY_MILLIS} ms, so dependent stages never run on the
   * DHT's thread; once the DHT is closed, {@link #close()} has failed the future instead.
   */
  private void completeOnCallbacks(CompletableFuture<Void> future) {
    try {
      host.callbackExecutor().execute(() -> future.complete(null));
    } catch (RejectedExecutionException full) {
      try {
        executor.schedule(
            () -> completeOnCallbacks(future), CALLBACK_RETRY_MILLIS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closedNow) {
        future.completeExceptionally(new IllegalStateException("the DHT is closed", closedNow));
      }
    }
  }

  /**
   * Stops serving, resets the inbound DHT streams still open, cancels timers and removes the DHT's
   * tag from routing-table peers; pending operations fail with {@link IllegalStateException}.
   * Idempotent; a closed DHT cannot be started again.
   */
  @Override
  public void close() {
    closed = true;
    host.removeListener(listener);
    if (!config.clientMode()) {
      host.removeStreamHandler(config.protocolId());
    }
    executor.shutdownNow();
    rpc.close();
    streams.closeAll();
    tagging.untagAll();
    IllegalStateException gone = new IllegalStateException("the DHT is closed");
    for (CompletableFuture<?> f : List.copyOf(pending)) {
      f.completeExceptionally(gone);
    }
  }

  /** The host this DHT runs on. */
  public Host host() {
    return host;
  }

  /** The settings. */
  public KadDhtConfig config() {
    return config;
  }

  /**
   * Adds a listener of routing-table changes; events arrive on the host's callback executor, in
   * order (see {@link KadListener}).
   */
  public void addListener(KadListener listener) {
    events.addListener(listener);
  }

  /** Removes a listener added before; events already handed over may still arrive. */
  public void removeListener(KadListener listener) {
    events.removeListener(listener);
  }

  /**
   * The number of peers in the routing table, as of the last change. Cheap and thread-safe: it
   * reads a published value and never waits for the DHT's thread.
   */
  public int routingTableSize() {
    return metrics.tableSize();
  }

  /** Whether this node serves the DHT protocol (server mode) rather than only querying it. */
  public boolean isServerMode() {
    return !config.clientMode();
  }

  /** A snapshot of the state and counters; cheap and thread-safe, never waits. */
  public KadStats stats() {
    return metrics.snapshot(isServerMode());
  }

  /**
   * Loads the records kept by the {@link RecordPersistence}: each is validated again and keeps its
   * receive time; expired, invalid or refused ones are reported removed. Executor only.
   */
  private void restorePersisted() {
    java.time.Instant now = clock.instant();
    int kept = 0;
    int dropped = 0;
    for (RecordPersistence.StoredRecord r : persistence.loadRecords()) {
      if (namespaces.isValid(r.key(), r.value()) && records.restore(r, now)) {
        kept++;
      } else {
        persistence.recordRemoved(r.key());
        dropped++;
      }
    }
    for (RecordPersistence.StoredProvider p : persistence.loadProviders()) {
      if (providers.restore(p, now)) {
        kept++;
      } else {
        persistence.providerRemoved(p.key(), p.provider());
        dropped++;
      }
    }
    storesChanged();
    if (kept + dropped > 0) {
      LOG.info("DHT restored {} stored records and provider records, dropped {}", kept, dropped);
    }
  }

  /** Publishes the store sizes to the stats; executor only. */
  void storesChanged() {
    metrics.storesChanged(records, providers);
  }

  List<Multiaddr> selfAddresses() {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : host.listenAddresses()) {
      Multiaddr plain = a.withoutPeerId();
      if (config.addressFilter().accept(plain)) {
        out.add(plain);
      }
    }
    return out;
  }

  /** Runs {@code task} on the executor unless the DHT is closed. */
  private void runQuietly(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("DHT closed, dropping a routing table update");
    }
  }

  /** Adds a peer known to serve the DHT; pings the oldest of a full bucket first. Executor only. */
  void consider(PeerId peer) {
    if (table.add(peer) instanceof RoutingTable.AddResult.PingNeeded ping) {
      Message msg = Message.newBuilder().setType(Message.MessageType.PING).build();
      rpc.request(ping.oldest(), msg)
          .whenCompleteAsync((m, e) -> table.pingResult(ping.oldest(), e == null), executor);
    }
  }

  /**
   * Runs {@code task} on the executor and flattens its future, which completes on {@link
   * #CALLBACKS}; the result fails with {@link IllegalStateException} when the DHT is or gets closed
   * first.
   */
  <T> CompletableFuture<T> onExecutor(Supplier<CompletableFuture<T>> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new IllegalStateException("the DHT is closed"));
      return result;
    }
    pending.add(result);
    result.whenComplete((v, e) -> pending.remove(result));
    try {
      executor.execute(
          () -> {
            try {
              // complete off the executor: a caller's dependent stage that blocks or runs long
              // must not stall every lookup and the serving side with it
              task.get()
                  .whenCompleteAsync(
                      (v, e) -> {
                        if (e != null) {
                          result.completeExceptionally(e);
                        } else {
                          result.complete(v);
                        }
                      },
                      CALLBACKS);
            } catch (RuntimeException e) {
              result.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new IllegalStateException("the DHT is closed", e));
    }
    return result;
  }

  /** The peers in the routing table. */
  public CompletableFuture<List<PeerId>> routingTablePeers() {
    return onExecutor(() -> CompletableFuture.completedFuture(table.peers()));
  }

  /**
   * Dials the configured bootstrap peers that are not connected, then looks up our own ID, filling
   * the routing table; completes with the closest peers found.
   */
  public CompletableFuture<List<KadPeer>> bootstrap() {
    return maintenance.dialBootstrapPeers().thenCompose(v -> getClosestPeers(host.peerId().toBytes()));
  }

  /** The {@code k} peers closest to {@code key} that answered a FIND_NODE lookup. */
  public CompletableFuture<List<KadPeer>> getClosestPeers(byte[] key) {
    return ops.closestPeers(key.clone());
  }

  /**
   * As {@link #getClosestPeers(byte[])}, with {@code listener} following the lookup (its rounds,
   * the peers it asks, how it ended).
   */
  public CompletableFuture<List<KadPeer>> getClosestPeers(byte[] key, QueryListener listener) {
    return ops.closestPeers(key.clone(), java.util.Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Finds the addresses of {@code peer}: from a live connection, or by a FIND_NODE lookup.
   * Completes empty when nobody knew it.
   */
  public CompletableFuture<Optional<KadPeer>> findPeer(PeerId peer) {
    return ops.findPeer(peer);
  }

  /** Puts with {@link PutOptions#DEFAULTS}; see {@link #put(byte[], byte[], PutOptions)}. */
  public CompletableFuture<List<PeerId>> put(byte[] key, byte[] value) {
    return put(key, value, PutOptions.DEFAULTS);
  }

  /**
   * Stores {@code value} under {@code key} locally and at the {@code k} closest peers, and puts it
   * again every {@link KadDhtConfig#republishInterval()} while this node runs. The validator runs
   * on the calling thread, the selector on the DHT's thread.
   *
   * @return the peers that confirmed storing it (by echoing it, as the spec asks); fails with
   *     {@link IllegalArgumentException} when the record's namespace is unknown, its validator
   *     rejects it, or the selector prefers the value already stored here (a put cannot replace a
   *     newer value with an older one, as in go-libp2p), and with {@link KadPutException} when
   *     fewer peers than {@link PutOptions#minReplicas()} confirmed it
   */
  public CompletableFuture<List<PeerId>> put(byte[] key, byte[] value, PutOptions options) {
    return recordOps.put(key.clone(), value.clone(), options);
  }

  /** Gets with {@link GetOptions#DEFAULTS}; see {@link #get(byte[], GetOptions)}. */
  public CompletableFuture<Optional<byte[]>> get(byte[] key) {
    return get(key, GetOptions.DEFAULTS);
  }

  /**
   * Finds the value of {@code key}: every valid record the lookup meets and the local copy are
   * candidates alike, and the namespace's selector chooses (on the DHT's thread). Peers that
   * answered with a value the selector ranks below the chosen one get a correcting PUT_VALUE with
   * the chosen record, and the local copy is replaced when it ranks below; a peer whose value does
   * not rank below it is never overwritten. With a {@link GetOptions#quorum()} the lookup stops as
   * soon as that many peers answered with the preferred value.
   */
  public CompletableFuture<Optional<byte[]>> get(byte[] key, GetOptions options) {
    return recordOps.get(key.clone(), options);
  }

  /**
   * Announces this host as a provider of {@code key} (a multihash, SHA-256 in practice, or a CID)
   * locally and to the {@code k} closest peers, and again every {@link
   * KadDhtConfig#reprovideInterval()} while this node runs.
   *
   * @return the peers the announcement was sent to; fails with {@link IllegalArgumentException}
   *     when the key is not a CID or multihash
   */
  public CompletableFuture<List<PeerId>> provide(byte[] key) {
    return ops.provide(key.clone());
  }

  /** Finds up to {@code max} providers of {@code key} (a multihash or CID). */
  public CompletableFuture<List<KadPeer>> findProviders(byte[] key, int max) {
    return ops.findProviders(key.clone(), max);
  }

  static ByteString bytes(byte[] b) {
    return ByteString.copyFrom(b);
  }
}
