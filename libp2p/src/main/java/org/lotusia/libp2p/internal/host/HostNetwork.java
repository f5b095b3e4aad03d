package org.lotusia.libp2p.internal.host;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Transport;
import org.lotusia.libp2p.internal.transport.Futures;
import org.lotusia.libp2p.internal.transport.NettyTransport;
import org.lotusia.libp2p.internal.transport.NettyTransport.BoundListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network side of a host's life cycle: one event loop group per transport, the upgrader, the
 * listeners, and the inbound channels still in their upgrade (not yet connections).
 *
 * <p>Thread-safe: the groups and the upgrader are created once by {@link #start()} (guarded by
 * {@code this}); listeners and upgrading channels live in concurrent collections. Inbound channels
 * are initialised on their event loop.
 */
final class HostNetwork {

  private static final Logger LOG = LoggerFactory.getLogger(HostNetwork.class);

  private final HostImpl host;
  private final HostConfig config;
  private final ConnectionRegistry connections;
  private final Map<NettyTransport, EventLoopGroup> groups = new IdentityHashMap<>();
  private final List<BoundListener> bound = new CopyOnWriteArrayList<>();
  private final Map<Channel, NettyTransport> listenerTransports = new ConcurrentHashMap<>();

  /** Inbound channels in the upgrade: not yet connections, closed by {@link #stop}. */
  private final Set<Channel> upgrading = ConcurrentHashMap.newKeySet();

  private volatile Upgrader upgrader;

  HostNetwork(HostImpl host, ConnectionRegistry connections) {
    this.host = host;
    this.config = host.config();
    this.connections = connections;
  }

  /**
   * Creates the event loops and the upgrader and binds every listen address; completes when all are
   * bound, or fails with the first error. Called once.
   */
  synchronized CompletableFuture<Void> start() {
    for (Transport t : config.transports()) {
      NettyTransport nt = (NettyTransport) t;
      groups.put(nt, nt.newEventLoopGroup(config.eventLoopThreads()));
    }
    upgrader =
        new Upgrader(
            host,
            config.security(),
            config.muxer().protocolIds(),
            ((YamuxChannelMuxer) config.muxer()).config(),
            config.handshakeTimeout());
    List<CompletableFuture<BoundListener>> binds = new ArrayList<>();
    for (Multiaddr address : config.listenAddresses()) {
      NettyTransport t = transportFor(address, true);
      if (t == null) {
        binds.add(
            CompletableFuture.failedFuture(
                new IllegalArgumentException("no transport can listen on " + address)));
        continue;
      }
      binds.add(
          t.listen(address, groups.get(t), inboundInitializer(t))
              .thenApply(
                  l -> {
                    listenerTransports.put(l.channel(), t);
                    bound.add(l);
                    return l;
                  }));
    }
    return CompletableFuture.allOf(binds.toArray(CompletableFuture[]::new));
  }

  /** The first configured transport that can listen on (or dial) {@code address}, or null. */
  NettyTransport transportFor(Multiaddr address, boolean listen) {
    for (Transport t : config.transports()) {
      if (listen ? t.canListen(address) : t.canDial(address)) {
        return (NettyTransport) t;
      }
    }
    return null;
  }

