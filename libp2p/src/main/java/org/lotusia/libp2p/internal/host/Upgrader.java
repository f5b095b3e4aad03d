package org.lotusia.libp2p.internal.host;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.ConnectionGatedException;
import org.lotusia.libp2p.ConnectionLimits;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolNotSupportedException;
import org.lotusia.libp2p.SecureChannel;
import org.lotusia.libp2p.internal.mss.MssConfig;
import org.lotusia.libp2p.internal.mss.MultistreamSelect;
import org.lotusia.libp2p.internal.mss.ProtocolInstaller;
import org.lotusia.libp2p.internal.noise.SecureSession;
import org.lotusia.libp2p.internal.transport.NettyTransport;
import org.lotusia.libp2p.internal.yamux.YamuxConfig;
import org.lotusia.libp2p.internal.yamux.YamuxHandler;

/**
 * Upgrades a raw transport channel to a {@link ConnectionImpl}: multistream-select for security,
 * the security handshake, multistream-select for the muxer, then Yamux
 * (https://github.com/libp2p/specs/blob/master/connections/README.md#upgrading-connections).
 *
 * <p>The dialer is the multistream initiator and the Yamux client on both negotiations. Between the
 * security handshake and the muxer the connection gater decides ({@code allowSecured}).
 *
 * <p>Early muxer negotiation
 * (https://github.com/libp2p/specs/blob/master/connections/inlined-muxer-negotiation.md): Noise
 * offers this host's muxers in its handshake payload. When the remote's payload offers muxers too,
 * the muxer is the first of the initiator's list that both support, installed without
 * multistream-select, which saves a round trip; no common muxer fails the upgrade. A remote that
 * offers none gets multistream-select as before. The dialer does not wait for the remote's gater
 * then: a dial the remote refuses after the handshake completes, and the connection closes when the
 * remote closes it (as in js-libp2p and go-libp2p).
 *
 * <p>The whole upgrade, the gater's time included, is bounded by one deadline; when it passes, the
 * channel is closed and the future fails with {@link TimeoutException}.
 *
 * <p>Threading: {@link #upgrade} runs on the channel's event loop (from a channel initializer); the
 * returned future completes there.
 */
final class Upgrader {

  private final HostImpl host;
  private final Map<String, ChannelSecurity.Bound> security = new LinkedHashMap<>();
  private final List<String> muxerIds;
  private final YamuxConfig yamuxConfig;
  private final MssConfig mssConfig;

  Upgrader(
      HostImpl host,
      List<SecureChannel> secureChannels,
      List<String> muxerIds,
      YamuxConfig yamuxConfig,
      Duration handshakeTimeout) {
    this.host = host;
    this.muxerIds = List.copyOf(muxerIds);
    this.yamuxConfig = yamuxConfig;
    this.mssConfig = MssConfig.DEFAULT.withTimeout(handshakeTimeout);
    for (SecureChannel s : secureChannels) {
      ChannelSecurity.Bound bound =
          ((ChannelSecurity) s).bind(host.identity(), handshakeTimeout, this.muxerIds);
      for (String id : s.protocolIds()) {
        security.putIfAbsent(id, bound);
      }
    }
  }

  /**
   * Installs the upgrade on {@code ch}.
   *
   * @param expected the peer the dialer expects, or {@code null}
   * @param deadline time for the whole upgrade
   */
  CompletableFuture<ConnectionImpl> upgrade(
      Channel ch,
      NettyTransport transport,
      Direction direction,
      PeerId expected,
      Duration deadline) {
    // addresses are read once the upgrade is done: a dialled channel is not connected yet here
    return upgrade(
        ch,
        () -> transport.remoteAddress(ch),
        () -> transport.localAddress(ch),
        direction,
        expected,
        deadline,
        null);
  }

  /** Installs the upgrade with the security role of the dialer for OUTBOUND channels. */
  CompletableFuture<ConnectionImpl> upgrade(
      Channel ch,
      Supplier<Multiaddr> remote,
      Supplier<Multiaddr> local,
      Direction direction,
      PeerId expected,
      Duration deadline,
      ConnectionLimits limits) {
    return upgrade(
        ch, remote, local, direction, direction == Direction.OUTBOUND, expected, deadline, limits);
  }

  /**
   * Installs the upgrade on {@code ch}, a raw transport channel or a relayed stream taken over as
   * a connection.
   *
   * @param remote supplies the remote address the connection reports
   * @param local supplies the local address the connection reports
   * @param initiator whether this side runs the client role (multistream initiator, security
   *     initiator, Yamux client): the dialer normally; after a TCP simultaneous open (DCUtR) the
   *     side that received SYNC, whichever socket saw the connection first
   * @param limits the relay's limits of a relayed connection, or {@code null}
   */
  CompletableFuture<ConnectionImpl> upgrade(
      Channel ch,
      Supplier<Multiaddr> remote,
      Supplier<Multiaddr> local,
      Direction direction,
      boolean initiator,
      PeerId expected,
      Duration deadline,
      ConnectionLimits limits) {
    CompletableFuture<ConnectionImpl> result = new CompletableFuture<>();
    ScheduledFuture<?> timer =
        ch.eventLoop()
            .schedule(
                () -> {
                  if (result.completeExceptionally(
                      new TimeoutException(
                          "connection upgrade with "
                              + describe(ch)
                              + " did not finish within "
                              + deadline))) {
                    ch.close();
                  }
                },
                deadline.toNanos(),
                TimeUnit.NANOSECONDS);
    result.whenComplete((c, e) -> timer.cancel(false));

    AtomicReference<CompletableFuture<SecureSession>> session = new AtomicReference<>();
    ProtocolInstaller secInstaller =
        (protocol, pipeline) ->
            session.set(security.get(protocol).install(pipeline, initiator, expected));
    List<String> secIds = new ArrayList<>(security.keySet());
    MultistreamSelect secMss =
        initiator
            ? MultistreamSelect.initiator(secIds, secInstaller, mssConfig)
            : MultistreamSelect.responder(secIds, secInstaller, mssConfig);
    ch.pipeline().addLast("mss-security", secMss);

    secMss
        .selected()
        .thenCompose(
            secProtocol ->
                session.get().thenApply(
                    s -> {
                      ConnectionImpl conn =
                          new ConnectionImpl(
                              host,
                              ch,
                              direction,
                              s.remotePeer(),
                              s.remoteKey(),
                              remote.get(),
                              local.get(),
                              secProtocol,
                              limits);
                      return admitThenMux(ch, conn, initiator, s.remoteStreamMuxers());
                    }))
        .thenCompose(f -> f)
        .whenComplete(
            (conn, error) -> {
              if (error != null) {
                if (result.completeExceptionally(unwrap(error))) {
                  ch.close();
                }
              } else if (!result.complete(conn)) {
                ch.close();
              }
            });
    return result;
  }

