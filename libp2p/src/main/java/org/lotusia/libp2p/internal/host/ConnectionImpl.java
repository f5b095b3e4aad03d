package org.lotusia.libp2p.internal.host;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.ConnectionLimits;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.LimitedConnectionException;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ResourceLimitException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.crypto.IdentityPublicKey;
import org.lotusia.libp2p.internal.mss.MultistreamSelect;
import org.lotusia.libp2p.internal.yamux.YamuxHandler;
import org.lotusia.libp2p.internal.yamux.YamuxStream;

/**
 * A {@link Connection}: the upgraded transport channel with its Yamux session. Inbound streams get
 * a multistream-select responder over the host's registered protocols; outbound streams an
 * initiator.
 *
 * <p>Thread-safe. Futures complete on the host's callback executor.
 */
public final class ConnectionImpl implements Connection {

  private static final StreamControl YAMUX_CONTROL =
      new StreamControl() {
        @Override
        public ChannelFuture closeWrite(Channel stream) {
          return ((YamuxStream) stream).shutdownOutput();
        }

        @Override
        public void reset(Channel stream) {
          ((YamuxStream) stream).reset();
        }

        @Override
        public boolean isReset(Channel stream) {
          return ((YamuxStream) stream).isReset();
        }
      };

  private final HostImpl host;
  private final Channel channel;
  private final Direction direction;
  private final PeerId remotePeer;
  private final IdentityPublicKey remoteKey;
  private final Multiaddr remoteAddress;
  private final Multiaddr localAddress;
  private final String securityProtocol;
  private final ConnectionLimits limits;
  private final Set<StreamImpl> streams = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inboundStreams = new AtomicInteger();
  private final AtomicInteger outboundStreams = new AtomicInteger();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private volatile String muxerProtocol;
  private volatile YamuxHandler yamux;
  private volatile Instant openedAt;
  private volatile PeerIdentification.Outcome identifyOutcome;

  ConnectionImpl(
      HostImpl host,
      Channel channel,
      Direction direction,
      PeerId remotePeer,
      IdentityPublicKey remoteKey,
      Multiaddr remoteAddress,
      Multiaddr localAddress,
      String securityProtocol,
      ConnectionLimits limits) {
    this.host = host;
    this.channel = channel;
    this.direction = direction;
    this.remotePeer = remotePeer;
    this.remoteKey = remoteKey;
    this.remoteAddress = remoteAddress;
    this.localAddress = localAddress;
    this.securityProtocol = securityProtocol;
    this.limits = limits;
  }

  /** Called on the event loop when the muxer was negotiated. */
  void muxed(String protocol, YamuxHandler handler, Instant now) {
    this.muxerProtocol = protocol;
    this.yamux = handler;
    this.openedAt = now;
  }

