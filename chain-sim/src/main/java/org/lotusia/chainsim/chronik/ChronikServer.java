package org.lotusia.chainsim.chronik;

import io.javalin.Javalin;
import java.util.Objects;
import org.lotusia.chainsim.ledger.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link Ledger} with the legacy Chronik API over HTTP and WebSocket, on Javalin (Jetty
 * 12). Endpoints: {@code GET /blockchain-info}, {@code /block/{hashOrHeight}}, {@code
 * /blocks/{start}/{end}}, {@code /tx/{txid}}, {@code /raw-tx/{txid}}, {@code
 * /script/{type}/{payload}/history}, {@code /script/{type}/{payload}/utxos}; {@code POST
 * /validate-utxos}, {@code /broadcast-tx}, {@code /broadcast-txs}; WebSocket {@code /ws}. Unknown
 * paths are 404 {@code not-found} with a Chronik {@code Error} body.
 *
 * <p>Threading: requests run on Jetty's bounded thread pool; {@link #start()} and {@link #stop()}
 * may be called from any thread. The server registers a listener on the ledger while running.
 */
public final class ChronikServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChronikServer.class);

  private final Ledger ledger;
  private final ChronikServerConfig config;
  private final ChronikWsHub hub;
  private Javalin app;

  /**
   * @param ledger the ledger to serve (not closed by the server)
   * @param config limits and the address to bind
   */
  public ChronikServer(Ledger ledger, ChronikServerConfig config) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.config = Objects.requireNonNull(config, "config");
    this.hub = new ChronikWsHub(config);
  }

  /**
   * Binds and starts serving.
   *
   * @return this server
   * @throws IllegalStateException if already started
   */
  public synchronized ChronikServer start() {
    if (app != null) {
      throw new IllegalStateException("Chronik server already started");
    }
    ChronikHttpApi api = new ChronikHttpApi(ledger, config);
    Javalin a =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              cfg.http.maxRequestSize = config.maxRequestBytes();
              cfg.jetty.modifyWebSocketServletFactory(
                  f -> {
                    f.setMaxBinaryMessageSize(config.maxWsMessageBytes());
                    f.setMaxTextMessageSize(config.maxWsMessageBytes());
                  });
              cfg.routes.get("/blockchain-info", api::blockchainInfo);
              cfg.routes.get("/tx/{txid}", api::tx);
              cfg.routes.get("/raw-tx/{txid}", api::rawTx);
              cfg.routes.get("/block/{hashOrHeight}", api::block);
              cfg.routes.get("/blocks/{start}/{end}", api::blocks);
              cfg.routes.get("/script/{type}/{payload}/utxos", api::utxos);
              cfg.routes.get("/script/{type}/{payload}/history", api::history);
              cfg.routes.post("/validate-utxos", api::validateUtxos);
              cfg.routes.post("/broadcast-tx", api::broadcastTx);
              cfg.routes.post("/broadcast-txs", api::broadcastTxs);
              cfg.routes.ws(
                  "/ws",
                  ws -> {
                    ws.onConnect(hub::onConnect);
                    ws.onClose(hub::onClose);
                    ws.onBinaryMessage(hub::onBinary);
                    ws.onMessage(hub::onText);
                  });
              cfg.routes.exception(
                  ChronikError.class,
                  (e, ctx) ->
                      ctx.status(e.status()).contentType(ChronikHttpApi.PROTOBUF).result(e.body()));
              cfg.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    LOG.warn("Chronik request {} failed", ctx.path(), e);
                    ChronikError err =
                        new ChronikError(500, "internal-error", "Internal error: " + e, false);
                    ctx.status(500).contentType(ChronikHttpApi.PROTOBUF).result(err.body());
                  });
              cfg.routes.error(
                  404,
                  "*",
                  ctx -> {
                    // a handler's own 404 already carries a Chronik Error; replace anything else
                    String type = ctx.res().getContentType();
                    if (type == null || !type.startsWith(ChronikHttpApi.PROTOBUF)) {
                      ChronikError err =
                          ChronikError.notFound("not-found", "No route for " + ctx.method() + " " + ScriptPaths.clip(ctx.path()));
                      ctx.contentType(ChronikHttpApi.PROTOBUF).result(err.body());
                    }
                  });
            });
    ledger.addListener(hub);
    try {
      a.start(config.host(), config.port());
    } catch (RuntimeException e) {
      ledger.removeListener(hub);
      throw e;
    }
    app = a;
    LOG.info("Chronik server listening on {}", url());
    return this;
  }

  /** The bound port. @throws IllegalStateException if not started */
  public synchronized int port() {
    if (app == null) {
      throw new IllegalStateException("Chronik server not started");
    }
    return app.port();
  }

  /** The base URL, {@code http://host:port} (no trailing slash, as ChronikClient wants it). */
  public String url() {
    String h = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return "http://" + h + ":" + port();
  }

  /** Open WebSocket connections. */
  public int webSocketConnections() {
    return hub.connectionCount();
  }

  /** Subscriptions over all WebSocket connections. */
  public int webSocketSubscriptions() {
    return hub.subscriptionCount();
  }

  /** Stops serving; idempotent. */
  public synchronized void stop() {
    if (app == null) {
      return;
    }
    ledger.removeListener(hub);
    hub.closeAll();
    app.stop();
    app = null;
  }

  @Override
  public void close() {
    stop();
  }
}
