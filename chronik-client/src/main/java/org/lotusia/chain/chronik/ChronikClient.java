package org.lotusia.chain.chronik;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;
import org.lotusia.chain.chronik.proto.Blocks;
import org.lotusia.chain.chronik.proto.BroadcastTxRequest;
import org.lotusia.chain.chronik.proto.BroadcastTxResponse;
import org.lotusia.chain.chronik.proto.BroadcastTxsRequest;
import org.lotusia.chain.chronik.proto.BroadcastTxsResponse;
import org.lotusia.chain.chronik.proto.Utxos;
import org.lotusia.chain.chronik.proto.ValidateUtxoRequest;
import org.lotusia.chain.chronik.proto.ValidateUtxoResponse;
import org.lotusia.chain.script.ChronikScript;

/**
 * Client of the legacy Chronik indexer API (protobuf over HTTP, as spoken by chronik-client 0.19
 * and the Lotus Chronik servers).
 *
 * <p>Every method returns a {@link CompletableFuture} that completes with a plain record or fails
 * with a {@link ChronikException} subtype: {@link ChronikErrorException} for Chronik's own error
 * replies (for example an unknown txid), {@link ChronikUnavailableException} when no server could
 * be reached, {@link ChronikProtocolException} for malformed replies. Caller mistakes (a txid that
 * is not 64 hex characters, a payload of the wrong length) throw {@link IllegalArgumentException}
 * at once.
 *
 * <p>Byte order: every txid and block hash in this API is big-endian hex, the form block explorers
 * show. Chronik's wire form is little-endian; the client reverses in both directions.
 *
 * <p>Threading: requests run on OkHttp's dispatcher; futures complete on OkHttp or scheduler
 * threads, so dependent stages must not block. One instance is meant to be shared; it is
 * thread-safe. {@link #close()} fails every pending future.
 */
public final class ChronikClient implements AutoCloseable {

  private static final HexFormat HEX = HexFormat.of();

