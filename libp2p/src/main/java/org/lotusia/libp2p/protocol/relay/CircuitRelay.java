package org.lotusia.libp2p.protocol.relay;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.HandlerOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.host.HostImpl;
import org.lotusia.libp2p.internal.host.RelaySupport;
import org.lotusia.libp2p.internal.host.SerialExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of circuit relay v2 on a host: reservations on relays, the stop protocol, and a
 * transport for circuit addresses ({@code /p2p/<relay>/p2p-circuit/p2p/<target>}).
 *
 * <p>Once created: {@link Host#dial} handles circuit addresses (hop {@code CONNECT} through the
 * relay, then Noise and Yamux over the relayed stream, so the target is authenticated end to end);
 * {@value #STOP} is served, and a relayed connection is accepted from a relay this host holds a
 * reservation on; while reservations are held, their circuit addresses appear in {@link
 * Host#listenAddresses()} and identify, and connected peers are told of changes (identify push).
 * Relayed connections with limits are {@link Connection#limited()}. Reservations are made by
 * {@link #reserve}, or kept up automatically by {@link AutoRelay}.
 *
 * <p>A reservation is held until it expires, until {@link #release} or until no direct
 * connection to its relay is left (the relay drops it then too). Renewing is a new {@link
 * #reserve} before the expiration.
 *
 * <p>Threading: thread-safe; futures complete and listeners run on the host's callback executor,
 * listeners one at a time in order. Needs a host built by {@link org.lotusia.libp2p.HostBuilder}.
 */
public final class CircuitRelay implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CircuitRelay.class);

  /** The stop protocol ID. */
  public static final String STOP = "/libp2p/circuit/relay/0.2.0/stop";

  private record Held(Reservation reservation, Connection connection) {}

  private final Host host;
  private final CircuitRelayConfig config;
  private final Clock clock;
  private final RelaySupport support;
  private final CircuitDialer dialer;
  private final Map<PeerId, Held> held = new ConcurrentHashMap<>();
  private final List<RelayListener> listeners = new CopyOnWriteArrayList<>();
  private final SerialExecutor events;
  private final Supplier<List<Multiaddr>> addressSource = this::listenCircuitAddresses;
  private final HostListener hostListener;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Installs the client on {@code host} with the defaults and the system clock. */
  public CircuitRelay(Host host) {
    this(host, CircuitRelayConfig.DEFAULT, Clock.systemUTC());
  }

  /**
   * Installs the client on {@code host}.
   *
   * @param clock the time source for reservation expirations
   * @throws IllegalArgumentException when the host was not built by {@link
   *     org.lotusia.libp2p.HostBuilder}
   */
  public CircuitRelay(Host host, CircuitRelayConfig config, Clock clock) {
    this.host = Objects.requireNonNull(host, "host");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (!(host instanceof HostImpl impl)) {
      throw new IllegalArgumentException(
          "circuit relay needs a host built by HostBuilder, got " + host.getClass().getName());
    }
    this.support = impl.relaySupport();
    this.events = new SerialExecutor(support.callbacks());
    this.dialer = new CircuitDialer(host, support, config);
    StopHandler stop = new StopHandler(support::upgradeCarrier, config, this::holds);
    this.hostListener =
        new HostListener() {
          @Override
          public void connectionClosed(Connection connection) {
            onConnectionClosed(connection);
          }
        };
    host.addListener(hostListener);
    host.setStreamHandler(STOP, stop::handle, HandlerOptions.LIMITED_OK);
    support.circuitDialer(dialer::dial);
    support.addAddressSource(addressSource);
  }

  /** The settings. */
  public CircuitRelayConfig config() {
    return config;
  }

  /** The host this client runs on. */
  public Host host() {
    return host;
  }

  /**
   * Reserves a slot on the relay at {@code relayAddress} (which must end in {@code /p2p/<relay>}),
   * dialling it if needed, or renews the reservation held there. Fails with {@link
   * RelayException} when the relay refuses, with {@link
   * org.lotusia.libp2p.ProtocolViolationException} when its answer is malformed or its voucher
   * does not verify, with {@link java.util.concurrent.TimeoutException} after the request timeout.
   *
   * @throws IllegalArgumentException (in the future) for an address without peer ID or a circuit
   */
  public CompletableFuture<Reservation> reserve(Multiaddr relayAddress) {
    Objects.requireNonNull(relayAddress, "relayAddress");
    if (relayAddress.peerId().isEmpty() || relayAddress.has(MultiaddrProtocol.P2P_CIRCUIT)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "a relay address must be direct and end in /p2p/<relay>, got " + relayAddress));
    }
    PeerId relay = relayAddress.peerId().get();
    Optional<Connection> direct = directConnection(relay);
    CompletableFuture<Connection> conn =
        direct.isPresent()
            ? CompletableFuture.completedFuture(direct.get())
            : host.dial(relayAddress);
    return reserveOn(relay, conn);
  }

  /**
   * Reserves on {@code relay} over an open direct connection, or one dialled from the peer store.
   */
  public CompletableFuture<Reservation> reserve(PeerId relay) {
    Objects.requireNonNull(relay, "relay");
    Optional<Connection> direct = directConnection(relay);
    if (direct.isPresent()) {
      return reserveOn(relay, CompletableFuture.completedFuture(direct.get()));
    }
    List<Multiaddr> addrs =
        host.peerStore().addresses(relay).stream()
            .filter(a -> !a.has(MultiaddrProtocol.P2P_CIRCUIT))
            .toList();
    if (addrs.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no connection to and no direct address for relay " + relay));
    }
    return reserve(addrs.get(0).withPeerId(relay));
  }

  private CompletableFuture<Reservation> reserveOn(
      PeerId relay, CompletableFuture<Connection> connFuture) {
    CompletableFuture<Reservation> result =
        connFuture.thenCompose(
            conn -> {
              if (RelayService.isRelayed(conn)) {
                throw new IllegalArgumentException(
                    "no reservation over a relayed connection to " + relay);
              }
              return ReserveExchange.run(conn, host.peerId(), config, clock.instant())
                  .thenApply(
                      r -> {
                        store(r, conn);
                        return r;
                      });
            });
    result.whenComplete(
        (r, e) -> {
          if (e != null) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
            emit(l -> l.reservationFailed(relay, cause));
          }
        });
    return result;
  }

  private void store(Reservation r, Connection conn) {
    if (closed.get()) {
      return;
    }
    Held previous = held.put(r.relay(), new Held(r, conn));
    if (!conn.isOpen()) {
      // the connection closed while we reserved: the relay already dropped the reservation
      remove(r.relay(), "connection closed");
      return;
    }
    LOG.debug("reservation on {} until {}", r.relay(), r.expiration());
    if (previous == null || !previous.reservation().relayAddresses().equals(r.relayAddresses())) {
      support.addressesChanged();
    }
    if (previous == null) {
      emit(l -> l.reservationCreated(r));
    } else {
      emit(l -> l.reservationRenewed(r));
    }
  }

  /** The reservations held now (expired ones are dropped first). */
  public List<Reservation> reservations() {
    purgeExpired();
    List<Reservation> out = new ArrayList<>();
    for (Held h : held.values()) {
      out.add(h.reservation());
    }
    return out;
  }

  /** The reservation held on {@code relay}, if any. */
  public Optional<Reservation> reservation(PeerId relay) {
    purgeExpired();
    Held h = held.get(relay);
    return h == null ? Optional.empty() : Optional.of(h.reservation());
  }

  /** The addresses at which peers reach this host through its relays, with {@code /p2p/<self>}. */
  public List<Multiaddr> circuitAddresses() {
    List<Multiaddr> out = new ArrayList<>();
    for (Reservation r : reservations()) {
      out.addAll(r.circuitAddresses(host.peerId()));
    }
    return out;
  }

  /** The circuit addresses without {@code /p2p/<self>}: the host's extra listen addresses. */
  private List<Multiaddr> listenCircuitAddresses() {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : circuitAddresses()) {
      out.add(a.withoutPeerId());
    }
    return out;
  }

  /**
   * Stops advertising the reservation on {@code relay} and refuses further relayed connections
   * through it (the relay keeps the slot until it expires; circuit relay has no cancel message).
   *
   * @return whether a reservation was held
   */
  public boolean release(PeerId relay) {
    return remove(relay, "released");
  }

  /** Dials a circuit address; see {@link Host#dial(Multiaddr, DialOptions)}. */
  public CompletableFuture<Connection> dial(Multiaddr circuitAddress) {
    return host.dial(circuitAddress);
  }

  /** Adds a listener; see {@link RelayListener} for its threading rules. */
  public void addListener(RelayListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener added before. */
  public void removeListener(RelayListener listener) {
    listeners.remove(listener);
  }

  /**
   * Stops the client: the stop protocol and the circuit transport are removed, and every
   * reservation is withdrawn. Relayed connections already open stay open.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    host.removeStreamHandler(STOP);
    host.removeListener(hostListener);
    support.circuitDialer(null);
    for (PeerId relay : List.copyOf(held.keySet())) {
      remove(relay, "closed");
    }
    support.removeAddressSource(addressSource);
    support.addressesChanged();
  }

  boolean holds(PeerId relay) {
    return reservation(relay).isPresent();
  }

  Optional<Connection> directConnection(PeerId relay) {
    return host.connections(relay).stream()
        .filter(c -> c.isOpen() && !RelayService.isRelayed(c))
        .findFirst();
  }

  private void onConnectionClosed(Connection connection) {
    PeerId relay = connection.remotePeer();
    Held h = held.get(relay);
    if (h != null && directConnection(relay).isEmpty()) {
      remove(relay, "connection closed");
    }
  }

  private void purgeExpired() {
    Instant now = clock.instant();
    for (Held h : List.copyOf(held.values())) {
      if (!now.isBefore(h.reservation().expiration())) {
        remove(h.reservation().relay(), "expired");
      }
    }
  }

  private boolean remove(PeerId relay, String reason) {
    Held h = held.remove(relay);
    if (h == null) {
      return false;
    }
    LOG.debug("reservation on {} removed: {}", relay, reason);
    support.addressesChanged();
    emit(l -> l.reservationRemoved(h.reservation(), reason));
    return true;
  }

  private void emit(Consumer<RelayListener> call) {
    try {
      events.execute(
        () -> {
          for (RelayListener l : listeners) {
            try {
              call.accept(l);
            } catch (RuntimeException e) {
              LOG.warn("relay listener {} threw; ignored", l, e);
            }
          }
        });
    } catch (RuntimeException e) {
      // the host is closing and its callback executor refuses work: nobody is left to tell
      LOG.debug("relay event not delivered: {}", e.toString());
    }
  }
}
