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
  private volatile boolean muxerFromHandshake;
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

  /**
   * Called on the event loop when the muxer was negotiated: in the security handshake ({@code
   * inHandshake}, early muxer negotiation) or with multistream-select.
   */
  void muxed(String protocol, YamuxHandler handler, Instant now, boolean inHandshake) {
    this.muxerProtocol = protocol;
    this.muxerFromHandshake = inHandshake;
    this.yamux = handler;
    this.openedAt = now;
  }

  /** Whether the muxer was chosen in the security handshake rather than by multistream-select. */
  boolean muxerFromHandshake() {
    return muxerFromHandshake;
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
    return open(protocols, allowLimited, null, false);
  }

  /**
   * Opens the stream with lazy multistream-select: the SYN, the proposal and {@code data} are
   * written while the stream registers, inside one open of the Yamux session, so they leave in one
   * flush (one Noise message); the optional FIN follows the remote's echo, and the future waits for
   * both.
   */
  @Override
  public CompletableFuture<Stream> newStreamWithData(
      String protocol, byte[] data, boolean closeWrite) {
    return open(List.of(protocol), false, data.clone(), closeWrite);
  }

  /**
   * Opens an outbound stream: interactive negotiation over {@code protocols} when {@code data} is
   * null, else lazy negotiation of the one protocol with {@code data} written at once (and FIN
   * after the echo when {@code closeWrite}).
   */
  private CompletableFuture<Stream> open(
      List<String> protocols, boolean allowLimited, byte[] data, boolean closeWrite) {
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
              boolean lazy = data != null;
              if (lazy) {
                // the protocol is known before negotiation: its slot is taken before data leaves
                ResourceLimitException refused =
                    takeProtocolSlot(ch, proposals.get(0), Direction.OUTBOUND);
                if (refused != null) {
                  stream.reset();
                  host.completeLater(result, null, refused);
                  return;
                }
              }
              MultistreamSelect mss =
                  MultistreamSelect.initiator(
                      proposals,
                      (protocol, pipeline) -> {
                        stream.protocol(protocol);
                        pipeline.addLast("meter", host.meters().forProtocol(protocol));
                        pipeline.addLast("stream", stream.handler());
                      },
                      host.streamMssConfig().withLazy(lazy));
              holder[0] = mss;
              ch.pipeline().addLast("mss", mss);
              CompletableFuture<Void> written =
                  lazy ? writeAtOpen(ch, data) : CompletableFuture.completedFuture(null);
              if (lazy && closeWrite) {
                stream.writeClosedAtOpen();
              }
              mss.selected()
                  .whenComplete(
                      (protocol, error) -> {
                        ResourceLimitException refused =
                            error == null && !lazy
                                ? takeProtocolSlot(ch, protocol, Direction.OUTBOUND)
                                : null;
                        if (error != null) {
                          host.completeLater(result, null, error);
                        } else if (refused != null) {
                          stream.reset();
                          host.completeLater(result, null, refused);
                        } else {
                          boolean framed = written.isDone();
                          CompletableFuture<Void> sent =
                              lazy && closeWrite
                                  ? written.thenCompose(v -> finAfterEcho(ch, framed))
                                  : written;
                          sent.whenComplete(
                              (v, writeError) -> {
                                if (writeError != null) {
                                  stream.reset();
                                  host.completeLater(result, null, writeError);
                                  return;
                                }
                                register(stream);
                                host.fireStreamOpened(stream);
                                host.completeLater(result, stream, null);
                              });
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

  /**
   * Writes the first data of a lazily negotiated stream behind the proposal the initiator just
   * wrote; on the event loop, while the Yamux session batches the flush of the open. Completes
   * when the data was framed, or with the write's failure.
   */
  private static CompletableFuture<Void> writeAtOpen(Channel ch, byte[] data) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    if (data.length == 0) {
      written.complete(null);
      return written;
    }
    ch.writeAndFlush(ch.alloc().buffer(data.length).writeBytes(data))
        .addListener(
            f -> {
              if (f.isSuccess()) {
                written.complete(null);
              } else {
                written.completeExceptionally(f.cause());
              }
            });
    return written;
  }

  /**
   * The half-close of a lazily negotiated stream, once the remote echoed the protocol and the
   * first data was framed. It waits for the echo because js-libp2p's responder loses a FIN that
   * arrives before its protocol handler runs (its stream iterator ends only on a later
   * remoteCloseWrite event), so its handler would never see the end of the stream. Runs on the
   * event loop; with {@code inRead} (the data was framed before the echo arrived) the FIN is
   * requested at once and leaves in the flush of the read of the echo, otherwise (called from the
   * stream's own write path) in a task of its own.
   */
  private static CompletableFuture<Void> finAfterEcho(Channel ch, boolean inRead) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    YamuxStream ys = (YamuxStream) ch;
    ChannelFuture fin = inRead ? ys.shutdownOutputOnLoop() : ys.shutdownOutput();
    fin.addListener(
        f -> {
          if (f.isSuccess()) {
            sent.complete(null);
          } else {
            sent.completeExceptionally(f.cause());
          }
        });
    return sent;
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