  /** The initializer of inbound streams: a responder over the host's protocols. */
  ChannelInitializer<Channel> inboundInitializer() {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        if (!takeStreamSlot(Direction.INBOUND)) {
          host.resources().refusedByConnection(ConnectionImpl.this, Direction.INBOUND);
          YAMUX_CONTROL.reset(ch);
          return;
        }
        Runnable slot = slotReleaser(Direction.INBOUND);
        ch.closeFuture().addListener(f -> slot.run());
        StreamImpl stream = newStreamImpl(ch, Direction.INBOUND);
        MultistreamSelect mss =
            MultistreamSelect.responder(
                protocol -> host.serves(protocol) && (limits == null || host.runsLimited(protocol)),
                (protocol, pipeline) -> {
                  stream.protocol(protocol);
                  pipeline.addLast("meter", host.meters().forProtocol(protocol));
                  pipeline.addLast("stream", stream.handler());
                },
                host.streamMssConfig());
        ch.pipeline().addLast("mss", mss);
        mss.selected()
            .whenComplete(
                (protocol, error) -> {
                  if (error == null) {
                    if (takeProtocolSlot(ch, protocol, Direction.INBOUND) != null) {
                      stream.reset();
                      return;
                    }
                    register(stream);
                    host.dispatchInbound(stream);
                  }
                });
      }
    };
  }

  /** Takes one of this connection's stream slots of {@code dir}; false at the limit. */
  private boolean takeStreamSlot(Direction dir) {
    AtomicInteger open = dir == Direction.INBOUND ? inboundStreams : outboundStreams;
    int max = host.resources().streamsPerConnection(dir);
    while (true) {
      int n = open.get();
      if (n >= max) {
        return false;
      }
      if (open.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives back a slot taken by {@link #takeStreamSlot}; runs once however often it is called. */
  private Runnable slotReleaser(Direction dir) {
    AtomicInteger open = dir == Direction.INBOUND ? inboundStreams : outboundStreams;
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        open.decrementAndGet();
      }
    };
  }

  /**
   * Takes a slot of the negotiated {@code protocol}, given back when {@code ch} closes; null when
   * taken, else the refusal.
   */
  private ResourceLimitException takeProtocolSlot(Channel ch, String protocol, Direction dir) {
    ResourceLimitException refused = host.resources().acquireProtocolStream(protocol, dir);
    if (refused == null) {
      ch.closeFuture().addListener(f -> host.resources().releaseProtocolStream(protocol, dir));
    }
    return refused;
  }

  private StreamImpl newStreamImpl(Channel ch, Direction dir) {
    return new StreamImpl(
        ch, this, dir, YAMUX_CONTROL, host.callbacks(), host.config().maxStreamBuffer());
  }

  private void register(StreamImpl stream) {
    streams.add(stream);
    stream.channel().closeFuture().addListener(f -> streams.remove(stream));
  }

  /** The public key the remote proved during the security handshake. */
  public IdentityPublicKey remoteKey() {
    return remoteKey;
  }

  /** The outcome of the latest identify on this connection, or null while none finished. */
  PeerIdentification.Outcome identifyOutcome() {
    return identifyOutcome;
  }

  void identifyOutcome(PeerIdentification.Outcome outcome) {
    this.identifyOutcome = outcome;
  }

  /** The transport channel; internal use only. */
  Channel channel() {
    return channel;
  }

  @Override
  public PeerId remotePeer() {
    return remotePeer;
  }

  @Override
  public Multiaddr remoteAddress() {
    return remoteAddress;
  }

  @Override
  public Multiaddr localAddress() {
    return localAddress;
  }

  @Override
  public Direction direction() {
    return direction;
  }

  @Override
  public String securityProtocol() {
    return securityProtocol;
  }

  @Override
  public String muxerProtocol() {
    return muxerProtocol;
  }

  @Override
  public Instant openedAt() {
    return openedAt;
  }

  @Override
  public Optional<ConnectionLimits> limits() {
    return Optional.ofNullable(limits);
  }

  @Override
  public CompletableFuture<Stream> newStream(List<String> protocols) {
    return newStream(protocols, false);
  }

  @Override
  public CompletableFuture<Stream> newStream(List<String> protocols, boolean allowLimited) {
    ProtocolIds.checkAll(protocols);
    if (limits != null && !allowLimited) {
      protocols = protocols.stream().filter(host::runsLimited).toList();
      if (protocols.isEmpty()) {
        return CompletableFuture.failedFuture(
            new LimitedConnectionException(
                "none of the protocols may run on the limited connection to " + remotePeer));
      }
    }
    List<String> proposals = protocols;
    CompletableFuture<Stream> result = host.track(new CompletableFuture<>());
    YamuxHandler session = yamux;
    if (session == null || !channel.isActive()) {
      host.completeLater(
          result,
          null,
          new ConnectionClosedException("connection to " + remotePeer + " is closed"));
      return result;
    }
    if (!takeStreamSlot(Direction.OUTBOUND)) {
      host.completeLater(
          result, null, host.resources().refusedByConnection(this, Direction.OUTBOUND));
      return result;
    }
    Runnable slot = slotReleaser(Direction.OUTBOUND);
    MultistreamSelect[] holder = new MultistreamSelect[1];
    StreamImpl[] created = new StreamImpl[1];
    try {
      ChannelInitializer<Channel> init =
          new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.closeFuture().addListener(f -> slot.run());
              StreamImpl stream = newStreamImpl(ch, Direction.OUTBOUND);
              created[0] = stream;
              MultistreamSelect mss =
                  MultistreamSelect.initiator(
                      proposals,
                      (protocol, pipeline) -> {
                        stream.protocol(protocol);
                        pipeline.addLast("meter", host.meters().forProtocol(protocol));
                        pipeline.addLast("stream", stream.handler());
                      },
                      host.streamMssConfig());
              holder[0] = mss;
              ch.pipeline().addLast("mss", mss);
              mss.selected()
                  .whenComplete(
                      (protocol, error) -> {
                        ResourceLimitException refused =
                            error == null
                                ? takeProtocolSlot(ch, protocol, Direction.OUTBOUND)
                                : null;
                        if (error != null) {
                          host.completeLater(result, null, error);
                        } else if (refused != null) {
                          stream.reset();
                          host.completeLater(result, null, refused);
                        } else {
                          register(stream);
                          host.fireStreamOpened(stream);
                          host.completeLater(result, stream, null);
                        }
                      });
            }
          };
      session
          .openStream(init)
          .whenComplete(
              (ys, error) -> {
                if (error != null) {
                  slot.run();
                  host.completeLater(result, null, error);
                }
              });
    } catch (IllegalArgumentException e) {
      slot.run();
      host.completeLater(result, null, e);
    }
    return result;
  }

  @Override
  public List<Stream> streams() {
    return List.copyOf(streams);
  }

  /** Number of open streams. */
  int streamCount() {
    return streams.size();
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public CompletableFuture<Void> close() {
    channel.close();
    return closeFuture;
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  @Override
  public boolean closedByRemote() {
    YamuxHandler y = yamux;
    return !channel.isActive() && y != null && y.remoteEndedOnPurpose();
  }

  /** Completes {@link #closeFuture()}; called by the host. */
  void closed() {
    closeFuture.complete(null);
  }

  @Override
  public String toString() {
    return "Connection["
        + direction
        + " "
        + remotePeer
        + " "
        + remoteAddress
        + (limits != null ? " limited" : "")
        + "]";
  }
}
