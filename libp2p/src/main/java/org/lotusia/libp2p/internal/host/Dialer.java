package org.lotusia.libp2p.internal.host;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ConnectionGatedException;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.LimitedConnectionException;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.transport.NettyTransport;
import org.lotusia.libp2p.internal.Timeouts;
import org.lotusia.libp2p.internal.noise.SimultaneousOpenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outbound connections of a {@link HostImpl}: picks the transport, asks the connection gater
 * ({@code allowDial}, when the peer is known), enforces the connection limit and the dial timeout
 * (which includes the gater's time), upgrades the channel and registers the result in the {@link
 * ConnectionRegistry}. A dial from the listen port that TCP joined with the remote's simultaneous
 * dial to this host is retried once from an ephemeral port. Unless a dial is forced, an open connection to the expected peer is reused
 * (without asking the gater) and concurrent dials to the same peer share one attempt.
 *
 * <p>Thread-safe: dials in flight live in a concurrent map; the upgrade runs on the transport's
 * event loop and returned futures complete on the host's callback executor.
 */
final class Dialer {

  private static final Logger LOG = LoggerFactory.getLogger(Dialer.class);
  private final HostImpl host;
  private final ConnectionRegistry registry;
  private final Map<PeerId, CompletableFuture<Connection>> dialing = new ConcurrentHashMap<>();

  Dialer(HostImpl host, ConnectionRegistry registry) {
    this.host = host;
    this.registry = registry;
  }

