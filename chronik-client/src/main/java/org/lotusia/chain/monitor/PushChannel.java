package org.lotusia.chain.monitor;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.chronik.ChronikEvent;
import org.lotusia.chain.chronik.ChronikWebSocket;
import org.lotusia.chain.script.ChronikScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's WebSocket: one shared socket, opened on the first subscription, with reference
 * counts per script so several watches of one script share a subscription. Transaction events go to
 * {@code onTx}, block events to {@code onBlock}, and every (re)connect to {@code onConnect}, which
 * rechecks all watches (events may have been missed while disconnected). Thread-safe.
 */
final class PushChannel implements ChronikWebSocket.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(PushChannel.class);

  private final ChronikClient chronik;
  private final Consumer<String> onTx;
  private final Runnable onBlock;
  private final Runnable onConnect;
  private final Map<ChronikScript, Integer> refs = new HashMap<>();
  private ChronikWebSocket socket;
  private boolean closed;

  PushChannel(ChronikClient chronik, Consumer<String> onTx, Runnable onBlock, Runnable onConnect) {
    this.chronik = chronik;
    this.onTx = onTx;
    this.onBlock = onBlock;
    this.onConnect = onConnect;
  }

  /** Subscribes to a script (once per script); returns false when it could not be subscribed. */
  boolean acquire(ChronikScript script) {
    ChronikWebSocket ws;
    synchronized (this) {
      if (closed) {
        return false;
      }
      Integer n = refs.get(script);
      if (n != null) {
        refs.put(script, n + 1);
        return true;
      }
      if (socket == null) {
        socket = chronik.webSocket(this);
        socket
            .connect()
            .whenComplete(
                (v, t) -> {
                  if (t != null) {
                    LOG.debug("Chronik WebSocket unavailable, polling only: {}", t.toString());
                  }
                });
      }
      ws = socket;
      try {
        ws.subscribe(script);
      } catch (IllegalStateException | IllegalArgumentException e) {
        LOG.debug("not subscribing {}: {}", script, e.getMessage());
        return false;
      }
      refs.put(script, 1);
      return true;
    }
  }

  /** Drops one reference to a script; unsubscribes at zero. */
  synchronized void release(ChronikScript script) {
    Integer n = refs.get(script);
    if (n == null) {
      return;
    }
    if (n > 1) {
      refs.put(script, n - 1);
      return;
    }
    refs.remove(script);
    if (socket != null) {
      socket.unsubscribe(script);
    }
  }

  synchronized boolean isConnected() {
    return socket != null && socket.isConnected();
  }

  synchronized int subscriptions() {
    return refs.size();
  }

  @Override
  public void onEvent(ChronikEvent event) {
    if (event instanceof ChronikEvent.Confirmed e) {
      onTx.accept(e.txid());
    } else if (event instanceof ChronikEvent.AddedToMempool e) {
      onTx.accept(e.txid());
    } else if (event instanceof ChronikEvent.RemovedFromMempool e) {
      onTx.accept(e.txid());
    } else if (event instanceof ChronikEvent.Reorg e) {
      onTx.accept(e.txid());
    } else if (event instanceof ChronikEvent.BlockConnected
        || event instanceof ChronikEvent.BlockDisconnected) {
      onBlock.run();
    } else if (event instanceof ChronikEvent.Error e) {
      LOG.warn("Chronik WebSocket error {}: {}", e.errorCode(), e.message());
    }
  }

  @Override
  public void onConnected() {
    onConnect.run();
  }

  void close() {
    ChronikWebSocket ws;
    synchronized (this) {
      closed = true;
      ws = socket;
      socket = null;
      refs.clear();
    }
    if (ws != null) {
      ws.close();
    }
  }
}
