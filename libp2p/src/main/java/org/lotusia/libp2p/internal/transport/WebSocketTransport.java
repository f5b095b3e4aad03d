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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AttributeKey;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.WebSocketOptions;
import org.lotusia.libp2p.WebSocketTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket over TCP ({@code .../tcp/<port>/ws}) on Netty's HTTP codec and WebSocket handshakers,
 * and secure WebSocket ({@code /wss}, {@code /tls/ws}, {@code /tls/sni/<name>/ws}) with Netty's
 * {@link SslHandler} on the JDK's TLS under it. TCP sockets come from a {@link TcpTransport}; this
 * class adds TLS when asked, the HTTP upgrade and a {@link WebSocketFrameAdapter}, and hands the
 * channel to the host's handler only once the upgrade is done, so the host's upgrade
 * (multistream-select, security, muxer) sees a plain byte stream as on TCP.
 *
 * <p>A {@code /wss} listener needs the server certificate of its {@link WebSocketTls}; a {@code
 * /wss} dial verifies the server's certificate chain against the configured trust (the JDK's trust
 * store by default) and its name against the address's host or {@code /sni} name. The TLS
 * handshake counts against the upgrade timeout and the pending-upgrade limit of {@link
 * WebSocketOptions}, like the HTTP upgrade after it.
 *
 * <p>Stateless apart from its options and TLS contexts; one instance may serve several hosts.
 */
public final class WebSocketTransport implements NettyTransport {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketTransport.class);

  /** The suffix a channel's addresses end in ({@code /ws}, {@code /wss}, ...). */
  private static final AttributeKey<String> SUFFIX = AttributeKey.valueOf("lotus-ws-suffix");

  private final TcpTransport tcp = new TcpTransport();
  private final WebSocketOptions options;
  private final SslContext clientTls;
  private final SslContext serverTls;

  /** A transport with the given limits, dialling {@code /wss} with the JDK's trust store. */
  public WebSocketTransport(WebSocketOptions options) {
    this(options, WebSocketTls.DEFAULT);
  }

  /**
   * A transport with the given limits and TLS configuration.
   *
   * @throws IllegalArgumentException when the TLS configuration cannot make a TLS context
   */
  public WebSocketTransport(WebSocketOptions options, WebSocketTls tls) {
    this.options = Objects.requireNonNull(options, "options");
    Objects.requireNonNull(tls, "tls");
    try {
      SslContextBuilder client =
          SslContextBuilder.forClient()
              .sslProvider(SslProvider.JDK)
              .endpointIdentificationAlgorithm("HTTPS");
      tls.trustManagers().ifPresent(client::trustManager);
      this.clientTls = client.build();
      this.serverTls =
          tls.keyManagers().isPresent()
              ? SslContextBuilder.forServer(tls.keyManagers().get())
                  .sslProvider(SslProvider.JDK)
                  .build()
              : null;
    } catch (SSLException e) {
      throw new IllegalArgumentException("TLS context: " + e.getMessage(), e);
    }
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
    return WsAddress.of(address).filter(a -> a.tcp().port() != 0).isPresent();
  }

  @Override
  public boolean canListen(Multiaddr address) {
    // secure addresses are claimed without a certificate too, so that listen() can say what is
    // missing instead of the host reporting that no transport handles them
    return WsAddress.of(address).filter(a -> !a.tcp().hostProtocol().startsWith("dns")).isPresent();
  }

  /** The WebSocket endpoint of {@code address}, or a failure explaining why not. */
  private static Optional<WsAddress> endpoint(Multiaddr address, CompletableFuture<?> failure) {
    Optional<WsAddress> a = WsAddress.of(address);
    if (a.isEmpty()) {
      failure.completeExceptionally(
          new IllegalArgumentException(
              "not a WebSocket address (/ip4|ip6|dns/<host>/tcp/<port>/ws, or /wss, /tls/ws,"
                  + " /tls/sni/<name>/ws): "
                  + address));
    }
    return a;
  }

  @Override
  public EventLoopGroup newEventLoopGroup(int threads) {
    return tcp.newEventLoopGroup(threads);
  }

  @Override
  public CompletableFuture<BoundListener> listen(
      Multiaddr address, EventLoopGroup group, ChannelHandler childInitializer) {
    CompletableFuture<BoundListener> failure = new CompletableFuture<>();
    Optional<WsAddress> found = endpoint(address, failure);
    if (found.isEmpty()) {
      return failure;
    }
    WsAddress ws = found.get();
    if (ws.secure() && serverTls == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "listening on secure WebSocket needs a server certificate: build the transport with"
                  + " Transports.websocket(options, WebSocketTls.builder().certificatePem(...) or"
                  + " .pkcs12(...).build()): "
                  + address));
    }
    AtomicInteger pending = new AtomicInteger();
    // channels in the TLS handshake or HTTP upgrade belong to no host yet; closing the listener
    // closes them
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
            ch.attr(SUFFIX).set(ws.suffix());
            if (ws.secure()) {
              SslHandler ssl = serverTls.newHandler(ch.alloc());
              ssl.setHandshakeTimeoutMillis(options.upgradeTimeout().toMillis());
              ch.pipeline().addLast("ws-tls", ssl);
            }
            serverPipeline(ch.pipeline(), childInitializer)
                .opened()
                .whenComplete(
                    (c, e) -> {
                      pending.decrementAndGet();
                      upgrading.remove(ch);
                    });
          }
        };
    return tcp.listen(Multiaddr.parse(ws.tcp().base()), group, init)
        .thenApply(
            l -> {
              l.channel()
                  .closeFuture()
                  .addListener(f -> List.copyOf(upgrading).forEach(Channel::close));
              return new BoundListener(withSuffix(l.address(), ws.suffix()), l.channel());
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
    Optional<WsAddress> found = endpoint(address, result);
    if (found.isEmpty()) {
      return result;
    }
    WsAddress ws = found.get();
    URI uri = ws.uri();
    // the host forgets a dial at its timeout; the channel must not outlive it in the upgrade
    Duration upgradeTimeout =
        timeout.compareTo(options.upgradeTimeout()) < 0 ? timeout : options.upgradeTimeout();
    ChannelInitializer<Channel> init =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ChannelPipeline p = ch.pipeline();
            ch.attr(SUFFIX).set(ws.suffix());
            if (ws.secure()) {
              // the engine verifies the chain and that the certificate names verifiedHost()
              SslHandler ssl = clientTls.newHandler(ch.alloc(), ws.verifiedHost(), ws.tcp().port());
              ssl.setHandshakeTimeoutMillis(Math.max(1, upgradeTimeout.toMillis()));
              ssl.handshakeFuture()
                  .addListener(
                      f -> {
                        if (!f.isSuccess()) {
                          result.completeExceptionally(f.cause());
                        }
                      });
              p.addLast("ws-tls", ssl);
            }
            clientPipeline(p, initializer, uri, upgradeTimeout)
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
    tcp.dial(Multiaddr.parse(ws.tcp().base()), group, init, timeout)
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

  @Override
  public Multiaddr remoteAddress(Channel channel) {
    return withSuffix(tcp.remoteAddress(channel), suffix(channel));
  }

  @Override
  public Multiaddr localAddress(Channel channel) {
    return withSuffix(tcp.localAddress(channel), suffix(channel));
  }

  private static String suffix(Channel channel) {
    String s = channel.attr(SUFFIX).get();
    return s != null ? s : "/ws";
  }

  private static Multiaddr withSuffix(Multiaddr tcpAddress, String suffix) {
    return Multiaddr.parse(tcpAddress + suffix);
  }
}