  /**
   * Asks the gater ({@code allowSecured}) about the authenticated {@code conn}, then negotiates the
   * muxer. Runs on the event loop as the security session completes, before any decrypted byte is
   * passed on; while the gater (user code, on the callback executor) decides, a {@link ReadHold}
   * keeps what the remote sends. A refusal fails the upgrade, which closes the channel: the muxer
   * is never used.
   */
  private CompletableFuture<ConnectionImpl> admitThenMux(
      Channel ch, ConnectionImpl conn, boolean initiator, List<String> remoteMuxers) {
    CompletableFuture<Boolean> allowed =
        host.gating().allowSecured(conn.remotePeer(), conn.direction(), conn.remoteAddress());
    if (allowed.getNow(false)) {
      return negotiateMuxer(ch, conn, initiator, remoteMuxers);
    }
    ReadHold hold = new ReadHold(ReadHold.MAX_HELD);
    ch.pipeline().addLast("gate-hold", hold);
    CompletableFuture<ConnectionImpl> muxed = new CompletableFuture<>();
    allowed.thenAccept(
        ok ->
            ch.eventLoop()
                .execute(
                    () -> {
                      if (!ok) {
                        muxed.completeExceptionally(
                            new ConnectionGatedException(
                                conn.direction().name().toLowerCase(java.util.Locale.ROOT)
                                    + " connection with peer "
                                    + conn.remotePeer()
                                    + " refused by the connection gater (allowSecured)"));
                        return;
                      }
                      if (!ch.isActive()) {
                        muxed.completeExceptionally(
                            new ConnectionClosedException(
                                "connection with " + conn.remotePeer() + " closed in its upgrade"));
                        return;
                      }
                      CompletableFuture<ConnectionImpl> negotiated =
                          negotiateMuxer(ch, conn, initiator, remoteMuxers);
                      ch.pipeline().remove(hold);
                      negotiated.whenComplete(
                          (c, e) -> {
                            if (e != null) {
                              muxed.completeExceptionally(e);
                            } else {
                              muxed.complete(c);
                            }
                          });
                    }));
    return muxed;
  }

  /**
   * Installs the muxer the handshake chose when the remote offered muxers in it, else adds
   * multistream-select for the muxer; completes when Yamux is installed.
   */
  private CompletableFuture<ConnectionImpl> negotiateMuxer(
      Channel ch, ConnectionImpl conn, boolean initiator, List<String> remoteMuxers) {
    YamuxHandler yamux = new YamuxHandler(initiator, yamuxConfig, conn.inboundInitializer());
    if (!remoteMuxers.isEmpty()) {
      Optional<String> chosen = earlyMuxer(initiator, muxerIds, remoteMuxers);
      if (chosen.isEmpty()) {
        return CompletableFuture.failedFuture(
            new ProtocolNotSupportedException(
                muxerIds,
                "early muxer negotiation with "
                    + conn.remotePeer()
                    + " found no common muxer: it offers "
                    + remoteMuxers
                    + ", this host "
                    + muxerIds));
      }
      ch.pipeline().addLast("yamux", yamux);
      conn.muxed(chosen.get(), yamux, host.config().clock().instant(), true);
      return CompletableFuture.completedFuture(conn);
    }
    ProtocolInstaller muxInstaller =
        (muxProtocol, pipeline) -> {
          pipeline.addLast("yamux", yamux);
          conn.muxed(muxProtocol, yamux, host.config().clock().instant(), false);
        };
    MultistreamSelect muxMss =
        initiator
            ? MultistreamSelect.initiator(muxerIds, muxInstaller, mssConfig)
            : MultistreamSelect.responder(muxerIds, muxInstaller, mssConfig);
    ch.pipeline().addLast("mss-muxer", muxMss);
    return muxMss.selected().thenApply(m -> conn);
  }

  /**
   * The muxer of early muxer negotiation: the first of the initiator's list that both sides
   * support, or empty when they share none.
   */
  static Optional<String> earlyMuxer(boolean initiator, List<String> local, List<String> remote) {
    List<String> initiatorList = initiator ? local : remote;
    List<String> other = initiator ? remote : local;
    return initiatorList.stream().filter(other::contains).findFirst();
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Channel ch) {
    return String.valueOf(ch.remoteAddress());
  }
}