  private final ChronikClientConfig config;
  private final OkHttpClient http;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final boolean ownsHttp;
  private final ChronikHttp transport;
  private final java.util.Set<ChronikWebSocket> sockets =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private ChronikClient(Builder b) {
    this.config = b.config;
    OkHttpClient base = b.okHttpClient != null ? b.okHttpClient : new OkHttpClient();
    this.ownsHttp = b.okHttpClient == null;
    // newBuilder() shares the connection pool and dispatcher of the given client.
    this.http =
        base.newBuilder()
            .connectTimeout(config.connectTimeout())
            .readTimeout(config.readTimeout())
            .callTimeout(config.callTimeout())
            .retryOnConnectionFailure(false)
            .build();
    this.ownsScheduler = b.scheduler == null;
    this.scheduler =
        b.scheduler != null
            ? b.scheduler
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "lotus-chronik-scheduler");
                  t.setDaemon(true);
                  return t;
                });
    this.transport = new ChronikHttp(config, http, scheduler);
  }

  /** Returns a client of {@value ChronikClientConfig#DEFAULT_URL} with default settings. */
  public static ChronikClient create() {
    return builder().build();
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the configuration. */
  public ChronikClientConfig config() {
    return config;
  }

  /** {@code GET /blockchain-info}: the server's chain tip. */
  public CompletableFuture<BlockchainInfo> blockchainInfo() {
    return blockchainInfo(-1);
  }

  private CompletableFuture<BlockchainInfo> blockchainInfo(int pinned) {
    return transport
        .get("/blockchain-info", pinned)
        .thenApply(
            r ->
                ProtoConverter.blockchainInfo(
                    ProtoConverter.parse(
                        "BlockchainInfo",
                        r.body(),
                        org.lotusia.chain.chronik.proto.BlockchainInfo::parseFrom)));
  }

  /**
   * {@code GET /tx/{txid}}.
   *
   * @param txid big-endian hex txid
   * @return the transaction; an unknown txid fails with a {@link ChronikErrorException} whose
   *     {@link ChronikErrorException#isNotFound()} is true
   */
  public CompletableFuture<Tx> tx(String txid) {
    return txReply(txid, -1).thenApply(TxReply::tx);
  }

  private record TxReply(Tx tx, int endpoint) {}

  private CompletableFuture<TxReply> txReply(String txid, int pinned) {
    String id = ReversedHex.requireHash(txid);
    return transport
        .get("/tx/" + id, pinned)
        .thenApply(
            r ->
                new TxReply(
                    ProtoConverter.tx(
                        ProtoConverter.parse(
                            "Tx", r.body(), org.lotusia.chain.chronik.proto.Tx::parseFrom)),
                    r.endpoint()));
  }

  /**
   * {@code GET /raw-tx/{txid}}: the serialized transaction, as the node relays it.
   *
   * @param txid big-endian hex txid
   * @return the raw bytes; an unknown txid fails with a {@link ChronikErrorException} whose {@link
   *     ChronikErrorException#isNotFound()} is true
   */
  public CompletableFuture<byte[]> rawTx(String txid) {
    String id = ReversedHex.requireHash(txid);
    return transport
        .get("/raw-tx/" + id, -1)
        .thenApply(
            r ->
                ProtoConverter.parse(
                        "RawTx", r.body(), org.lotusia.chain.chronik.proto.RawTx::parseFrom)
                    .getRawTx()
                    .toByteArray());
  }

  /**
   * Fetches a transaction and then the chain tip from the same server, so confirmations computed
   * from the pair never mix two servers' views. If that server fails between the two requests, the
   * pair is fetched again through normal failover, once.
   *
   * @param txid big-endian hex txid
   * @return the transaction with the tip
   */
  public CompletableFuture<TxAndTip> txAndTip(String txid) {
    return txReply(txid, -1)
        .thenCompose(
            tr ->
                pairWithTip(tr)
                    .exceptionallyCompose(
                        t -> {
                          Throwable cause = unwrap(t);
                          if (cause instanceof ChronikUnavailableException) {
                            // the server died between the two requests; the transport has moved on
                            // from it
                            return txReply(txid, -1).thenCompose(this::pairWithTip);
                          }
                          return CompletableFuture.failedFuture(cause);
                        }));
  }

  private CompletableFuture<TxAndTip> pairWithTip(TxReply tr) {
    return blockchainInfo(tr.endpoint()).thenApply(tip -> new TxAndTip(tr.tx(), tip));
  }

  /**
   * {@code GET /block/{hash}}.
   *
   * @param hash big-endian hex block hash
   */
  public CompletableFuture<Block> block(String hash) {
    return blockAt(ReversedHex.requireHash(hash));
  }

  /**
   * {@code GET /block/{height}}.
   *
   * @param height block height, 0 or more
   */
  public CompletableFuture<Block> block(int height) {
    if (height < 0) {
      throw new IllegalArgumentException("block height must be >= 0, got " + height);
    }
    return blockAt(Integer.toString(height));
  }

  private CompletableFuture<Block> blockAt(String key) {
    return transport
        .get("/block/" + key, -1)
        .thenApply(
            r ->
                ProtoConverter.block(
                    ProtoConverter.parse(
                        "Block", r.body(), org.lotusia.chain.chronik.proto.Block::parseFrom)));
  }

  /**
   * {@code GET /blocks/{start}/{end}}: summaries of a height range, inclusive.
   *
   * @param startHeight first height, 0 or more
   * @param endHeight last height, not below {@code startHeight}
   */
  public CompletableFuture<List<BlockInfo>> blocks(int startHeight, int endHeight) {
    if (startHeight < 0 || endHeight < startHeight) {
      throw new IllegalArgumentException("invalid block range " + startHeight + ".." + endHeight);
    }
    return transport
        .get("/blocks/" + startHeight + "/" + endHeight, -1)
        .thenApply(
            r -> {
              Blocks b = ProtoConverter.parse("Blocks", r.body(), Blocks::parseFrom);
              List<BlockInfo> out = new ArrayList<>(b.getBlocksCount());
              b.getBlocksList().forEach(bi -> out.add(ProtoConverter.blockInfo(bi)));
              return List.copyOf(out);
            });
  }

  /**
   * {@code GET /script/{type}/{payload}/utxos}.
   *
   * @param type the script type
   * @param payload the type's payload, for example the 20-byte hash of a P2PKH script (not the
   *     whole script)
   * @return the UTXOs grouped by output script; empty when there are none
   */
  public CompletableFuture<List<ScriptUtxos>> scriptUtxos(ChronikScriptType type, byte[] payload) {
    String p = scriptPath(type, payload);
    return transport
        .get(p + "/utxos", -1)
        .thenApply(
            r -> ProtoConverter.utxos(ProtoConverter.parse("Utxos", r.body(), Utxos::parseFrom)));
  }

  /**
   * {@code GET /script/{type}/{payload}/utxos} for a script classified by {@link
   * org.lotusia.chain.script.Script#chronikScript()}.
   *
   * @param script the Chronik type and payload of an output script
   */
  public CompletableFuture<List<ScriptUtxos>> scriptUtxos(ChronikScript script) {
    return scriptUtxos(ChronikScriptType.fromWireName(script.type()), script.payload());
  }

  /**
   * {@code GET /script/{type}/{payload}/history?page=&page_size=}.
   *
   * @param type the script type
   * @param payload the type's payload
   * @param page page number, from 0
   * @param pageSize transactions per page, 1 or more
   */
  public CompletableFuture<TxHistoryPage> scriptHistory(
      ChronikScriptType type, byte[] payload, int page, int pageSize) {
    if (page < 0 || pageSize <= 0) {
      throw new IllegalArgumentException("page must be >= 0 and pageSize > 0");
    }
    String p = scriptPath(type, payload) + "/history?page=" + page + "&page_size=" + pageSize;
    return transport
        .get(p, -1)
        .thenApply(
            r ->
                ProtoConverter.history(
                    ProtoConverter.parse(
                        "TxHistoryPage",
                        r.body(),
                        org.lotusia.chain.chronik.proto.TxHistoryPage::parseFrom)));
  }

  private static String scriptPath(ChronikScriptType type, byte[] payload) {
    Objects.requireNonNull(type, "type");
    type.checkPayload(payload);
    return "/script/" + type.wireName() + "/" + HEX.formatHex(payload);
  }

  /**
   * {@code POST /validate-utxos}: the state of each outpoint, in request order.
   *
   * @param outpoints the outputs to check
   */
  public CompletableFuture<List<UtxoState>> validateUtxos(List<ChronikOutPoint> outpoints) {
    ValidateUtxoRequest.Builder req = ValidateUtxoRequest.newBuilder();
    for (ChronikOutPoint o : outpoints) {
      req.addOutpoints(
          org.lotusia.chain.chronik.proto.OutPoint.newBuilder()
              .setTxid(ByteString.copyFrom(ReversedHex.toWireBytes(o.txid())))
              .setOutIdx(o.outIdx()));
    }
    return transport
        .post("/validate-utxos", req.build().toByteArray(), -1)
        .thenApply(
            r -> {
              ValidateUtxoResponse resp =
                  ProtoConverter.parse(
                      "ValidateUtxoResponse", r.body(), ValidateUtxoResponse::parseFrom);
              if (resp.getUtxoStatesCount() != outpoints.size()) {
                throw new ChronikProtocolException(
                    "validate-utxos answered "
                        + resp.getUtxoStatesCount()
                        + " states for "
                        + outpoints.size()
                        + " outpoints",
                    null);
              }
              List<UtxoState> out = new ArrayList<>();
              resp.getUtxoStatesList().forEach(s -> out.add(ProtoConverter.utxoState(s)));
              return List.copyOf(out);
            });
  }

  /**
   * {@code POST /broadcast-tx} with {@code skip_slp_check = false}.
   *
   * @param rawTx the serialised transaction
   * @return the txid as big-endian hex; a rejected transaction fails with {@link
   *     ChronikErrorException} carrying the node's reason
   */
  public CompletableFuture<String> broadcastTx(byte[] rawTx) {
    return broadcastTx(rawTx, false);
  }

  /**
   * {@code POST /broadcast-tx}.
   *
   * @param rawTx the serialised transaction, not empty
   * @param skipSlpCheck whether the server should skip its SLP burn check
   * @return the txid as big-endian hex
   */
  public CompletableFuture<String> broadcastTx(byte[] rawTx, boolean skipSlpCheck) {
    if (rawTx == null || rawTx.length == 0) {
      throw new IllegalArgumentException("raw transaction must not be empty");
    }
    byte[] body =
        BroadcastTxRequest.newBuilder()
            .setRawTx(ByteString.copyFrom(rawTx))
            .setSkipSlpCheck(skipSlpCheck)
            .build()
            .toByteArray();
    return transport
        .post("/broadcast-tx", body, -1)
        .thenApply(
            r ->
                ProtoConverter.hash(
                    "BroadcastTxResponse.txid",
                    ProtoConverter.parse(
                            "BroadcastTxResponse", r.body(), BroadcastTxResponse::parseFrom)
                        .getTxid()));
  }

  /**
   * {@code POST /broadcast-txs}: several transactions at once, all or none.
   *
   * @param rawTxs serialised transactions, none empty
   * @param skipSlpCheck whether the server should skip its SLP burn check
   * @return the txids as big-endian hex, in request order
   */
  public CompletableFuture<List<String>> broadcastTxs(List<byte[]> rawTxs, boolean skipSlpCheck) {
    BroadcastTxsRequest.Builder req =
        BroadcastTxsRequest.newBuilder().setSkipSlpCheck(skipSlpCheck);
    for (byte[] raw : rawTxs) {
      if (raw == null || raw.length == 0) {
        throw new IllegalArgumentException("raw transaction must not be empty");
      }
      req.addRawTxs(ByteString.copyFrom(raw));
    }
    return transport
        .post("/broadcast-txs", req.build().toByteArray(), -1)
        .thenApply(
            r -> {
              BroadcastTxsResponse resp =
                  ProtoConverter.parse(
                      "BroadcastTxsResponse", r.body(), BroadcastTxsResponse::parseFrom);
              List<String> out = new ArrayList<>();
              resp.getTxidsList()
                  .forEach(t -> out.add(ProtoConverter.hash("BroadcastTxsResponse.txids", t)));
              return List.copyOf(out);
            });
  }

  /**
   * Creates a WebSocket endpoint for script subscriptions; call {@link ChronikWebSocket#connect()}
   * to open it. It shares this client's OkHttp client and scheduler.
   *
   * @param listener receives events; called on OkHttp's WebSocket thread, must not block
   */
  public ChronikWebSocket webSocket(ChronikWebSocket.Listener listener) {
    ChronikWebSocket ws =
        new ChronikWebSocket(
            config, http, scheduler, listener, transport::workingIndex, sockets::remove);
    sockets.add(ws);
    return ws;
  }

  /**
   * Fails every pending future, closes the WebSockets created by {@link #webSocket}, then releases
   * the scheduler and the OkHttp dispatcher and connection pool if this client created them (not if
   * they were supplied).
   */
  @Override
  public void close() {
    transport.close();
    for (ChronikWebSocket ws : List.copyOf(sockets)) {
      ws.close();
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
    if (ownsHttp) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Builder of {@link ChronikClient}; not thread-safe. */
  public static final class Builder {
    private ChronikClientConfig config = ChronikClientConfig.builder().build();
    private OkHttpClient okHttpClient;
    private ScheduledExecutorService scheduler;

    private Builder() {}

    /** Settings; default {@link ChronikClientConfig#builder()} defaults. */
    public Builder config(ChronikClientConfig c) {
      config = Objects.requireNonNull(c, "config");
      return this;
    }

    /** Shorthand for a configuration with default settings and these base URLs. */
    public Builder urls(String... urls) {
      config = ChronikClientConfig.builder().urls(List.of(urls)).build();
      return this;
    }

    /**
     * The shared OkHttp client whose connection pool and dispatcher to use; default a new one owned
     * by this client. Timeouts are taken from the configuration.
     */
    public Builder okHttpClient(OkHttpClient c) {
      okHttpClient = c;
      return this;
    }

    /** Scheduler for retry backoff and WebSocket reconnects; default a private daemon thread. */
    public Builder scheduler(ScheduledExecutorService s) {
      scheduler = s;
      return this;
    }

    /** Builds the client. */
    public ChronikClient build() {
      return new ChronikClient(this);
    }
  }
}
