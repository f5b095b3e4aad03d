package org.lotusia.chain.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.lotusia.chain.address.XAddress;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.chronik.ChronikErrorException;
import org.lotusia.chain.chronik.ReversedHex;
import org.lotusia.chain.chronik.ScriptUtxos;
import org.lotusia.chain.chronik.Tx;
import org.lotusia.chain.chronik.TxAndTip;
import org.lotusia.chain.chronik.ChronikTxOutput;
import org.lotusia.chain.chronik.Utxo;
import org.lotusia.chain.script.ChronikScript;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.ScriptType;

/**
 * Watches transactions through Chronik (lotus-sdk {@code TransactionMonitor}, fixed): confirmation
 * counts from one server per check and clamped at 0, waits with callbacks, a future, cancellation
 * and timeout, push updates over Chronik's WebSocket with polling as fallback, broadcast, and UTXO
 * lookups that send the right script type and payload.
 *
 * <p>Errors are not swallowed: an unknown transaction is a value ({@link
 * TxConfirmation.Status#NOT_FOUND}, an empty {@link Optional}), while network and server failures
 * fail the future with the {@link org.lotusia.chain.chronik.ChronikException}.
 *
 * <p>Polling and timeouts run on the injected {@link ScheduledExecutorService}; with the WebSocket
 * connected, watches poll at the slower push poll interval and are rechecked on every relevant
 * event. Threading: thread-safe; futures and callbacks complete on OkHttp or scheduler threads.
 */
public final class TransactionMonitor implements AutoCloseable {

  /** A check's result: the state and, if found, the transaction. */
  record Checked(TxConfirmation state, Tx tx) {}

