package org.lotusia.node.status;

import io.javalin.Javalin;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's read-only HTTP server: {@code GET /status} (JSON), {@code GET /metrics} (Prometheus
 * text format) and {@code GET /} (an HTML page of the status). Only GET is served; every
 * other method gets 405, and nothing served changes the node. Runs on Javalin (Jetty 12) with its
 * own small thread pool, so requests never run on the node's network or service threads.
 *
 * <p>Bind it to loopback unless the operator asks otherwise: the status names peers and addresses.
 */
public final class StatusServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Javalin app;

  private StatusServer(Javalin app) {
    this.app = app;
  }

  /**
   * Starts serving on {@code address}.
   *
   * @param address where to listen (port 0 picks a free port)
   * @param report builds the status document
   * @param metrics the metrics
   * @return the running server
   * @throws IllegalStateException naming the address when it cannot be bound (for example a port in
   *     use)
   */
  public static StatusServer start(InetSocketAddress address, StatusReport report, NodeMetrics metrics) {
    Objects.requireNonNull(address, "address");
    Javalin app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              cfg.http.maxRequestSize = 8192;
              cfg.http.prefer405over404 = true;
              cfg.jetty.threadPool = new org.eclipse.jetty.util.thread.QueuedThreadPool(8, 2);
              cfg.routes.get(
                  "/status",
                  ctx -> ctx.contentType("application/json").result(report.build().toPrettyString()));
              cfg.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
              cfg.routes.get(
                  "/",
                  ctx ->
                      ctx.contentType("text/html; charset=utf-8")
                          .header("Cache-Control", "no-store")
                          .result(StatusPage.render(report.build())));
              cfg.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    LOG.warn("status request {} failed", ctx.path(), e);
                    ctx.status(500).contentType("text/plain").result("status unavailable: " + e.getMessage());
                  });
            });
    String host = address.getHostString();
    try {
      app.start(host, address.getPort());
    } catch (RuntimeException e) {
      app.stop();
      throw new IllegalStateException(
          "cannot serve the status on " + host + ":" + address.getPort() + ": " + reason(e), e);
    }
    return new StatusServer(app);
  }

  private static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException) {
        return "the address is in use or not local to this machine";
      }
    }
    return String.valueOf(e.getMessage());
  }

  /**
   * The bound port.
   *
   * @return the port
   */
  public int port() {
    return app.port();
  }

  /** Stops serving; idempotent. */
  @Override
  public void close() {
    app.stop();
  }
}
