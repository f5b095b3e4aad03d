package org.lotusia.libp2p.upnp;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.lotusia.libp2p.AddressScope;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.internal.transport.TcpAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the host's TCP listen ports on the LAN's UPnP Internet Gateway Device and hands the
 * external addresses to the host's address manager ({@link
 * org.lotusia.libp2p.AddressManager#addIpMapping}).
 *
 * <p>{@link #start()} discovers gateways with SSDP, reads each one's description until one offers
 * a WAN connection service, and asks it for its external address. When that address is itself
 * private (carrier-grade NAT or a second router upstream), this is a double NAT: no mapping is made
 * and a {@link UpnpEvent.Type#DOUBLE_NAT} event says so, as a mapping could not be reached from the
 * internet. Otherwise each IPv4 TCP listen address that is not public is mapped (same external
 * port when free, another on a conflict), for {@link UpnpConfig#leaseDuration()} (permanent when
 * the gateway accepts only that), and renewed at half the lease. A mapped address is added
 * unconfirmed, so it is advertised only once AutoNAT has dialled it successfully, unless {@link
 * UpnpConfig#confirmMappings()}. A renewal that fails withdraws the address and is retried at the
 * next renewal time. {@link #close()} deletes the mappings.
 *
 * <p>A wildcard listen address is mapped for the machine's address on the route to the gateway; a
 * loopback one only when the gateway is on the loopback interface too.
 *
 * <p>Threading: the blocking network work (SSDP, HTTP) and all state run on one daemon thread of
 * this service, never on the host's network threads; listeners run on the host's callback
 * executor. {@link #start()} always completes: with the mappings made (empty when no gateway or a
 * double NAT), or exceptionally when the service was closed first.
 */
public final class UpnpNat implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UpnpNat.class);
  private static final int CONFLICT_RETRIES = 3;

  private final Host host;
  private final UpnpConfig config;
  private final Clock clock;
  private final BoundedHttp http;
  private final ScheduledExecutorService thread;
  private final List<Consumer<UpnpEvent>> listeners = new CopyOnWriteArrayList<>();
  private final List<Held> held = new ArrayList<>(); // confined to the service thread
  private volatile List<PortMapping> mappings = List.of();
  private volatile InetAddress external;
  private volatile boolean doubleNat;
  private volatile boolean closed;
  private IgdClient gateway; // confined to the service thread

  /** One mapping this service keeps. */
  private static final class Held {
    final Multiaddr internal;
    final InetAddress client;
    final int internalPort;
    final String rest;
    int externalPort;
    long lease;
    boolean active;
    PortMapping current;
    ScheduledFuture<?> renewal;

    Held(Multiaddr internal, InetAddress client, int internalPort, String rest, long lease) {
      this.internal = internal;
      this.client = client;
      this.internalPort = internalPort;
      this.rest = rest;
      this.externalPort = internalPort; // the same port outside when it is free
      this.lease = lease;
    }
  }

  /** A service for {@code host} with the system clock; nothing happens before {@link #start()}. */
  public UpnpNat(Host host, UpnpConfig config) {
    this(host, config, Clock.systemUTC());
  }

  /**
   * A service for {@code host}; nothing happens before {@link #start()}.
   *
   * @param clock the source of {@link PortMapping#renewAt()} times
   */
  public UpnpNat(Host host, UpnpConfig config, Clock clock) {
    this.host = Objects.requireNonNull(host, "host");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.http = new BoundedHttp(config.httpTimeout());
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lotus-upnp");
              t.setDaemon(true);
              return t;
            });
  }

  /** Adds a listener of {@link UpnpEvent}s; runs on the host's callback executor. */
  public void addListener(Consumer<UpnpEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The mappings held now (a snapshot). */
  public List<PortMapping> mappings() {
    return mappings;
  }

  /** The gateway's external address, once known. */
  public Optional<InetAddress> externalAddress() {
    return Optional.ofNullable(external);
  }

  /** Whether the gateway's external address was found to be private (a NAT behind a NAT). */
  public boolean doubleNat() {
    return doubleNat;
  }

  /**
   * Discovers the gateway and maps the listen ports (see the class comment). Call once, after the
   * host started listening.
   *
   * @return the mappings made; empty when no gateway worked or on a double NAT
   */
  public CompletableFuture<List<PortMapping>> start() {
    CompletableFuture<List<PortMapping>> done = new CompletableFuture<>();
    try {
      thread.execute(
          () -> {
            try {
              done.complete(discoverAndMap());
            } catch (RuntimeException e) {
              LOG.warn("upnp: start failed", e);
              done.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      done.completeExceptionally(new IllegalStateException("the UPnP service is closed", e));
    }
    return done;
  }

  private List<PortMapping> discoverAndMap() {
    if (closed) {
      return List.of();
    }
    List<URI> locations;
    try {
      locations = SsdpSearch.search(config);
    } catch (IOException e) {
      emit(new UpnpEvent(UpnpEvent.Type.NO_GATEWAY, null, "SSDP search failed: " + e.getMessage()));
      return List.of();
    }
    List<String> why = new ArrayList<>();
    for (URI location : locations) {
      try {
        IgdClient c = IgdClient.fromDescription(location, http, config);
        InetAddress ext = c.externalAddress(http, config);
        gateway = c;
        external = ext;
        break;
      } catch (IOException | RuntimeException e) {
        // whatever a LAN device answers, the next gateway is tried
        LOG.debug("upnp: gateway {} unusable: {}", location, e.toString());
        why.add(String.valueOf(e.getMessage()));
      }
    }
    if (gateway == null) {
      emit(new UpnpEvent(UpnpEvent.Type.NO_GATEWAY, null,
          locations.isEmpty() ? "no gateway answered the SSDP search" : String.join("; ", why)));
      return List.of();
    }
    if (AddressScope.of(external) != AddressScope.PUBLIC) {
      doubleNat = true;
      emit(new UpnpEvent(UpnpEvent.Type.DOUBLE_NAT, null,
          "the gateway's external address " + external.getHostAddress()
              + " is private: another NAT is upstream; no port mapped"));
      return List.of();
    }
    for (Multiaddr listen : host.listenAddresses()) {
      eligible(listen.withoutPeerId()).ifPresent(held::add);
    }
    for (Held h : held) {
      map(h, false);
    }
    publish();
    return mappings;
  }

  /** A listen address worth mapping: IPv4 TCP, not public, reachable from the gateway's LAN. */
  private Optional<Held> eligible(Multiaddr listen) {
    Optional<TcpAddress> t = TcpAddress.of(listen);
    if (t.isEmpty() || !t.get().hostProtocol().equals("ip4") || t.get().port() == 0) {
      return Optional.empty();
    }
    Optional<InetAddress> ip = Ip4.literal(t.get().host());
    if (ip.isEmpty() || AddressScope.of(ip.get()) == AddressScope.PUBLIC) {
      return Optional.empty(); // a public listen address needs no mapping
    }
    InetAddress client = ip.get();
    if (client.isAnyLocalAddress()) {
      try (DatagramSocket s = new DatagramSocket()) {
        s.connect(gateway.gateway(), 1900); // no packet sent: only the route is looked up
        client = s.getLocalAddress();
      } catch (IOException e) {
        return Optional.empty();
      }
    } else if (client.isLoopbackAddress() && !gateway.gateway().isLoopbackAddress()) {
      return Optional.empty();
    }
    return Optional.of(
        new Held(listen, client, t.get().port(), t.get().rest(), config.leaseDuration().toSeconds()));
  }

  /** Makes or renews {@code h}'s mapping; on failure withdraws it. Service thread. */
  private void map(Held h, boolean renewal) {
    if (closed) {
      return;
    }
    IOException last = null;
    for (int attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      try {
        gateway.addPortMapping(http, config, h.externalPort, h.client, h.internalPort, h.lease);
        last = null;
        break;
      } catch (UpnpException e) {
        last = e;
        if (e.errorCode() == IgdClient.ONLY_PERMANENT && h.lease != 0) {
          h.lease = 0; // IGD v1 gateways that refuse finite leases (error 725)
          attempt--;
        } else if (e.errorCode() == IgdClient.CONFLICT && !h.active) {
          // the port is mapped to another machine: take another one
          h.externalPort = ThreadLocalRandom.current().nextInt(20_000, 60_000);
        } else {
          break;
        }
      } catch (IOException e) {
        last = e;
        break;
      }
    }
    Multiaddr ext = external(h);
    if (last != null) {
      boolean wasActive = h.active;
      h.active = false;
      if (wasActive) {
        host.addresses().removeIpMapping(ext);
      }
      h.current = new PortMapping(h.internal, ext, h.lease, null);
      emit(new UpnpEvent(UpnpEvent.Type.MAPPING_FAILED, h.current, last.getMessage()));
      scheduleRenewal(h, retryDelay());
      publish();
      return;
    }
    long lease = h.lease;
    Duration half = Duration.ofSeconds(lease).dividedBy(2);
    h.current = new PortMapping(h.internal, ext, lease, lease == 0 ? null : clock.instant().plus(half));
    if (!h.active) {
      h.active = true;
      host.addresses().addIpMapping(h.internal, ext, config.confirmMappings());
      emit(new UpnpEvent(UpnpEvent.Type.MAPPING_ACTIVE, h.current,
          "TCP " + ext + " -> " + h.client.getHostAddress() + ":" + h.internalPort));
    } else if (renewal) {
      emit(new UpnpEvent(UpnpEvent.Type.MAPPING_RENEWED, h.current, "lease " + lease + " s"));
    }
    if (lease != 0) {
      scheduleRenewal(h, half);
    }
    publish();
  }

  private Duration retryDelay() {
    Duration lease = config.leaseDuration().isZero() ? Duration.ofMinutes(10) : config.leaseDuration();
    Duration half = lease.dividedBy(2);
    return half.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : half;
  }

  private void scheduleRenewal(Held h, Duration after) {
    if (closed) {
      return;
    }
    try {
      h.renewal = thread.schedule(() -> map(h, true), after.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("upnp: renewal not scheduled, closing");
    }
  }

  private Multiaddr external(Held h) {
    return Multiaddr.parse(
        "/ip4/" + external.getHostAddress() + "/tcp/" + h.externalPort + h.rest);
  }

  private void publish() {
    List<PortMapping> now = new ArrayList<>();
    for (Held h : held) {
      if (h.active) {
        now.add(h.current);
      }
    }
    mappings = List.copyOf(now);
  }

  private void emit(UpnpEvent e) {
    LOG.info("upnp: {} {}", e.type(), e.detail());
    for (Consumer<UpnpEvent> l : listeners) {
      try {
        host.callbackExecutor().execute(() -> {
          try {
            l.accept(e);
          } catch (RuntimeException ex) {
            LOG.warn("upnp listener threw; ignored", ex);
          }
        });
      } catch (RuntimeException ex) {
        LOG.debug("upnp listener not called: {}", ex.toString());
      }
    }
  }

  /**
   * Deletes the mappings from the gateway and withdraws their addresses, waiting at most the HTTP
   * timeout per mapping (plus a start still under way), then stops the service thread.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    CompletableFuture<Void> removed = new CompletableFuture<>();
    try {
      thread.execute(
          () -> {
            closed = true;
            for (Held h : held) {
              if (h.renewal != null) {
                h.renewal.cancel(false);
              }
              if (!h.active) {
                continue;
              }
              h.active = false;
              Multiaddr ext = external(h);
              host.addresses().removeIpMapping(ext);
              try {
                gateway.deletePortMapping(http, config, h.externalPort);
                emit(new UpnpEvent(UpnpEvent.Type.MAPPING_REMOVED, h.current, "deleted"));
              } catch (IOException e) {
                emit(new UpnpEvent(UpnpEvent.Type.MAPPING_FAILED, h.current,
                    "delete failed: " + e.getMessage()));
              }
            }
            publish();
            removed.complete(null);
          });
    } catch (RejectedExecutionException e) {
      removed.complete(null);
    }
    closed = true; // a start still queued returns at once
    Duration wait =
        config.discoveryTimeout()
            .plus(config.httpTimeout().multipliedBy(2L * config.maxGateways() + mappings.size() + 1));
    try {
      removed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.debug("upnp: mappings not all deleted on close: {}", e.toString());
    }
    thread.shutdownNow();
  }
}
