package org.lotusia.libp2p.protocol.autonat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.lotusia.libp2p.AddressManager.Verdict;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.HandlerOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.lotusia.libp2p.protocol.relay.Reachability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AutoNAT client of a host: asks connected AutoNAT servers to dial this host back at its
 * candidate addresses ({@link org.lotusia.libp2p.AddressManager#candidates()}: public listen and
 * announced addresses, observed and mapped addresses), one address per probe, with v2 where the
 * server speaks it and v1 otherwise, and keeps a verdict per address with confidence and
 * hysteresis ({@link ReachabilityTracker}). Verdicts go to the address manager (a reachable
 * observed address becomes advertised) and make the host's {@link #reachability()}: {@link
 * Reachability#PUBLIC} when an address is reachable, {@link Reachability#PRIVATE} when addresses
 * were tested and none is, {@link Reachability#UNKNOWN} before. Pass {@link #reachabilitySupplier()}
 * to AutoRelay so relays are asked for only when private (or still unknown).
 *
 * <p>It also serves {@value #V2_DIAL_BACK}, where v2 servers deliver the nonce.
 *
 * <p>Threading: all state is confined to one scheduler thread (owned, a daemon, unless given);
 * probes run asynchronously on the network and never block it. Listeners run on the host's callback
 * executor. Time comes from the injected clock, so a test steps the retry and refresh intervals.
 */
public final class AutoNat implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AutoNat.class);

  /** AutoNAT v1. */
  public static final String V1 = "/libp2p/autonat/1.0.0";

  /** AutoNAT v2, the request stream. */
  public static final String V2_DIAL_REQUEST = "/libp2p/autonat/2/dial-request";

  /** AutoNAT v2, the dial-back stream. */
  public static final String V2_DIAL_BACK = "/libp2p/autonat/2/dial-back";

  static final int STATUS_INTERNAL_ERROR = 0;
  static final int STATUS_REQUEST_REJECTED = 100;
  static final int STATUS_DIAL_REFUSED = 101;
  static final int STATUS_OK = 200;
  static final int DIAL_ERROR = 100;
  static final int DIAL_BACK_ERROR = 101;
  static final int DIAL_OK = 200;
  static final int MAX_DIAL_DATA_CHUNK = 4096;

  private final Host host;
  private final AutoNatConfig config;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final ReachabilityTracker<Multiaddr> tracker;
  private final V2Client v2;
  private final Map<PeerId, Instant> lastAsked = new HashMap<>();
  private final Map<PeerId, Instant> backoff = new HashMap<>();
  private final List<Consumer<Reachability>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<ProbeResult>> probeListeners = new CopyOnWriteArrayList<>();
  private final HostListener hostListener;
  private final AtomicLong probes = new AtomicLong();
  private volatile Reachability reachability = Reachability.UNKNOWN;
  private boolean probing;
  private volatile boolean closed;
  private final java.util.concurrent.ScheduledFuture<?> ticker;

  /** Starts the client with its own scheduler thread and the system clock. */
  public AutoNat(Host host, AutoNatConfig config) {
    this(host, config, Clock.systemUTC(), null);
  }

  /**
   * Starts the client.
   *
   * @param scheduler a single-threaded scheduler to confine the state to, or {@code null} for an
   *     owned one; a given scheduler is not shut down by {@link #close()}
   */
  public AutoNat(
      Host host, AutoNatConfig config, Clock clock, ScheduledExecutorService scheduler) {
    this.host = Objects.requireNonNull(host, "host");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ownsScheduler = scheduler == null;
    this.scheduler =
        scheduler != null
            ? scheduler
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "lotus-autonat");
                  t.setDaemon(true);
                  return t;
                });
    this.tracker = new ReachabilityTracker<>(config.confirmations(), config.maxConfidence(), 256);
    this.v2 = new V2Client(config);
    host.setStreamHandler(V2_DIAL_BACK, v2::onDialBack, HandlerOptions.DEFAULT);
    this.hostListener =
        new HostListener() {
          @Override
          public void identifyCompleted(Connection connection, IdentifyInfo info) {
            if (info.protocols().contains(V2_DIAL_REQUEST) || info.protocols().contains(V1)
                || info.observedAddr().isPresent()) {
              trigger();
            }
          }
        };
    host.addListener(hostListener);
    long period = config.checkInterval().toMillis();
    this.ticker = this.scheduler.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
  }

  /** The host's reachability from the verdicts so far. */
  public Reachability reachability() {
    return reachability;
  }

  /** A supplier of {@link #reachability()}, for {@code AutoRelayConfig.Builder.reachability}. */
  public Supplier<Reachability> reachabilitySupplier() {
    return this::reachability;
  }

  /**
   * The verdict per tested address (a snapshot; runs on the scheduler, so do not call it from
   * there).
   */
  public Map<Multiaddr, Verdict> verdicts() {
    return onScheduler(tracker::verdicts).join();
  }

  /** The number of probes finished so far. */
  public long probesRun() {
    return probes.get();
  }

  /** Adds a listener of reachability changes; runs on the host's callback executor. */
  public void addListener(Consumer<Reachability> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Adds a listener of every probe outcome; runs on the host's callback executor. */
  public void addProbeListener(Consumer<ProbeResult> listener) {
    probeListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Probes {@code addrs} now with {@code server} (v2 when it speaks it, else v1 with the first
   * address), records the outcome like a scheduled probe and returns it. Fails when the server is
   * not connected directly or speaks no AutoNAT.
   */
  public CompletableFuture<ProbeResult> probe(PeerId server, List<Multiaddr> addrs) {
    return onScheduler(() -> startProbe(server, addrs)).thenCompose(f -> f);
  }

  /** Looks for an address to probe soon (also done every check interval). */
  public void trigger() {
    if (closed) {
      return;
    }
    try {
      scheduler.execute(this::tick);
    } catch (RejectedExecutionException e) {
      LOG.debug("autonat check not scheduled: {}", e.toString());
    }
  }

  /** Stops probing and serving dial-backs. */
  @Override
  public void close() {
    closed = true;
    ticker.cancel(false); // a scheduler given to us lives on: leave no periodic task on it
    host.removeListener(hostListener);
    host.removeStreamHandler(V2_DIAL_BACK);
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  private void tick() {
    if (closed || probing) {
      return;
    }
    try {
      Instant now = clock.instant();
      for (Multiaddr a : candidates()) {
        if (tracker.due(a, now, config.retryInterval(), config.refreshInterval())) {
          Optional<PeerId> server = pickServer(now);
          if (server.isEmpty()) {
            return;
          }
          startProbe(server.get(), List.of(a));
          return;
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("autonat check failed; retried at the next interval", e);
    }
  }

  /** The direct, unlimited server asked longest ago that is not backing off. */
  private Optional<PeerId> pickServer(Instant now) {
    PeerId best = null;
    Instant bestAsked = null;
    for (PeerId p : host.connectedPeers()) {
      Instant until = backoff.get(p);
      if ((until != null && now.isBefore(until)) || directConnection(p).isEmpty()) {
        continue;
      }
      List<String> protos = host.peerStore().protocols(p);
      if (!protos.contains(V2_DIAL_REQUEST) && !(config.useV1() && protos.contains(V1))) {
        continue;
      }
      Instant asked = lastAsked.getOrDefault(p, Instant.MIN);
      if (best == null || asked.isBefore(bestAsked)) {
        best = p;
        bestAsked = asked;
      }
    }
    return Optional.ofNullable(best);
  }

  private Optional<Connection> directConnection(PeerId p) {
    return host.connections(p).stream()
        .filter(c -> c.isOpen() && !c.limited()
            && !c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT))
        .findFirst();
  }

  private CompletableFuture<ProbeResult> startProbe(PeerId server, List<Multiaddr> addrs) {
    Optional<Connection> conn = directConnection(server);
    List<String> protos = host.peerStore().protocols(server);
    if (conn.isEmpty() || addrs.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no direct connection to " + server + " or no address"));
    }
    boolean useV2 = protos.contains(V2_DIAL_REQUEST);
    if (!useV2 && !protos.contains(V1)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(server + " announces no AutoNAT protocol"));
    }
    Instant now = clock.instant();
    probing = true;
    lastAsked.put(server, now);
    for (Multiaddr a : addrs) {
      tracker.attempted(a, now);
    }
    CompletableFuture<ProbeResult> exchange =
        useV2
            ? v2.check(conn.get(), addrs)
            : V1Client.check(conn.get(), host.peerId(), List.of(addrs.get(0)));
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    exchange
        .orTimeout(config.probeTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (r, e) -> {
              ProbeResult outcome =
                  r != null
                      ? r
                      : ProbeResult.inconclusive(server, useV2 ? 2 : 1, String.valueOf(e));
              try {
                scheduler.execute(() -> finished(outcome, result));
              } catch (RejectedExecutionException x) {
                result.complete(outcome);
              }
            });
    return result;
  }

  private void finished(ProbeResult r, CompletableFuture<ProbeResult> result) {
    probing = false;
    probes.incrementAndGet();
    Instant now = clock.instant();
    LOG.debug("autonat probe via {}: {} {} ({})", r.server(), r.addresses(), r.outcome(), r.detail());
    if (r.outcome() == Verdict.UNKNOWN) {
      backoff.put(r.server(), now.plus(config.serverBackoff()));
    }
    for (Multiaddr a : r.addresses()) {
      if (r.outcome() == Verdict.UNKNOWN) {
        continue;
      }
      Verdict before = tracker.verdict(a);
      Verdict after = tracker.record(a, r.outcome(), now);
      if (after != before) {
        host.addresses().setVerdict(a, after);
      }
    }
    updateReachability();
    emitProbe(r);
    result.complete(r);
  }

  private void updateReachability() {
    List<Multiaddr> current = candidates();
    Reachability next = Reachability.UNKNOWN;
    for (Multiaddr a : current) {
      Verdict v = tracker.verdict(a);
      if (v == Verdict.REACHABLE) {
        next = Reachability.PUBLIC;
        break;
      }
      if (v == Verdict.UNREACHABLE) {
        next = Reachability.PRIVATE;
      }
    }
    if (next != reachability) {
      LOG.info("reachability of {} is now {}", host.peerId(), next);
      reachability = next;
      Reachability value = next;
      for (Consumer<Reachability> l : listeners) {
        callback(() -> l.accept(value));
      }
    }
  }

  private void emitProbe(ProbeResult r) {
    for (Consumer<ProbeResult> l : probeListeners) {
      callback(() -> l.accept(r));
    }
  }

  private void callback(Runnable r) {
    try {
      host.callbackExecutor().execute(() -> {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.warn("autonat listener threw; ignored", e);
        }
      });
    } catch (RuntimeException e) {
      LOG.debug("autonat listener not called: {}", e.toString());
    }
  }

  private <T> CompletableFuture<T> onScheduler(Supplier<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      scheduler.execute(() -> {
        try {
          f.complete(task.get());
        } catch (RuntimeException e) {
          f.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(new IllegalStateException("autonat is closed", e));
    }
    return f;
  }

  /** The addresses to probe: the manager's candidates, or every direct address when asked. */
  private List<Multiaddr> candidates() {
    if (!config.testPrivateAddresses()) {
      return host.addresses().candidates();
    }
    List<Multiaddr> out = new ArrayList<>();
    for (var e : host.addresses().entries()) {
      Multiaddr a = e.address();
      if (e.source() != org.lotusia.libp2p.AddressManager.Source.RELAY
          && !a.has(MultiaddrProtocol.P2P_CIRCUIT)
          && org.lotusia.libp2p.AddressScope.ip(a).filter(ip -> !ip.isAnyLocalAddress()).isPresent()
          && !out.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }
}
