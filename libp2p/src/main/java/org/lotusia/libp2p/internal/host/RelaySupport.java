package org.lotusia.libp2p.internal.host;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ConnectionLimits;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamResetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What circuit relay needs from the host, in one place: a dialer for {@code /p2p-circuit}
 * addresses, extra listen addresses (the relayed ones), and turning a negotiated stream into a
 * channel of its own, either to upgrade it into a relayed connection (Noise, then Yamux, as on
 * TCP) or to splice it to another stream on a relay.
 *
 * <p>Thread-safe. The hooks are set by the relay service of the host; {@link
 * #upgradeCarrier} completes on the host's callback executor.
 */
public final class RelaySupport {

  private static final Logger LOG = LoggerFactory.getLogger(RelaySupport.class);

  /**
   * A stream's channel taken over from the host's stream bridge.
   *
   * @param channel the muxer child channel; its pipeline is empty
   * @param leftovers bytes that had arrived but were not read, to be handled before new reads
   */
  public record Carrier(Channel channel, List<byte[]> leftovers) {

    /** Passes the leftovers into the channel's pipeline, as if they had just arrived. */
    public void replayLeftovers() {
      for (byte[] b : leftovers) {
        channel.pipeline().fireChannelRead(Unpooled.wrappedBuffer(b));
      }
    }
  }

  private final HostImpl host;
  private final List<Supplier<List<Multiaddr>>> addressSources = new CopyOnWriteArrayList<>();
  private volatile BiFunction<Multiaddr, DialOptions, CompletableFuture<Connection>> circuitDialer;

  RelaySupport(HostImpl host) {
    this.host = host;
  }

  /** Sets the dialer of {@code /p2p-circuit} addresses; {@code null} removes it. */
  public void circuitDialer(
      BiFunction<Multiaddr, DialOptions, CompletableFuture<Connection>> dialer) {
    this.circuitDialer = dialer;
  }

  BiFunction<Multiaddr, DialOptions, CompletableFuture<Connection>> circuitDialer() {
    return circuitDialer;
  }

  /**
   * Adds a source of extra listen addresses (without the trailing {@code /p2p/<self>}), reported by
   * {@link org.lotusia.libp2p.Host#listenAddresses()} and identify.
   */
  public void addAddressSource(Supplier<List<Multiaddr>> source) {
    addressSources.add(Objects.requireNonNull(source, "source"));
  }

  /** Removes a source added before. */
  public void removeAddressSource(Supplier<List<Multiaddr>> source) {
    addressSources.remove(source);
  }

  /** The extra addresses of every source, in order, without duplicates. */
  List<Multiaddr> extraAddresses() {
    List<Multiaddr> out = new ArrayList<>();
    for (Supplier<List<Multiaddr>> s : addressSources) {
      try {
        for (Multiaddr a : s.get()) {
          if (!out.contains(a)) {
            out.add(a);
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("address source {} threw; ignored", s, e);
      }
    }
    return out;
  }

  /** Tells connected peers (identify push) that the listen addresses changed. */
  public void addressesChanged() {
    host.listenAddressesChanged();
  }

  /** The callback executor of the host, for work that must not run on a network thread. */
  public java.util.concurrent.Executor callbacks() {
    return host.callbacks();
  }

  /**
   * Takes the channel of {@code stream} away from the host's stream bridge and hands it to {@code
   * owner} in the same event-loop task, so that no byte arrives while the channel has no handler.
   * Afterwards the {@link Stream} object delivers nothing more and its close future completes when
   * the channel closes. The future fails when the stream was already closed.
   */
  public static CompletableFuture<Void> detach(Stream stream, Consumer<Carrier> owner) {
    if (!(stream instanceof StreamImpl impl)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("not a stream of this library: " + stream));
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    Channel ch = impl.channel();
    ch.eventLoop()
        .execute(
            () -> {
              if (!ch.isActive()) {
                result.completeExceptionally(
                    new StreamResetException("stream closed before it was taken over"));
                return;
              }
              try {
                owner.accept(detachNow(impl));
                result.complete(null);
              } catch (RuntimeException e) {
                ch.close();
                result.completeExceptionally(e);
              }
            });
    return result;
  }

  /**
   * The muxer channel of a stream of this library.
   *
   * @throws IllegalArgumentException for another implementation of {@link Stream}
   */
  public static Channel channelOf(Stream stream) {
    if (!(stream instanceof StreamImpl impl)) {
      throw new IllegalArgumentException("not a stream of this library: " + stream);
    }
    return impl.channel();
  }

  private static Carrier detachNow(StreamImpl impl) {
    Channel ch = impl.channel();
    if (ch.pipeline().get("stream") != null) {
      ch.pipeline().remove("stream");
    }
    List<byte[]> left = impl.takeBuffered();
    ch.config().setAutoRead(true);
    ch.closeFuture().addListener(f -> impl.closeFuture().complete(null));
    return new Carrier(ch, left);
  }

  /**
   * Upgrades the relayed stream {@code carrier} into a connection (security, then muxer, as on
   * any transport) and registers it with the host like any other connection.
   *
   * @param direction OUTBOUND for the dialer (security initiator), INBOUND for the target
   * @param expected the peer the remote must prove to be
   * @param remote the remote address the connection reports (a circuit address)
   * @param local the local address the connection reports
   * @param limits the relay's limits, or {@code null} for an unlimited relayed connection
   */
  public CompletableFuture<Connection> upgradeCarrier(
      Stream carrier,
      Direction direction,
      PeerId expected,
      Multiaddr remote,
      Multiaddr local,
      ConnectionLimits limits) {
    CompletableFuture<Connection> result = host.track(new CompletableFuture<>());
    if (!(carrier instanceof StreamImpl impl)) {
      result.completeExceptionally(
          new IllegalArgumentException("not a stream of this library: " + carrier));
      return result;
    }
    if (result.isDone()) {
      carrier.reset(); // the host is closed
      return result;
    }
    ConnectionRegistry registry = host.registry();
    if (registry.atLimit()) {
      carrier.reset();
      host.completeLater(
          result,
          null,
          new IllegalStateException(
              "connection limit of " + host.config().maxConnections() + " reached"));
      return result;
    }
    Duration deadline =
        direction == Direction.OUTBOUND ? host.config().dialTimeout() : host.config().handshakeTimeout();
    registry.upgradeStarted();
    Channel ch = impl.channel();
    ch.eventLoop()
        .execute(
            () -> {
              if (!ch.isActive()) {
                registry.upgradeFinished();
                host.completeLater(
                    result, null, new StreamResetException("relayed stream closed before upgrade"));
                return;
              }
              Carrier c = detachNow(impl);
              ch.pipeline().addFirst("relay-eof", new CloseOnInputEnd());
              host.upgrader()
                  .upgrade(ch, () -> remote, () -> local, direction, expected, deadline, limits)
                  .whenComplete(
                      (conn, error) -> {
                        registry.upgradeFinished();
                        if (error != null) {
                          host.completeLater(result, null, error);
                        } else if (result.isDone()) {
                          ch.close();
                        } else {
                          RuntimeException refused = registry.accept(conn);
                          host.completeLater(result, refused == null ? conn : null, refused);
                        }
                      });
              c.replayLeftovers();
            });
    result.whenComplete(
        (conn, e) -> {
          if (e != null) {
            ch.close();
          }
        });
    return result;
  }

  /**
   * Closes a relayed connection's channel when the remote ends its side of the carrier stream: a
   * relayed connection has no half-closed state of its own.
   */
  private static final class CloseOnInputEnd extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof ChannelInputShutdownReadComplete) {
        ctx.close();
      }
      super.userEventTriggered(ctx, evt);
    }
  }
}