  private ChannelInitializer<Channel> inboundInitializer(NettyTransport transport) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        // added before the running check, so that stop() either sees it or it sees the close
        upgrading.add(ch);
        ch.closeFuture().addListener(f -> upgrading.remove(ch));
        if (!host.isRunning() || connections.atLimit()) {
          LOG.debug(
              "refusing inbound connection from {}: limit or not running", ch.remoteAddress());
          ch.close();
          return;
        }
        connections.upgradeStarted();
        CompletableFuture<Boolean> allowed =
            host.gating().allowInbound(transport.remoteAddress(ch));
        if (allowed.getNow(false)) {
          upgradeInbound(ch, transport);
          return;
        }
        // The gater runs on the callback executor: hold what the remote sends meanwhile.
        ReadHold hold = new ReadHold(ReadHold.MAX_HELD);
        ch.pipeline().addLast("gate-hold", hold);
        // Settled once, on the event loop: by the answer or by the timeout, whichever comes first,
        // so the upgrade slot is given back even when the gater never answers.
        boolean[] settled = new boolean[1];
        ScheduledFuture<?> timer =
            ch.eventLoop()
                .schedule(
                    () -> {
                      if (!settled[0]) {
                        settled[0] = true;
                        LOG.debug("connection gater did not answer in time for {}", ch);
                        connections.upgradeFinished();
                        ch.close();
                      }
                    },
                    config.handshakeTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        allowed.thenAccept(
            ok ->
                ch.eventLoop()
                    .execute(
                        () -> {
                          if (settled[0]) {
                            return;
                          }
                          settled[0] = true;
                          timer.cancel(false);
                          if (!ok || !ch.isActive() || !host.isRunning()) {
                            LOG.debug("inbound connection {} refused or gone", ch);
                            connections.upgradeFinished();
                            ch.close();
                            return;
                          }
                          upgradeInbound(ch, transport);
                          ch.pipeline().remove(hold);
                        }));
      }
    };
  }

  /**
   * The local socket address a dial over {@code transport} to {@code remote} should leave from (port
   * reuse): a listener of that transport bound to the same IP family whose address can reach the
   * remote (a loopback listener only loopback peers), or {@code null}.
   */
  java.net.InetSocketAddress reuseLocal(NettyTransport transport, Multiaddr remote) {
    if (!transport.reusesPorts()) {
      return null;
    }
    var remoteIp = org.lotusia.libp2p.AddressScope.ip(remote);
    if (remoteIp.isEmpty()) {
      return null;
    }
    for (BoundListener l : bound) {
      if (listenerTransports.get(l.channel()) != transport
          || !(l.channel().localAddress() instanceof java.net.InetSocketAddress local)) {
        continue;
      }
      java.net.InetAddress ip = local.getAddress();
      if (ip.getClass() != remoteIp.get().getClass()) {
        continue;
      }
      if (ip.isAnyLocalAddress()
          || ip.isLoopbackAddress() == remoteIp.get().isLoopbackAddress()) {
        return local;
      }
    }
    return null;
  }

  /** Upgrades an admitted inbound channel; on its event loop. */
  private void upgradeInbound(Channel ch, NettyTransport transport) {
    // a hole punch may arrive at the listener: the spec makes the side that got SYNC the client
    PeerId punched = host.holePunchSupport().expectedInbound(ch.remoteAddress());
    upgrader
        .upgrade(
            ch,
            () -> transport.remoteAddress(ch),
            () -> transport.localAddress(ch),
            Direction.INBOUND,
            punched != null,
            punched,
            config.handshakeTimeout(),
            null)
        .whenComplete(
            (conn, error) -> {
              connections.upgradeFinished();
              if (error != null) {
                LOG.debug(
                    "inbound upgrade from {} failed: {}", ch.remoteAddress(), error.toString());
              } else {
                connections.accept(conn);
              }
              upgrading.remove(ch); // a connection now, or closed
            });
  }

  /** The connection upgrader; set by {@link #start()}. */
  Upgrader upgrader() {
    return upgrader;
  }

  /** The event loop group created for {@code transport} by {@link #start()}. */
  synchronized EventLoopGroup eventLoopGroup(NettyTransport transport) {
    return groups.get(transport);
  }

  /** The bound listen addresses without {@code /p2p}. */
  List<Multiaddr> boundAddresses() {
    List<Multiaddr> addrs = new ArrayList<>();
    for (BoundListener l : bound) {
      addrs.add(l.address());
    }
    return addrs;
  }

  /**
   * Closes the listeners, {@code open} connections and the channels in their upgrade, waits for
   * them, then shuts down the event loop groups the transports do not share. Never fails.
   */
  CompletableFuture<Void> stop(Collection<ConnectionImpl> open) {
    List<CompletableFuture<Void>> closes = new ArrayList<>();
    for (BoundListener l : bound) {
      closes.add(Futures.toVoid(l.channel().close()));
    }
    for (ConnectionImpl c : open) {
      closes.add(Futures.toVoid(c.channel().close()));
    }
    // closed and awaited before the event loops stop, so that every handler is removed cleanly
    for (Channel ch : List.copyOf(upgrading)) {
      closes.add(Futures.toVoid(ch.close()));
    }
    return CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new))
        .handle((v, e) -> null)
        .thenCompose(
            v -> {
              List<CompletableFuture<Void>> shutdowns = new ArrayList<>();
              synchronized (this) {
                for (Map.Entry<NettyTransport, EventLoopGroup> g : groups.entrySet()) {
                  if (!g.getKey().sharesEventLoops()) {
                    shutdowns.add(
                        Futures.toVoid(g.getValue().shutdownGracefully(0, 2, TimeUnit.SECONDS)));
                  }
                }
              }
              return CompletableFuture.allOf(shutdowns.toArray(CompletableFuture[]::new));
            })
        .handle((v, e) -> null);
  }
}
