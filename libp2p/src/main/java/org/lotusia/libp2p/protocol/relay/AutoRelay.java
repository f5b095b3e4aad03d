package org.lotusia.libp2p.protocol.relay;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this host reachable through relays while it is not publicly reachable: holds a reservation
 * on each configured static relay and on up to {@link AutoRelayConfig#targetReservations()} relays
 * chosen among connected peers that announce {@value RelayService#HOP} in identify, renews every
 * reservation before it expires, and makes a new one when a relay restarts or drops the
 * connection (reconnecting to a static relay with exponential backoff). The circuit addresses of
 * the held reservations are advertised by the {@link CircuitRelay} (listen addresses and identify)
 * and withdrawn when a reservation ends; reservation events reach the {@link RelayListener}s of the
 * circuit relay (see {@link #addListener}).
 *
 * <p>Reservations are wanted unless {@link AutoRelayConfig#reachability()} says {@link
 * Reachability#PUBLIC}; when it does, the reservations AutoRelay made are released and their
 * addresses withdrawn. Feed it AutoNAT's verdict; the default (unknown) reserves.
 *
 * <p>Threading: all decisions run on one scheduler thread (owned, a daemon, unless one is given),
 * once per {@link AutoRelayConfig#checkInterval()} and whenever a reservation ends or a peer
 * finishes identify; time comes from the injected clock, so a test steps renewals and backoffs.
 * Network work is asynchronous and never blocks that thread.
 */
public final class AutoRelay implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AutoRelay.class);

  private final CircuitRelay relay;
  private final Host host;
  private final AutoRelayConfig config;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final RelayAttempts attempts;
  private final Set<PeerId> mine = new HashSet<>();
  private final Set<PeerId> staticPeers = new HashSet<>();
  private final RelayListener relayListener;
  private final HostListener hostListener;
  private volatile boolean closed;
  private final java.util.concurrent.ScheduledFuture<?> ticker;
  private final java.util.concurrent.atomic.AtomicLong checks = new java.util.concurrent.atomic.AtomicLong();

  /** Starts AutoRelay with its own scheduler thread and the system clock. */
  public AutoRelay(CircuitRelay relay, AutoRelayConfig config) {
    this(relay, config, Clock.systemUTC(), null);
  }

  /**
   * Starts AutoRelay.
   *
   * @param clock the time source for renewals and backoffs
   * @param scheduler a single-threaded scheduler to run on, or {@code null} for an owned one; a
   *     given scheduler is not shut down by {@link #close()}
   */
  public AutoRelay(
      CircuitRelay relay,
      AutoRelayConfig config,
      Clock clock,
      ScheduledExecutorService scheduler) {
    this.relay = Objects.requireNonNull(relay, "relay");
    this.host = relay.host();
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ownsScheduler = scheduler == null;
    this.scheduler =
        scheduler != null
            ? scheduler
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "lotus-autorelay");
                  t.setDaemon(true);
                  return t;
                });
    this.attempts = new RelayAttempts(config.minBackoff(), config.maxBackoff());
    for (Multiaddr a : config.staticRelays()) {
      staticPeers.add(a.peerId().orElseThrow());
    }
    this.relayListener =
        new RelayListener() {
          @Override
          public void reservationRemoved(Reservation reservation, String reason) {
            // a relay restarted or dropped us: look for a replacement now, not at the next tick
            trigger();
          }
        };
    this.hostListener =
        new HostListener() {
          @Override
          public void identifyCompleted(Connection connection, IdentifyInfo info) {
            if (info.protocols().contains(RelayService.HOP)) {
              trigger();
            }
          }
        };
    relay.addListener(relayListener);
    host.addListener(hostListener);
    long period = config.checkInterval().toMillis();
    this.ticker = this.scheduler.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
  }

  /** Adds a listener of reservation events (those of the underlying {@link CircuitRelay}). */
  public void addListener(RelayListener listener) {
    relay.addListener(listener);
  }

  /** Removes a listener added before. */
  public void removeListener(RelayListener listener) {
    relay.removeListener(listener);
  }

  /** The reservations held now. */
  public List<Reservation> reservations() {
    return relay.reservations();
  }

  /** The number of checks run so far (for monitoring and tests). */
  public long checksRun() {
    return checks.get();
  }

  /** Runs a check soon, e.g. after the reachability changed. */
  public void trigger() {
    if (closed) {
      return;
    }
    try {
      scheduler.execute(this::tick);
    } catch (RejectedExecutionException e) {
      LOG.debug("autorelay check not scheduled: {}", e.toString());
    }
  }

  /** Stops checking; reservations already held stay until they expire or are released. */
  @Override
  public void close() {
    closed = true;
    ticker.cancel(false); // a scheduler given to us lives on: leave no periodic task on it
    relay.removeListener(relayListener);
    host.removeListener(hostListener);
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  private void tick() {
    if (closed) {
      return;
    }
    try {
      check();
    } catch (RuntimeException e) {
      LOG.warn("autorelay check failed; retried at the next interval", e);
    } finally {
      checks.incrementAndGet();
    }
  }

  private void check() {
    Instant now = clock.instant();
    Reachability reachability;
    try {
      reachability = Objects.requireNonNullElse(config.reachability().get(), Reachability.UNKNOWN);
    } catch (RuntimeException e) {
      LOG.warn("reachability source threw; treated as unknown", e);
      reachability = Reachability.UNKNOWN;
    }
    if (reachability == Reachability.PUBLIC) {
      for (PeerId p : List.copyOf(mine)) {
        relay.release(p);
        attempts.forget(p);
      }
      mine.clear();
      return;
    }
    Map<PeerId, Reservation> held =
        relay.reservations().stream().collect(Collectors.toMap(Reservation::relay, r -> r));
    mine.retainAll(held.keySet());
    for (Reservation r : held.values()) {
      if (mine.contains(r.relay())
          && attempts.ready(r.relay(), now)
          && attempts.renewalDue(r.relay(), r.expiration(), config.renewBefore(), now)) {
        attempt(r.relay(), () -> relay.reserve(r.relay()));
      }
    }
    for (Multiaddr a : config.staticRelays()) {
      PeerId p = a.peerId().orElseThrow();
      if (!held.containsKey(p) && attempts.ready(p, now)) {
        attempt(p, () -> relay.reserve(a));
      }
    }
    long discovered =
        held.keySet().stream().filter(p -> mine.contains(p) && !staticPeers.contains(p)).count();
    for (PeerId p : candidates(held.keySet())) {
      if (discovered >= config.targetReservations()) {
        break;
      }
      if (attempts.inFlight(p)) {
        discovered++;
      } else if (attempts.ready(p, now)) {
        discovered++;
        attempt(p, () -> relay.reserve(p));
      }
    }
  }

  /** Connected peers that announce hop, have a direct connection, and hold no reservation of ours. */
  private Set<PeerId> candidates(Set<PeerId> held) {
    Set<PeerId> out = new LinkedHashSet<>();
    for (Connection c : host.connections()) {
      PeerId p = c.remotePeer();
      if (!held.contains(p)
          && !staticPeers.contains(p)
          && !RelayService.isRelayed(c)
          && host.peerStore().protocols(p).contains(RelayService.HOP)) {
        out.add(p);
      }
    }
    return out;
  }

  private void attempt(PeerId p, Supplier<CompletableFuture<Reservation>> reserve) {
    attempts.started(p);
    CompletableFuture<Reservation> f;
    try {
      f = reserve.get();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete(
        (r, e) -> {
          try {
            scheduler.execute(() -> done(p, e));
          } catch (RejectedExecutionException x) {
            LOG.debug("autorelay closed before the reservation on {} finished", p);
          }
        });
  }

  private void done(PeerId p, Throwable error) {
    Instant now = clock.instant();
    if (error == null) {
      attempts.succeeded(p, now);
      mine.add(p);
      if (closed) {
        return;
      }
      // reachability may have turned public while we reserved: the next check releases it
      trigger();
    } else {
      attempts.failed(p, now);
      LOG.debug("reservation on {} failed, next try at {}: {}", p, attempts.retryAt(p), error.toString());
    }
  }
}
