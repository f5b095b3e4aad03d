package org.lotusia.chain.chronik;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.lotusia.chain.chronik.proto.SubscribeMsg;
import org.lotusia.chain.chronik.proto.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chronik's WebSocket ({@code /ws}): subscribe to scripts and receive mempool, confirmation, reorg
 * and block events as {@link ChronikEvent}s.
 *
 * <p>{@link #connect()} tries each base URL once, starting with the one the HTTP client last used.
 * After a connection is lost the socket reconnects with backoff (the configured initial and maximum
 * backoff) until {@link #close()}, and re-sends every subscription. At most {@code
 * maxWsSubscriptions} scripts may be subscribed; messages above {@code maxWsMessageBytes} close the
 * connection (it then reconnects).
 *
 * <p>Threading: thread-safe. The listener is called on OkHttp's WebSocket reader thread, one call
 * at a time; it must not block. A listener exception is logged and does not break the socket.
 */
public final class ChronikWebSocket implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChronikWebSocket.class);
  private static final HexFormat HEX = HexFormat.of();

  /** Receives WebSocket events. Methods run on OkHttp's reader thread and must not block. */
  public interface Listener {
    /** Called for every decoded server message. */
    void onEvent(ChronikEvent event);

    /** Called after the socket opened and the subscriptions were (re)sent. */
    default void onConnected() {}

    /**
     * Called when an open socket was lost; a reconnect is scheduled unless closed.
     *
     * @param cause the failure, or {@code null} for an orderly close by the server
     */
    default void onDisconnected(Throwable cause) {}
  }

  private record Sub(ChronikScriptType type, String payloadHex) {}

  private final ChronikClientConfig config;
  private final OkHttpClient http;
  private final ScheduledExecutorService scheduler;
  private final Listener listener;
  private final IntSupplier startIndex;
  private final java.util.function.Consumer<ChronikWebSocket> onClose;
  private final Set<Sub> subs = new LinkedHashSet<>();
  private final CompletableFuture<Void> firstOpen = new CompletableFuture<>();
  private WebSocket socket;
  private boolean open;
  private boolean closed;
  private boolean started;
  private int reconnects;

  ChronikWebSocket(
      ChronikClientConfig config,
      OkHttpClient http,
      ScheduledExecutorService scheduler,
      Listener listener,
      IntSupplier startIndex,
      java.util.function.Consumer<ChronikWebSocket> onClose) {
    this.onClose = onClose;
    this.config = config;
    this.http = http.newBuilder().pingInterval(Duration.ofSeconds(30)).build();
    this.scheduler = scheduler;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.startIndex = startIndex;
  }

  /**
   * Opens the socket. The future completes when a connection is open, or fails with {@link
   * ChronikUnavailableException} when no base URL accepted the WebSocket on the first round
   * (reconnect attempts continue in the background until {@link #close()}). Calling it again
   * returns the same future.
   */
  public CompletableFuture<Void> connect() {
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(
            new ChronikUnavailableException("WebSocket closed", null));
      }
      if (started) {
        return firstOpen;
      }
      started = true;
    }
    dial(startIndex.getAsInt() % config.urls().size(), 0);
    return firstOpen;
  }

  /** Returns true while a connection is open. */
  public synchronized boolean isConnected() {
    return open;
  }

  /**
   * Subscribes to a script; sent at once if open and re-sent after every reconnect.
   *
   * @param type script type
   * @param payload the type's payload (for example a 20-byte hash for P2PKH)
   * @throws IllegalStateException when the subscription limit is reached
   */
  public void subscribe(ChronikScriptType type, byte[] payload) {
    type.checkPayload(payload);
    Sub sub = new Sub(type, HEX.formatHex(payload));
    synchronized (this) {
      if (subs.contains(sub)) {
        return;
      }
      if (subs.size() >= config.maxWsSubscriptions()) {
        throw new IllegalStateException(
            "WebSocket subscription limit of " + config.maxWsSubscriptions() + " reached");
      }
      subs.add(sub);
      if (open) {
        send(socket, sub, true);
      }
    }
  }

  /**
   * Subscribes to a script classified by {@link org.lotusia.chain.script.Script#chronikScript()}.
   *
   * @param script the Chronik type and payload
   * @throws IllegalStateException when the subscription limit is reached
   */
  public void subscribe(org.lotusia.chain.script.ChronikScript script) {
    subscribe(ChronikScriptType.fromWireName(script.type()), script.payload());
  }

  /** Unsubscribes from a script classified by {@code Script#chronikScript()}. */
  public void unsubscribe(org.lotusia.chain.script.ChronikScript script) {
    unsubscribe(ChronikScriptType.fromWireName(script.type()), script.payload());
  }

  /** Unsubscribes from a script; a no-op if it was not subscribed. */
  public void unsubscribe(ChronikScriptType type, byte[] payload) {
    Sub sub = new Sub(type, HEX.formatHex(payload));
    synchronized (this) {
      if (subs.remove(sub) && open) {
        send(socket, sub, false);
      }
    }
  }

  /** Returns the number of subscribed scripts. */
  public synchronized int subscriptionCount() {
    return subs.size();
  }

  /** Closes the socket and stops reconnecting. Idempotent. */
  @Override
  public void close() {
    WebSocket s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      open = false;
      s = socket;
      socket = null;
    }
    if (s != null) {
      s.close(1000, "client closed");
    }
    onClose.accept(this);
    firstOpen.completeExceptionally(new ChronikUnavailableException("WebSocket closed", null));
  }

  private static void send(WebSocket ws, Sub sub, boolean subscribe) {
    byte[] msg =
        Subscription.newBuilder()
            .setScriptType(sub.type().wireName())
            .setPayload(ByteString.copyFrom(HEX.parseHex(sub.payloadHex())))
            .setIsSubscribe(subscribe)
            .build()
            .toByteArray();
    ws.send(okio.ByteString.of(msg));
  }

  private void dial(int index, int tried) {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    Request req = new Request.Builder().url(config.wsUrl(index)).build();
    http.newWebSocket(req, new Handler(index, tried));
  }

  private void scheduleReconnect() {
    int attempt;
    synchronized (this) {
      if (closed) {
        return;
      }
      attempt = ++reconnects;
    }
    long base = config.initialBackoff().toMillis() << Math.min(20, attempt - 1);
    long delay = Math.min(base, config.maxBackoff().toMillis());
    try {
      scheduler.schedule(
          () -> dial(startIndex.getAsInt() % config.urls().size(), 0),
          delay,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("scheduler shut down; WebSocket not reconnected");
    }
  }

  /** Callbacks of one connection attempt. */
  private final class Handler extends WebSocketListener {
    private final int index;
    private final int tried;
    private boolean opened;

    Handler(int index, int tried) {
      this.index = index;
      this.tried = tried;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      synchronized (ChronikWebSocket.this) {
        if (closed) {
          webSocket.close(1000, "client closed");
          return;
        }
        opened = true;
        open = true;
        socket = webSocket;
        reconnects = 0;
        for (Sub s : subs) {
          send(webSocket, s, true);
        }
      }
      firstOpen.complete(null);
      safe(listener::onConnected);
    }

    @Override
    public void onMessage(WebSocket webSocket, okio.ByteString bytes) {
      if (bytes.size() > config.maxWsMessageBytes()) {
        LOG.warn(
            "Chronik WebSocket message of {} bytes exceeds limit {}; closing",
            bytes.size(),
            config.maxWsMessageBytes());
        webSocket.close(1009, "message too big");
        return;
      }
      ChronikEvent event;
      try {
        event =
            ProtoConverter.event(
                ProtoConverter.parse("SubscribeMsg", bytes.toByteArray(), SubscribeMsg::parseFrom));
      } catch (ChronikProtocolException e) {
        LOG.warn("dropping malformed Chronik WebSocket message: {}", e.getMessage());
        return;
      }
      safe(() -> listener.onEvent(event));
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      LOG.debug("ignoring text message on Chronik WebSocket");
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      webSocket.close(1000, null);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      lost(webSocket, null);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      if (response != null) {
        response.close();
      }
      if (!opened) {
        LOG.debug("Chronik WebSocket {} failed: {}", config.wsUrl(index), t.toString());
        if (tried + 1 < config.urls().size()) {
          dial((index + 1) % config.urls().size(), tried + 1);
          return;
        }
        firstOpen.completeExceptionally(
            new ChronikUnavailableException("Error connecting to known Chronik WebSockets", t));
        scheduleReconnect();
        return;
      }
      lost(webSocket, t);
    }

    private void lost(WebSocket webSocket, Throwable cause) {
      synchronized (ChronikWebSocket.this) {
        if (socket != webSocket) {
          return;
        }
        socket = null;
        open = false;
      }
      safe(() -> listener.onDisconnected(cause));
      scheduleReconnect();
    }
  }

  private static void safe(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("Chronik WebSocket listener threw", e);
    }
  }
}