  private final ChronikClient chronik;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final Duration pollInterval;
  private final Duration pushPollInterval;
  private final Duration defaultTimeout;
  private final int maxWatches;
  private final PushChannel push;
  private final Set<ConfirmationWatch> watches = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private TransactionMonitor(Builder b) {
    this.chronik = b.chronik;
    this.ownsScheduler = b.scheduler == null;
    this.scheduler =
        b.scheduler != null
            ? b.scheduler
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "lotus-tx-monitor");
                  t.setDaemon(true);
                  return t;
                });
    this.pollInterval = b.pollInterval;
    this.pushPollInterval = b.pushPollInterval;
    this.defaultTimeout = b.defaultTimeout;
    this.maxWatches = b.maxWatches;
    this.push =
        b.useWebSocket
            ? new PushChannel(chronik, this::onTxEvent, this::onBlockEvent, this::onReconnect)
            : null;
  }

  /**
   * Returns a builder.
   *
   * @param chronik the Chronik client (shared, not closed by the monitor)
   */
  public static Builder builder(ChronikClient chronik) {
    return new Builder(chronik);
  }

  /**
   * Checks how many confirmations a transaction has: {@code GET /tx} then {@code GET
   * /blockchain-info} on the same server.
   *
   * @param txid big-endian hex txid
   * @param required confirmations that count as confirmed, 1 or more
   * @return the state; {@link TxConfirmation.Status#NOT_FOUND} for an unknown txid; fails with a
   *     Chronik exception on network or server errors
   */
  public CompletableFuture<TxConfirmation> checkConfirmations(String txid, int required) {
    return check(txid, required).thenApply(Checked::state);
  }

  CompletableFuture<Checked> check(String txid, int required) {
    if (required < 1) {
      throw new IllegalArgumentException("required confirmations must be >= 1, got " + required);
    }
    String id = ReversedHex.requireHash(txid);
    return chronik
        .txAndTip(id)
        .handle(
            (tt, err) -> {
              if (err != null) {
                Throwable cause = unwrap(err);
                if (cause instanceof ChronikErrorException e && e.isNotFound()) {
                  return CompletableFuture.completedFuture(
                      new Checked(TxConfirmation.notFound(id), null));
                }
                return CompletableFuture.<Checked>failedFuture(cause);
              }
              return CompletableFuture.completedFuture(new Checked(state(tt, required), tt.tx()));
            })
        .thenCompose(f -> f);
  }

  private static TxConfirmation state(TxAndTip tt, int required) {
    Tx tx = tt.tx();
    if (!tx.isMined()) {
      return new TxConfirmation(tx.txid(), TxConfirmation.Status.MEMPOOL, -1, 0, false);
    }
    int conf = tt.confirmations();
    return new TxConfirmation(
        tx.txid(), TxConfirmation.Status.MINED, tx.block().height(), conf, conf >= required);
  }

  /**
   * Checks several transactions in parallel.
   *
   * @param txids big-endian hex txids, at most the configured watch limit
   * @param required confirmations that count as confirmed
   * @return states by txid in input order; fails if any check fails
   */
  public CompletableFuture<Map<String, TxConfirmation>> batchCheckConfirmations(
      Collection<String> txids, int required) {
    if (txids.size() > maxWatches) {
      throw new IllegalArgumentException(
          "batch of " + txids.size() + " exceeds limit " + maxWatches);
    }
    List<CompletableFuture<TxConfirmation>> all = new ArrayList<>();
    for (String t : txids) {
      all.add(checkConfirmations(t, required));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              Map<String, TxConfirmation> out = new LinkedHashMap<>();
              for (CompletableFuture<TxConfirmation> f : all) {
                TxConfirmation c = f.join();
                out.put(c.txid(), c);
              }
              return out;
            });
  }

  /** Waits with the default timeout and no callbacks. */
  public ConfirmationWatch waitForConfirmation(String txid, int required) {
    return waitForConfirmation(txid, required, defaultTimeout, new ConfirmationListener() {});
  }

  /**
   * Starts waiting until a transaction has {@code required} confirmations. An unknown txid keeps
   * being polled (it may not have propagated yet) until the timeout.
   *
   * @param txid big-endian hex txid
   * @param required confirmations, 1 or more
   * @param timeout deadline from now
   * @param listener callbacks
   * @return the running watch
   * @throws IllegalStateException when the monitor is closed or the watch limit is reached
   */
  public ConfirmationWatch waitForConfirmation(
      String txid, int required, Duration timeout, ConfirmationListener listener) {
    String id = ReversedHex.requireHash(txid);
    if (required < 1) {
      throw new IllegalArgumentException("required confirmations must be >= 1, got " + required);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    Objects.requireNonNull(listener, "listener");
    ConfirmationWatch w = new ConfirmationWatch(this, id, required, timeout, listener);
    synchronized (watches) {
      if (closed) {
        throw new IllegalStateException("transaction monitor is closed");
      }
      if (watches.size() >= maxWatches) {
        throw new IllegalStateException("watch limit of " + maxWatches + " reached");
      }
      watches.add(w);
    }
    w.start();
    return w;
  }

  /** Returns the number of running watches. */
  public int activeWatches() {
    return watches.size();
  }

  /** Returns true while the WebSocket is connected (push updates active). */
  public boolean isPushConnected() {
    return push != null && push.isConnected();
  }

  /**
   * Broadcasts a transaction.
   *
   * @param rawTx the serialised transaction
   * @return the txid; a rejection fails with {@link ChronikErrorException} carrying the reason
   */
  public CompletableFuture<String> broadcast(byte[] rawTx) {
    return chronik.broadcastTx(rawTx);
  }

  /**
   * Broadcasts a transaction given as hex.
   *
   * @param rawTxHex the serialised transaction as hex
   * @throws IllegalArgumentException for empty or malformed hex
   */
  public CompletableFuture<String> broadcast(String rawTxHex) {
    if (rawTxHex == null || rawTxHex.isEmpty()) {
      throw new IllegalArgumentException("raw transaction hex must not be empty");
    }
    return broadcast(HexFormat.of().parseHex(rawTxHex));
  }

  /**
   * Fetches a transaction.
   *
   * @param txid big-endian hex txid
   * @return the transaction, or empty when Chronik does not know it
   */
  public CompletableFuture<Optional<Tx>> getTransaction(String txid) {
    return chronik
        .tx(txid)
        .handle(
            (tx, err) -> {
              if (err == null) {
                return CompletableFuture.completedFuture(Optional.of(tx));
              }
              Throwable cause = unwrap(err);
              if (cause instanceof ChronikErrorException e && e.isNotFound()) {
                return CompletableFuture.completedFuture(Optional.<Tx>empty());
              }
              return CompletableFuture.<Optional<Tx>>failedFuture(cause);
            })
        .thenCompose(f -> f);
  }

  /**
   * Lists the UTXOs of an XAddress: P2PKH addresses query {@code p2pkh} with the 20-byte key hash,
   * P2SH {@code p2sh} with the script hash, Taproot addresses {@code p2tr-commitment} with the
   * 33-byte commitment.
   *
   * @param address a Lotus XAddress such as {@code lotus_16PSJ...}
   * @throws IllegalArgumentException for an invalid address
   */
  public CompletableFuture<List<Utxo>> getUtxos(String address) {
    return getUtxos(XAddress.decode(address).toScript());
  }

  /**
   * Lists the UTXOs of an output script, classified into Chronik's type and payload.
   *
   * @param outputScript the locking script
   */
  public CompletableFuture<List<Utxo>> getUtxos(Script outputScript) {
    return chronik
        .scriptUtxos(outputScript.chronikScript())
        .thenApply(
            groups -> {
              List<Utxo> out = new ArrayList<>();
              for (ScriptUtxos g : groups) {
                out.addAll(g.utxos());
              }
              return List.copyOf(out);
            });
  }

  /**
   * Fails every watch with {@link CancellationException}, closes the WebSocket and owned scheduler.
   */
  @Override
  public void close() {
    List<ConfirmationWatch> snapshot;
    synchronized (watches) {
      closed = true;
      snapshot = new ArrayList<>(watches);
    }
    for (ConfirmationWatch w : snapshot) {
      w.future().completeExceptionally(new CancellationException("transaction monitor closed"));
    }
    if (push != null) {
      push.close();
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  Duration currentPollInterval() {
    return isPushConnected() ? pushPollInterval : pollInterval;
  }

  /**
   * Subscribes to a script of the transaction so the WebSocket reports it: the first output with a
   * standard template, else the first output, else the first input's spent script.
   */
  ChronikScript subscribeFor(Tx tx) {
    if (push == null) {
      return null;
    }
    ChronikScript chosen = null;
    for (ChronikTxOutput o : tx.outputs()) {
      Script s = Script.of(o.outputScriptBytes());
      ScriptType t = s.type();
      if (t != ScriptType.DATA && t != ScriptType.OTHER) {
        chosen = s.chronikScript();
        break;
      }
      if (chosen == null && s.size() > 0) {
        chosen = s.chronikScript();
      }
    }
    if (chosen == null && !tx.inputs().isEmpty() && !tx.inputs().get(0).outputScript().isEmpty()) {
      chosen = Script.fromHex(tx.inputs().get(0).outputScript()).chronikScript();
    }
    return chosen != null && push.acquire(chosen) ? chosen : null;
  }

  void removed(ConfirmationWatch w, ChronikScript subscribed) {
    watches.remove(w);
    if (subscribed != null && push != null) {
      push.release(subscribed);
    }
  }

  private void onTxEvent(String txid) {
    for (ConfirmationWatch w : watches) {
      if (w.txid().equals(txid)) {
        w.trigger();
      }
    }
  }

  private void onBlockEvent() {
    for (ConfirmationWatch w : watches) {
      if (w.wantsBlockEvents()) {
        w.trigger();
      }
    }
  }

  private void onReconnect() {
    for (ConfirmationWatch w : watches) {
      w.trigger();
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

  /** Builder of {@link TransactionMonitor}; not thread-safe. */
  public static final class Builder {
    private final ChronikClient chronik;
    private ScheduledExecutorService scheduler;
    private Duration pollInterval = Duration.ofSeconds(5);
    private Duration pushPollInterval = Duration.ofSeconds(60);
    private Duration defaultTimeout = Duration.ofMinutes(10);
    private int maxWatches = 1000;
    private boolean useWebSocket = true;

    private Builder(ChronikClient chronik) {
      this.chronik = Objects.requireNonNull(chronik, "chronik");
    }

    /** Scheduler for polls and timeouts; default a private daemon thread (shut down on close). */
    public Builder scheduler(ScheduledExecutorService s) {
      scheduler = s;
      return this;
    }

    /** Poll interval without WebSocket; default 5 s (lotus-sdk's). */
    public Builder pollInterval(Duration d) {
      pollInterval = positive("pollInterval", d);
      return this;
    }

    /** Fallback poll interval while the WebSocket is connected; default 60 s. */
    public Builder pushPollInterval(Duration d) {
      pushPollInterval = positive("pushPollInterval", d);
      return this;
    }

    /**
     * Timeout of {@link TransactionMonitor#waitForConfirmation(String, int)}; default 10 min
     * (lotus-sdk's).
     */
    public Builder defaultTimeout(Duration d) {
      defaultTimeout = positive("defaultTimeout", d);
      return this;
    }

    /** Most concurrent watches (and batch size); default 1000. */
    public Builder maxWatches(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxWatches must be >= 1");
      }
      maxWatches = n;
      return this;
    }

    /** Whether to use the WebSocket for push updates; default true. */
    public Builder useWebSocket(boolean b) {
      useWebSocket = b;
      return this;
    }

    /** Builds the monitor. */
    public TransactionMonitor build() {
      return new TransactionMonitor(this);
    }

    private static Duration positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }
  }
}
