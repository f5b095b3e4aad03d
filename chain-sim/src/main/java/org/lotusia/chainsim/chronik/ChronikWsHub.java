package org.lotusia.chainsim.chronik;

import com.google.protobuf.InvalidProtocolBufferException;
import io.javalin.websocket.WsBinaryMessageContext;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.lotusia.chain.chronik.proto.MsgAddedToMempool;
import org.lotusia.chain.chronik.proto.MsgBlockConnected;
import org.lotusia.chain.chronik.proto.MsgConfirmed;
import org.lotusia.chain.chronik.proto.SubscribeMsg;
import org.lotusia.chain.chronik.proto.Subscription;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.chainsim.ledger.LedgerListener;
import org.lotusia.chainsim.ledger.SimBlock;
import org.lotusia.chainsim.ledger.TxEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chronik's WebSocket ({@code /ws}): clients send {@code Subscription} messages for scripts; the
 * hub sends {@code SubscribeMsg}s: {@code AddedToMempool} and {@code Confirmed} for transactions
 * paying or spending a subscribed script, and {@code BlockConnected} for every block to every
 * connection. A bad subscription (malformed protobuf, unknown type, bad payload, one beyond the
 * per-connection limit) is answered with a {@code SubscribeMsg.error} and changes nothing.
 *
 * <p>Bounds: connections ({@code maxWsConnections}; more are closed with 1013), subscriptions per
 * connection, client message size (Jetty closes with 1009 above it), and sends queued to one
 * connection ({@code maxWsPendingSends}; a slower reader is closed with 1008).
 *
 * <p>Threading: ledger events arrive on the ledger's event thread; client messages on Jetty's
 * threads. Per-connection state is concurrent; sends are asynchronous and never block the ledger.
 */
final class ChronikWsHub implements LedgerListener {

  private static final Logger LOG = LoggerFactory.getLogger(ChronikWsHub.class);

  private record Conn(WsContext ctx, Set<Script> subs, AtomicInteger pending) {}

  private final ChronikServerConfig config;
  private final ConcurrentHashMap<String, Conn> conns = new ConcurrentHashMap<>();

  ChronikWsHub(ChronikServerConfig config) {
    this.config = config;
  }

  /** Open connections. */
  int connectionCount() {
    return conns.size();
  }

  /** Subscriptions of all connections. */
  int subscriptionCount() {
    return conns.values().stream().mapToInt(c -> c.subs().size()).sum();
  }

  void onConnect(WsConnectContext ctx) {
    synchronized (conns) {
      if (conns.size() >= config.maxWsConnections()) {
        LOG.warn("refusing WebSocket: {} connections open", conns.size());
        ctx.closeSession(1013, "too many connections (limit " + config.maxWsConnections() + ")");
        return;
      }
      conns.put(ctx.sessionId(), new Conn(ctx, ConcurrentHashMap.newKeySet(), new AtomicInteger()));
    }
  }

  void onClose(WsCloseContext ctx) {
    conns.remove(ctx.sessionId());
  }

  void onText(WsMessageContext ctx) {
    Conn c = conns.get(ctx.sessionId());
    if (c != null) {
      sendError(c, "invalid-msg-type", "Text messages are not supported; send a protobuf Subscription");
    }
  }

  void onBinary(WsBinaryMessageContext ctx) {
    Conn c = conns.get(ctx.sessionId());
    if (c == null) {
      return;
    }
    Subscription sub;
    try {
      ByteBuffer data = ctx.data();
      byte[] b = new byte[data.remaining()];
      data.get(b);
      sub = Subscription.parseFrom(b);
    } catch (InvalidProtocolBufferException e) {
      sendError(c, "invalid-protobuf", "Invalid Subscription: " + e.getMessage());
      return;
    }
    Script script;
    try {
      script = ScriptPaths.script(sub.getScriptType(), sub.getPayload().toByteArray());
    } catch (ChronikError e) {
      sendError(c, e.code(), e.getMessage());
      return;
    }
    if (!sub.getIsSubscribe()) {
      c.subs().remove(script);
      return;
    }
    synchronized (c) {
      if (!c.subs().contains(script) && c.subs().size() >= config.maxWsSubscriptions()) {
        sendError(
            c,
            "too-many-subscriptions",
            "Subscription limit of " + config.maxWsSubscriptions() + " scripts reached");
        return;
      }
      c.subs().add(script);
    }
  }

  @Override
  public void txAddedToMempool(TxEntry entry) {
    byte[] txid = entry.tx().txidBytes();
    broadcastTouching(
        entry,
        SubscribeMsg.newBuilder()
            .setAddedToMempool(MsgAddedToMempool.newBuilder().setTxid(ChronikProtos.bytes(txid)))
            .build());
  }

  @Override
  public void txConfirmed(TxEntry entry) {
    if (entry.coinbase() && conns.values().stream().allMatch(c -> c.subs().isEmpty())) {
      return;
    }
    byte[] txid = entry.tx().txidBytes();
    broadcastTouching(
        entry,
        SubscribeMsg.newBuilder()
            .setConfirmed(MsgConfirmed.newBuilder().setTxid(ChronikProtos.bytes(txid)))
            .build());
  }

  @Override
  public void blockConnected(SimBlock block) {
    byte[] msg =
        SubscribeMsg.newBuilder()
            .setBlockConnected(
                MsgBlockConnected.newBuilder().setBlockHash(ChronikProtos.bytes(block.hash())))
            .build()
            .toByteArray();
    for (Conn c : conns.values()) {
      send(c, msg);
    }
  }

  private void broadcastTouching(TxEntry entry, SubscribeMsg msg) {
    byte[] bytes = null;
    for (Conn c : conns.values()) {
      if (c.subs().isEmpty() || !touches(entry, c.subs())) {
        continue;
      }
      if (bytes == null) {
        bytes = msg.toByteArray();
      }
      send(c, bytes);
    }
  }

  private static boolean touches(TxEntry e, Set<Script> subs) {
    for (TxOutput o : e.tx().outputs()) {
      if (subs.contains(o.script())) {
        return true;
      }
    }
    for (TxOutput o : e.spentOutputs()) {
      if (subs.contains(o.script())) {
        return true;
      }
    }
    return false;
  }

  private void sendError(Conn c, String code, String msg) {
    send(
        c,
        SubscribeMsg.newBuilder()
            .setError(
                org.lotusia.chain.chronik.proto.Error.newBuilder()
                    .setErrorCode(code)
                    .setMsg(msg)
                    .setIsUserError(true))
            .build()
            .toByteArray());
  }

  private void send(Conn c, byte[] msg) {
    Session s = c.ctx().session;
    if (!s.isOpen()) {
      return;
    }
    if (c.pending().incrementAndGet() > config.maxWsPendingSends()) {
      c.pending().decrementAndGet();
      LOG.warn("closing WebSocket {}: {} messages pending", c.ctx().sessionId(), config.maxWsPendingSends());
      conns.remove(c.ctx().sessionId());
      s.close(1008, "client too slow", Callback.NOOP);
      return;
    }
    s.sendBinary(
        ByteBuffer.wrap(msg),
        Callback.from(
            () -> c.pending().decrementAndGet(),
            t -> {
              c.pending().decrementAndGet();
              LOG.debug("WebSocket send failed: {}", t.toString());
            }));
  }

  /** Closes every connection (server stopping). */
  void closeAll() {
    for (Conn c : conns.values()) {
      c.ctx().session.close(1001, "server stopping", Callback.NOOP);
    }
    conns.clear();
  }
}
