package org.lotusia.libp2p.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.WebSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket over TCP ({@code .../tcp/<port>/ws}) on Netty's HTTP codec and WebSocket handshakers.
 * TCP sockets come from a {@link TcpTransport}; this class adds the HTTP upgrade and a {@link
 * WebSocketFrameAdapter}, and hands the channel to the host's handler only once the upgrade is
 * done, so the host's upgrade (multistream-select, security, muxer) sees a plain byte stream as on
 * TCP.
 *
 * <p>Secure WebSocket ({@code /wss}, {@code /tls/.../ws}) is recognised so that dialing or
 * listening on it fails with a clear {@link IllegalArgumentException}.
 *
 * <p>Stateless apart from its options; one instance may serve several hosts.
 */
public final class WebSocketTransport implements NettyTransport {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketTransport.class);
  private static final String WS = "/ws";

  private final TcpTransport tcp = new TcpTransport();
  private final WebSocketOptions options;

  /** A transport with the given limits. */
  public WebSocketTransport(WebSocketOptions options) {
    this.options = options;
  }

  /** The limits of this transport. */
  public WebSocketOptions options() {
    return options;
  }

  @Override
  public String name() {
    return "websocket";
  }

  @Override
  public boolean canDial(Multiaddr address) {
    return TcpAddress.of(address).filter(a -> a.port() != 0 && kind(a) != Kind.OTHER).isPresent();
  }

  @Override
  public boolean canListen(Multiaddr address) {
    return TcpAddress.of(address)
        .filter(a -> !a.hostProtocol().startsWith("dns") && kind(a) != Kind.OTHER)
        .isPresent();
  }

  private enum Kind {
    WS,
    SECURE,
    OTHER
  }

  private static Kind kind(TcpAddress a) {
    String rest = a.rest();
    if (rest.equals(WS) || rest.startsWith(WS + "/p2p/")) {
      return Kind.WS;
    }
    if (rest.startsWith("/wss") || rest.startsWith("/tls/")) {
      return rest.contains("/ws") ? Kind.SECURE : Kind.OTHER;
    }
    return Kind.OTHER;
  }

  /** The plain WebSocket endpoint of {@code address}, or a failure explaining why not. */
  private static Optional<TcpAddress> endpoint(Multiaddr address, CompletableFuture<?> failure) {
    Optional<TcpAddress> a = TcpAddress.of(address);
    Kind kind = a.map(WebSocketTransport::kind).orElse(Kind.OTHER);
    if (kind == Kind.WS) {
      return a;
    }
    failure.completeExceptionally(
        new IllegalArgumentException(
            kind == Kind.SECURE
                ? "secure WebSocket (wss) is not supported: " + address
                : "not a WebSocket address (/ip4|ip6|dns/<host>/tcp/<port>/ws): " + address));
    return Optional.empty();
  }

  @Override
  public EventLoopGroup newEventLoopGroup(int threads) {
    return tcp.newEventLoopGroup(threads);
  }

  @Override
  public CompletableFuture<BoundListener> listen(
      Multiaddr address, EventLoopGroup group, ChannelHandler childInitializer) {
    CompletableFuture<BoundListener> failure = new CompletableFuture<>();
    Optional<TcpAddress> ws = endpoint(address, failure);
    if (ws.isEmpty()) {
      return failure;
    }
    AtomicInteger pending = new AtomicInteger();
    // channels in the HTTP upgrade belong to no host yet; closing the listener closes them
    Set<Channel> upgrading = ConcurrentHashMap.newKeySet();
    ChannelInitializer<Channel> init =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            if (pending.incrementAndGet() > options.maxPendingUpgrades()) {
              pending.decrementAndGet();
              LOG.debug(
                  "refusing WebSocket connection from {}: {} upgrades pending",
                  ch.remoteAddress(),
                  options.maxPendingUpgrades());
              ch.close();
              return;
            }
            upgrading.add(ch);
            serverPipeline(ch.pipeline(), childInitializer)
                .opened()
                .whenComplete(
                    (c, e) -> {
                      pending.decrementAndGet();
                      upgrading.remove(ch);
                    });
          }
        };
    return tcp.listen(Multiaddr.parse(ws.get().base()), group, init)
        .thenApply(
            l -> {
              l.channel()
                  .closeFuture()
                  .addListener(f -> List.copyOf(upgrading).forEach(Channel::close));
              return new BoundListener(withWs(l.address()), l.channel());
            });
  }

  /**
   * Adds the listener side of the upgrade and the frame adapter to {@code p}: the HTTP decoder with
   * this transport's request size limits, the upgrade guard, Netty's handshaker with the frame limit,
   * then {@code next} once the upgrade is done.
   */
  WebSocketFrameAdapter serverPipeline(ChannelPipeline p, ChannelHandler next) {
    WebSocketFrameAdapter adapter = new WebSocketFrameAdapter(next, options.upgradeTimeout());
    p.addLast("ws-http", new HttpServerCodec(decoderConfig()));
    p.addLast("ws-aggregator", new HttpObjectAggregator(0));
    p.addLast("ws-guard", new HttpUpgradeGuard());
    p.addLast(
        "ws-protocol",
        new WebSocketServerProtocolHandler(
            WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .handshakeTimeoutMillis(options.upgradeTimeout().toMillis())
                .maxFramePayloadLength(options.maxFrameSize())
                .allowExtensions(false)
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .closeOnProtocolViolation(true)
                .build()));
    p.addLast("ws-frames", adapter);
    return adapter;
  }

  private HttpDecoderConfig decoderConfig() {
    int max = options.maxHttpRequestSize();
    return new HttpDecoderConfig()
        .setMaxInitialLineLength(max)
        .setMaxHeaderSize(max)
        .setMaxChunkSize(max);
  }

  @Override
  public CompletableFuture<Channel> dial(
      Multiaddr address, EventLoopGroup group, ChannelHandler initializer, Duration timeout) {
    CompletableFuture<Channel> result = new CompletableFuture<>();
    Optional<TcpAddress> ws = endpoint(address, result);
    if (ws.isEmpty()) {
      return result;
    }
    URI uri = uri(ws.get());
    // the host forgets a dial at its timeout; the channel must not outlive it in the upgrade
    Duration upgradeTimeout =
        timeout.compareTo(options.upgradeTimeout()) < 0 ? timeout : options.upgradeTimeout();
    ChannelInitializer<Channel> init =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            clientPipeline(ch.pipeline(), initializer, uri, upgradeTimeout)
                .opened()
                .whenComplete(
                    (c, e) -> {
                      if (e != null) {
                        result.completeExceptionally(e);
                      } else {
                        result.complete(c);
                      }
                    });
          }
        };
    tcp.dial(Multiaddr.parse(ws.get().base()), group, init, timeout)
        .whenComplete(
            (ch, e) -> {
              if (e != null) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }

  /**
   * Adds the dialer side of the upgrade and the frame adapter to {@code p}: the HTTP client codec
   * with this transport's size limits, a guard that passes only a fully decoded response, Netty's
   * handshaker for {@code uri} with the frame limit, then {@code next} once the upgrade is done.
   */
  WebSocketFrameAdapter clientPipeline(
      ChannelPipeline p, ChannelHandler next, URI uri, Duration upgradeTimeout) {
    WebSocketFrameAdapter adapter = new WebSocketFrameAdapter(next, upgradeTimeout);
    p.addLast("ws-http", new HttpClientCodec(decoderConfig(), false, false));
    p.addLast("ws-aggregator", new HttpObjectAggregator(options.maxHttpRequestSize()));
    p.addLast("ws-guard", new HttpResponseGuard());
    p.addLast(
        "ws-protocol",
        new WebSocketClientProtocolHandler(
            WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .allowExtensions(false)
                .maxFramePayloadLength(options.maxFrameSize())
                .handshakeTimeoutMillis(Math.max(1, upgradeTimeout.toMillis()))
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .absoluteUpgradeUrl(false)
                .generateOriginHeader(false)
                .build()));
    p.addLast("ws-frames", adapter);
    return adapter;
  }

  private static URI uri(TcpAddress a) {
    String host = a.hostProtocol().equals("ip6") ? "[" + a.host() + "]" : a.host();
    return URI.create("ws://" + host + ":" + a.port() + "/");
  }

  @Override
  public Multiaddr remoteAddress(Channel channel) {
    return withWs(tcp.remoteAddress(channel));
  }

  @Override
  public Multiaddr localAddress(Channel channel) {
    return withWs(tcp.localAddress(channel));
  }

  private static Multiaddr withWs(Multiaddr tcpAddress) {
    return Multiaddr.parse(tcpAddress + WS);
  }
}