  /** Dials {@code address}; see {@link org.lotusia.libp2p.Host#dial(Multiaddr, DialOptions)}. */
  CompletableFuture<Connection> dial(Multiaddr address, DialOptions options) {
    if (!host.isRunning()) {
      return CompletableFuture.failedFuture(new IllegalStateException("host is not running"));
    }
    Optional<PeerId> expected = address.peerId();
    if (expected.isPresent() && expected.get().equals(host.peerId())) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("refusing to dial this host's own peer ID: " + address));
    }
    if (expected.isPresent() && !options.force()) {
      Optional<ConnectionImpl> existing = registry.best(expected.get());
      if (existing.isPresent()) {
        return CompletableFuture.completedFuture(existing.get());
      }
      CompletableFuture<Connection> inFlight = dialing.get(expected.get());
      if (inFlight != null) {
        // Join the dial already under way instead of opening a second connection.
        return inFlight.thenApply(c -> c);
      }
    }
    if (address.has(MultiaddrProtocol.P2P_CIRCUIT)) {
      return dialCircuit(address, options, expected.orElse(null));
    }
    NettyTransport transport = host.transportFor(address, false);
    if (transport == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "no transport can dial "
                  + address
                  + " (supported: /ip4|ip6|dns/<host>/tcp/<port>[/ws][/p2p/<id>],"
                  + " each with its transport configured)"));
    }
    if (registry.atLimit()) {
      return CompletableFuture.failedFuture(connectionLimit());
    }
    Duration timeout = options.timeout() != null ? options.timeout() : host.config().dialTimeout();
    CompletableFuture<Connection> result = host.track(new CompletableFuture<>());
    if (expected.isPresent() && !options.force()) {
      PeerId peer = expected.get();
      dialing.put(peer, result);
      result.whenComplete((c, e) -> dialing.remove(peer, result));
    }
    EventLoopGroup group = host.eventLoopGroup(transport);
    long startNanos = System.nanoTime();
    // The gater's time counts against the dial timeout.
    ScheduledFuture<?> timer =
        group.schedule(
            () ->
                host.completeLater(
                    result,
                    null,
                    new TimeoutException(
                        "dial to " + address + " did not finish within " + timeout)),
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    result.whenComplete((c, e) -> timer.cancel(false));
    CompletableFuture<Boolean> allowed =
        expected.isPresent()
            ? host.gating().allowDial(expected.get())
            : CompletableFuture.completedFuture(true);
    allowed.thenAccept(
        ok -> {
          if (result.isDone()) {
            return;
          }
          if (!ok) {
            host.completeLater(
                result,
                null,
                new ConnectionGatedException(
                    "dial to peer "
                        + expected.get()
                        + " refused by the connection gater (allowDial)"));
          } else if (registry.atLimit()) {
            host.completeLater(result, null, connectionLimit());
          } else {
            connect(
                address,
                transport,
                group,
                expected.orElse(null),
                timeout,
                startNanos,
                result,
                true,
                options.portReuse() ? host.network().reuseLocal(transport, address) : null,
                false);
          }
        });
    return result;
  }

  private IllegalStateException connectionLimit() {
    return new IllegalStateException(
        "connection limit of " + host.config().maxConnections() + " reached");
  }

  /**
   * A hole-punch dial (DCUtR): always a new connection to {@code peer} at {@code address}, leaving
   * from the listen port (required when the transport reuses ports, so that the NAT mapping is the
   * one the peer was told about), with the given security role: the side that received SYNC is the
   * client even on the socket of the other side's dial (a TCP simultaneous open).
   */
  CompletableFuture<Connection> dialForHolePunch(
      Multiaddr address, PeerId peer, boolean initiator, Duration timeout) {
    if (!host.isRunning()) {
      return CompletableFuture.failedFuture(new IllegalStateException("host is not running"));
    }
    NettyTransport transport = host.transportFor(address, false);
    if (transport == null || address.has(MultiaddrProtocol.P2P_CIRCUIT)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no transport can hole-punch " + address));
    }
    if (registry.atLimit()) {
      return CompletableFuture.failedFuture(connectionLimit());
    }
    CompletableFuture<Connection> result = host.track(new CompletableFuture<>());
    EventLoopGroup group = host.eventLoopGroup(transport);
    ScheduledFuture<?> timer =
        group.schedule(
            () ->
                host.completeLater(
                    result,
                    null,
                    new TimeoutException(
                        "hole punch to " + address + " did not finish within " + timeout)),
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    result.whenComplete((c, e) -> timer.cancel(false));
    java.net.InetSocketAddress local = host.network().reuseLocal(transport, address);
    host.gating()
        .allowDial(peer)
        .thenAccept(
            ok -> {
              if (result.isDone()) {
                return;
              }
              if (!ok) {
                host.completeLater(
                    result,
                    null,
                    new ConnectionGatedException(
                        "hole punch to peer " + peer + " refused by the connection gater"));
                return;
              }
              connect(
                  address.withoutPeerId(),
                  transport,
                  group,
                  peer,
                  timeout,
                  System.nanoTime(),
                  result,
                  initiator,
                  local,
                  local != null);
            });
    return result;
  }

  /**
   * Opens the transport channel and upgrades it; completes {@code result}. A dial that left from
   * the listen port by choice ({@code local} set, not required) and met the remote's own dial in a
   * TCP simultaneous open ({@link SimultaneousOpenException}) is made once more from an ephemeral
   * port: two hosts that dial each other at the same moment both get a connection.
   */
  private void connect(
      Multiaddr address,
      NettyTransport transport,
      EventLoopGroup group,
      PeerId expected,
      Duration timeout,
      long startNanos,
      CompletableFuture<Connection> result,
      boolean initiator,
      java.net.InetSocketAddress local,
      boolean localRequired) {
    registry.upgradeStarted();
    ChannelInitializer<Channel> init =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            result.whenComplete(
                (c, e) -> {
                  if (e != null) {
                    ch.close();
                  }
                });
            Duration left = timeout.minusNanos(System.nanoTime() - startNanos);
            host.upgrader()
                .upgrade(
                    ch,
                    () -> transport.remoteAddress(ch),
                    () -> transport.localAddress(ch),
                    Direction.OUTBOUND,
                    initiator,
                    expected,
                    left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left,
                    null)
                .whenComplete(
                    (conn, error) -> {
                      registry.upgradeFinished();
                      if (error != null
                          && local != null
                          && !localRequired
                          && isSimultaneousOpen(error)
                          && !result.isDone()
                          && host.isRunning()) {
                        // The remote dialled us from its listen port as we dialled it from ours
                        // and TCP joined the two dials into one connection with two initiators.
                        // An ephemeral port cannot meet the remote's dial: try once more from one.
                        LOG.debug(
                            "dial to {} from {} met the remote's own dial (simultaneous open);"
                                + " dialling again from an ephemeral port",
                            address,
                            local);
                        connect(
                            address,
                            transport,
                            group,
                            expected,
                            timeout,
                            startNanos,
                            result,
                            initiator,
                            null,
                            false);
                      } else if (error != null) {
                        host.completeLater(result, null, error);
                      } else if (result.isDone()) {
                        conn.channel().close();
                      } else {
                        RuntimeException refused = registry.accept(conn);
                        host.completeLater(
                            result, refused == null ? conn : null, refused);
                      }
                    });
          }
        };
    Duration left = timeout.minusNanos(System.nanoTime() - startNanos);
    transport
        .dial(
            address,
            group,
            init,
            left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left,
            local,
            localRequired)
        .whenComplete(
            (ch, error) -> {
              if (error != null) {
                registry.upgradeFinished();
                host.completeLater(result, null, error);
              }
            });
  }

  /** Whether an upgrade failed because both ends took the initiator role. */
  private static boolean isSimultaneousOpen(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SimultaneousOpenException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Opens a stream to {@code peer} for {@link HostImpl#newStream(PeerId, List)}: on the best
   * connection (unlimited first), else on a connection dialled from {@code known}. When the only
   * connection is limited and none of {@code protocols} may run on it, a direct address is dialled
   * instead; without one the future fails with {@link LimitedConnectionException}.
   */
  CompletableFuture<Stream> streamTo(PeerId peer, List<String> protocols, List<Multiaddr> known) {
    return streamTo(peer, protocols, known, c -> c.newStream(protocols));
  }

  /**
   * As {@link #streamTo(PeerId, List, List)}, opening the stream on the chosen connection with
   * {@code open} (for example {@link Connection#newStreamWithData}).
   */
  CompletableFuture<Stream> streamTo(
      PeerId peer,
      List<String> protocols,
      List<Multiaddr> known,
      java.util.function.Function<Connection, CompletableFuture<Stream>> open) {
    Optional<ConnectionImpl> existing = registry.best(peer);
    if (existing.isPresent()
        && (!existing.get().limited() || protocols.stream().anyMatch(host::runsLimited))) {
      return open.apply(existing.get());
    }
    if (existing.isPresent()) {
      List<Multiaddr> direct =
          known.stream().filter(a -> !a.has(MultiaddrProtocol.P2P_CIRCUIT)).toList();
      if (direct.isEmpty()) {
        return CompletableFuture.failedFuture(
            new LimitedConnectionException(
                "only a limited connection to "
                    + peer
                    + " and no direct address; "
                    + protocols
                    + " may not run on it"));
      }
      return dialAny(direct, peer, DialOptions.FORCE).thenCompose(open);
    }
    return dialKnown(peer, known).thenCompose(open);
  }

  /**
   * Dials a circuit address through the relay support of the host, sharing the attempt with
   * concurrent dials of the same peer.
   */
  private CompletableFuture<Connection> dialCircuit(
      Multiaddr address, DialOptions options, PeerId expected) {
    var circuit = host.relaySupport().circuitDialer();
    if (circuit == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "cannot dial the circuit address "
                  + address
                  + ": install a CircuitRelay on this host first"));
    }
    if (registry.atLimit()) {
      return CompletableFuture.failedFuture(connectionLimit());
    }
    CompletableFuture<Connection> result = host.track(new CompletableFuture<>());
    // the gater decides on the target as for any dial; the relay dial it causes is asked too
    CompletableFuture<Boolean> allowed =
        expected != null
            ? host.gating().allowDial(expected)
            : CompletableFuture.completedFuture(true);
    CompletableFuture<Connection> attempt =
        allowed.thenCompose(
            ok -> {
              if (!ok) {
                throw new ConnectionGatedException(
                    "dial to peer " + expected + " refused by the connection gater (allowDial)");
              }
              return circuit.apply(address, options);
            });
    if (options.timeout() != null) {
      // the relay dial, the hop exchange and the upgrade are each bounded; this bounds the whole
      attempt = Timeouts.orTimeout(attempt, options.timeout());
    }
    attempt.whenComplete(
        (c, e) -> {
          if (e != null) {
            host.completeLater(result, null, e);
          } else if (!result.complete(c)) {
            c.close(); // the caller or the host gave up meanwhile
          }
        });
    if (expected != null && !options.force()) {
      dialing.put(expected, result);
      result.whenComplete((c, e) -> dialing.remove(expected, result));
    }
    return result;
  }

  /**
   * Dials {@code peer} at each of {@code addresses} in turn until one succeeds; fails with the last
   * error when none does.
   */
  /** An existing connection to {@code peer}, else the first of {@code known} that answers. */
  CompletableFuture<Connection> dialKnown(PeerId peer, List<Multiaddr> known) {
    Optional<ConnectionImpl> existing = registry.best(peer);
    if (existing.isPresent()) {
      return CompletableFuture.completedFuture(existing.get());
    }
    if (known.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no connection to and no address for peer " + peer));
    }
    return dialAny(known, peer, DialOptions.DEFAULT);
  }

  CompletableFuture<Connection> dialAny(
      List<Multiaddr> addresses, PeerId peer, DialOptions options) {
    return dialAny(addresses, 0, peer, options, null);
  }

  private CompletableFuture<Connection> dialAny(
      List<Multiaddr> addresses, int index, PeerId peer, DialOptions options, Throwable last) {
    if (index >= addresses.size()) {
      return CompletableFuture.failedFuture(last);
    }
    return dial(addresses.get(index).withPeerId(peer), options)
        .handle(
            (c, e) ->
                c != null
                    ? CompletableFuture.completedFuture(c)
                    : dialAny(addresses, index + 1, peer, options, HostImpl.unwrap(e)))
        .thenCompose(f -> f);
  }
}
