package org.lotusia.libp2p.protocol.dcutr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.lotusia.libp2p.AddressManager;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.HandlerOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.host.HolePunchSupport;
import org.lotusia.libp2p.internal.host.HostImpl;
import org.lotusia.libp2p.internal.proto.NatProto.HolePunch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct Connection Upgrade through Relay ({@value #PROTOCOL}, specs/relay/DCUtR.md) on a host.
 *
 * <p>When a relayed connection arrives (this host is "B", behind NAT with a reservation), it waits
 * for the remote's identify; when the remote advertises addresses it can dial directly it first
 * dials them (a unilateral upgrade); otherwise, or when that fails, it runs up to {@link
 * DcutrConfig#maxAttempts()} rounds: CONNECT with its observed addresses, the remote's CONNECT,
 * the relay round trip measured, SYNC, then after half a round trip it dials the remote's
 * addresses from its listen port while the remote ("A") dials it on receiving SYNC: a TCP
 * simultaneous open through both NATs. "A" is the client of every protocol above TCP on the
 * resulting connection, whichever socket it is. Once a direct connection exists, new streams use
 * it ({@link Host#newStream} prefers direct connections) and the relayed one is closed after
 * {@link DcutrConfig#relayCloseGrace()}; when every round fails, the relayed connection stays as
 * the fallback.
 *
 * <p>Needs a TCP transport with port reuse ({@code Transport.tcp()}) for NATs to be traversed.
 *
 * <p>Threading: stateless apart from the set of peers being upgraded (concurrent) and counters;
 * everything runs asynchronously on the host's callback executor, and listeners are called there.
 */
public final class Dcutr implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Dcutr.class);

  /** The protocol ID. */
  public static final String PROTOCOL = "/libp2p/dcutr";

  private final Host host;
  private final DcutrConfig config;
  private final HolePunchSupport punch;
  private final HostListener hostListener;
  private final Set<PeerId> upgrading = ConcurrentHashMap.newKeySet();
  private final List<Consumer<DcutrResult>> listeners = new CopyOnWriteArrayList<>();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private volatile boolean closed;

  /**
   * Installs DCUtR on {@code host}.
   *
   * @throws IllegalArgumentException when the host was not built by {@link
   *     org.lotusia.libp2p.HostBuilder}
   */
  public Dcutr(Host host, DcutrConfig config) {
    this.host = Objects.requireNonNull(host, "host");
    this.config = Objects.requireNonNull(config, "config");
    if (!(host instanceof HostImpl impl)) {
      throw new IllegalArgumentException(
          "DCUtR needs a host built by HostBuilder, got " + host.getClass().getName());
    }
    this.punch = impl.holePunchSupport();
    this.hostListener =
        new HostListener() {
          @Override
          public void connectionOpened(Connection connection) {
            if (connection.direction() == Direction.INBOUND && relayed(connection)) {
              upgrade(connection);
            }
          }
        };
    host.addListener(hostListener);
    host.setStreamHandler(PROTOCOL, this::respond, HandlerOptions.LIMITED_OK);
  }

  /** Adds a listener of upgrade outcomes (on the inbound side); runs on the callback executor. */
  public void addListener(Consumer<DcutrResult> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Upgrades that ended with a direct connection. */
  public long succeeded() {
    return succeeded.sum();
  }

  /** Upgrades that gave up and kept the relay. */
  public long failed() {
    return failed.sum();
  }

  /** Stops serving and starting upgrades; upgrades under way finish. */
  @Override
  public void close() {
    closed = true;
    host.removeListener(hostListener);
    host.removeStreamHandler(PROTOCOL);
  }

  static boolean relayed(Connection c) {
    return c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT);
  }

  /** A direct open connection to {@code peer}, if any. */
  private Optional<Connection> direct(PeerId peer) {
    return host.connections(peer).stream().filter(c -> c.isOpen() && !relayed(c)).findFirst();
  }

  /** This host's addresses for CONNECT: observed ones (what NATs map to) and direct advertised. */
  private List<Multiaddr> ownAddresses() {
    List<Multiaddr> out = new ArrayList<>();
    for (AddressManager.Entry e : host.addresses().entries()) {
      boolean usable =
          e.source() == AddressManager.Source.OBSERVED
              || (e.advertised() && e.source() != AddressManager.Source.RELAY);
      Multiaddr a = e.address();
      if (usable && HolePunchCodec.punchable(a, config.allowPrivateAddresses())
          && !out.contains(a) && out.size() < config.maxAddresses()) {
        out.add(a);
      }
    }
    return out;
  }

  // --- the inbound side ("B"): drives the upgrade

  private void upgrade(Connection relayedConn) {
    PeerId peer = relayedConn.remotePeer();
    if (closed || direct(peer).isPresent() || !upgrading.add(peer)) {
      return;
    }
    long start = System.nanoTime();
    host.identified(peer)
        .orTimeout(config.identifyTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle((info, e) -> info == null ? List.<Multiaddr>of() : info.listenAddrs())
        .thenCompose(addrs -> unilateral(peer, addrs))
        .thenCompose(
            c ->
                c != null
                    ? CompletableFuture.completedFuture(
                        result(peer, c, true, 0, start, Duration.ZERO, "unilateral dial"))
                    : round(relayedConn, 1, start, Duration.ZERO))
        .whenComplete(
            (r, e) -> {
              upgrading.remove(peer);
              DcutrResult res =
                  r != null
                      ? r
                      : new DcutrResult(peer, false, false, 0, elapsed(start), Duration.ZERO, null,
                          String.valueOf(e));
              finish(relayedConn, res);
            });
  }

  /** Dials the remote's advertised direct addresses; completes with a connection or null. */
  private CompletableFuture<Connection> unilateral(PeerId peer, List<Multiaddr> advertised) {
    List<Multiaddr> addrs = new ArrayList<>();
    for (Multiaddr a : advertised) {
      Multiaddr d = a.withoutPeerId();
      if (HolePunchCodec.punchable(d, false)) { // the spec: public addresses only
        addrs.add(d);
      }
    }
    if (addrs.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return firstOf(addrs, a ->
        host.dial(a.withPeerId(peer), new DialOptions(true, config.dialTimeout())));
  }

  private CompletableFuture<DcutrResult> round(
      Connection relayedConn, int attempt, long start, Duration lastRtt) {
    PeerId peer = relayedConn.remotePeer();
    if (!relayedConn.isOpen() || closed) {
      return CompletableFuture.completedFuture(
          new DcutrResult(peer, false, false, attempt - 1, elapsed(start), lastRtt, null,
              "relayed connection closed"));
    }
    HolePunchTiming timing = new HolePunchTiming();
    CompletableFuture<DcutrResult> next =
        relayedConn
            .newStream(List.of(PROTOCOL), true)
            .thenCompose(
                s -> {
                  timing.connectSent(System.nanoTime());
                  return s.write(HolePunchCodec.connect(ownAddresses()))
                      .thenCompose(v -> HolePunchCodec.read(s, HolePunch.Type.CONNECT, config))
                      .thenCompose(
                          m -> {
                            timing.connectReceived(System.nanoTime());
                            List<Multiaddr> theirs =
                                HolePunchCodec.addresses(m, config.allowPrivateAddresses());
                            return s.write(HolePunchCodec.sync())
                                .thenCompose(v -> s.closeWrite())
                                .thenCompose(v -> punchAfter(timing.syncDelay(), peer, theirs));
                          })
                      .orTimeout(
                          config.exchangeTimeout().plus(config.dialTimeout()).toMillis(),
                          TimeUnit.MILLISECONDS)
                      .whenComplete((c, e) -> s.close());
                })
            .handle(
                (c, e) -> {
                  Duration rtt = timingRtt(timing, lastRtt);
                  Connection d = c != null ? c : direct(peer).orElse(null);
                  if (d != null) {
                    return CompletableFuture.completedFuture(
                        result(peer, d, false, attempt, start, rtt, "hole punch"));
                  }
                  LOG.debug("dcutr round {} with {} failed: {}", attempt, peer, String.valueOf(e));
                  if (attempt >= config.maxAttempts()) {
                    return CompletableFuture.completedFuture(
                        new DcutrResult(peer, false, false, attempt, elapsed(start), rtt, null,
                            "all " + attempt + " rounds failed: " + e));
                  }
                  return round(relayedConn, attempt + 1, start, rtt);
                })
            .thenCompose(f -> f);
    return next;
  }

  private static Duration timingRtt(HolePunchTiming t, Duration fallback) {
    try {
      return t.rtt();
    } catch (IllegalStateException e) {
      return fallback;
    }
  }

  /** Waits {@code delay}, then dials every address as the server side of the punch. */
  private CompletableFuture<Connection> punchAfter(
      Duration delay, PeerId peer, List<Multiaddr> addrs) {
    if (addrs.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the CONNECT of " + peer + " had no usable address"));
    }
    var later =
        CompletableFuture.delayedExecutor(
            delay.toNanos(), TimeUnit.NANOSECONDS, host.callbackExecutor());
    return CompletableFuture.supplyAsync(() -> null, later)
        .thenCompose(x -> firstOf(addrs, a -> punch.dial(a, peer, false, config.dialTimeout())));
  }

  // --- the outbound side ("A"): answers

  private void respond(Stream s) {
    Connection conn = s.connection();
    PeerId peer = conn.remotePeer();
    if (!relayed(conn)) {
      s.reset(); // DCUtR runs over relayed connections only
      return;
    }
    HolePunchCodec.read(s, HolePunch.Type.CONNECT, config)
        .thenCompose(
            m -> {
              List<Multiaddr> theirs = HolePunchCodec.addresses(m, config.allowPrivateAddresses());
              // if their SYN reaches our listener before our own dial, we are still the client on
              // that connection: expected from now, as their dial follows our CONNECT and SYNC
              punch.expectInbound(
                  peer, theirs, config.exchangeTimeout().plus(config.dialTimeout()));
              return s.write(HolePunchCodec.connect(ownAddresses()))
                  .thenCompose(v -> HolePunchCodec.read(s, HolePunch.Type.SYNC, config))
                  .thenCompose(
                      sync -> {
                        s.close();
                        if (theirs.isEmpty()) {
                          return CompletableFuture.completedFuture(null);
                        }
                        firstOf(theirs, a -> punch.dial(a, peer, true, config.dialTimeout()))
                            .whenComplete(
                                (c, e) -> {
                                  punch.endExpectation(peer);
                                  if (e != null) {
                                    LOG.debug("dcutr dial to {} failed: {}", peer, e.toString());
                                  }
                                });
                        return CompletableFuture.completedFuture(null);
                      });
            })
        .orTimeout(config.exchangeTimeout().plus(config.dialTimeout()).toMillis(),
            TimeUnit.MILLISECONDS)
        .whenComplete(
            (c, e) -> {
              if (e != null) {
                LOG.debug("dcutr with {} (answering side) failed: {}", peer, e.toString());
                s.reset();
              }
            });
  }

  // --- helpers

  /** Starts {@code dial} on every address at once; completes with the first success, else fails. */
  private static CompletableFuture<Connection> firstOf(
      List<Multiaddr> addrs,
      java.util.function.Function<Multiaddr, CompletableFuture<Connection>> dial) {
    CompletableFuture<Connection> first = new CompletableFuture<>();
    java.util.concurrent.atomic.AtomicInteger left =
        new java.util.concurrent.atomic.AtomicInteger(addrs.size());
    for (Multiaddr a : addrs) {
      CompletableFuture<Connection> f;
      try {
        f = dial.apply(a);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete(
          (c, e) -> {
            if (c != null) {
              if (!first.complete(c)) {
                c.close(); // a second direct connection is not needed
              }
            } else if (left.decrementAndGet() == 0) {
              first.completeExceptionally(e);
            }
          });
    }
    return first;
  }

  private DcutrResult result(
      PeerId peer, Connection c, boolean unilateral, int attempts, long start, Duration rtt,
      String detail) {
    return new DcutrResult(peer, true, unilateral, attempts, elapsed(start), rtt,
        c.remoteAddress(), detail);
  }

  private static Duration elapsed(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private void finish(Connection relayedConn, DcutrResult r) {
    if (r.direct()) {
      succeeded.increment();
      LOG.info("dcutr: direct connection to {} after {} ({})", r.peer(), r.elapsed(), r.detail());
      var later =
          CompletableFuture.delayedExecutor(
              config.relayCloseGrace().toNanos(), TimeUnit.NANOSECONDS, host.callbackExecutor());
      CompletableFuture.runAsync(relayedConn::close, later);
    } else {
      failed.increment();
      LOG.info("dcutr: no direct connection to {}, the relay stays ({})", r.peer(), r.detail());
    }
    for (Consumer<DcutrResult> l : listeners) {
      try {
        host.callbackExecutor().execute(() -> {
          try {
            l.accept(r);
          } catch (RuntimeException e) {
            LOG.warn("dcutr listener threw; ignored", e);
          }
        });
      } catch (RuntimeException e) {
        LOG.debug("dcutr listener not called: {}", e.toString());
      }
    }
  }
}
