package org.lotusia.chainsim.ledger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.crypto.Secp256k1Provider;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxInput;
import org.lotusia.chain.tx.TxOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Lotus ledger: the chain of blocks, the UTXO set, the mempool and the indexes a
 * Chronik server needs (transactions, spenders, scripts).
 *
 * <p>Transactions enter through {@link #submit(Transaction)}, which applies lotusd's mempool
 * acceptance ({@link MempoolAcceptor}) and refuses with lotusd's reasons. {@link #mine(Script)}
 * connects a block with a coinbase paying the subsidy plus fees and every mempool transaction, in
 * the order they were accepted (parents always precede children). There are no reorganisations.
 *
 * <p>Time: block timestamps come from the injected {@link Clock} (never earlier than the median
 * time past plus one second), so a test steps the clock to reach time locks.
 *
 * <p>Threading: thread-safe; every operation holds the ledger's lock, so a submit and a block
 * never interleave. Listeners are called on the ledger's event thread ({@link LedgerEvents}),
 * never under the lock nor on the caller's thread.
 */
public final class Ledger implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);
  private static final byte[] ZERO_HASH = new byte[32];

  private final ChainParams params;
  private final Clock clock;
  private final MempoolAcceptor acceptor;
  private final LedgerEvents events;
  private final List<LedgerListener> listeners = new CopyOnWriteArrayList<>();

  private final List<SimBlock> blocks = new ArrayList<>();
  private final Map<String, Integer> heightByHash = new HashMap<>();
  private final Map<OutPoint, Coin> utxos = new HashMap<>();
  private final Map<String, TxEntry> confirmed = new HashMap<>();
  private final LinkedHashMap<String, TxEntry> mempool = new LinkedHashMap<>();
  private final Map<OutPoint, String> mempoolSpends = new HashMap<>();
  private final Map<OutPoint, OutPoint> spentBy = new HashMap<>();
  private final ScriptIndex scripts = new ScriptIndex();
  private long mempoolBytes;

  /**
   * Creates a ledger with a genesis block whose coinbase pays {@code genesisScript}.
   *
   * @param params chain rules and limits
   * @param clock source of block times and first-seen times
   * @param genesisScript script the genesis coinbase pays (its output is mature after {@code
   *     coinbaseMaturity} blocks like any other)
   */
  public Ledger(ChainParams params, Clock clock, Script genesisScript) {
    this(params, clock, Secp256k1.defaultProvider());
    mineLocked(genesisScript);
  }

  private Ledger(ChainParams params, Clock clock, Secp256k1Provider provider) {
    this.params = Objects.requireNonNull(params, "params");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.acceptor = new MempoolAcceptor(params, provider);
    this.events = new LedgerEvents(listeners);
  }

  /**
   * Rebuilds a ledger by re-validating saved blocks and then re-submitting saved mempool
   * transactions (those no longer valid are dropped with a warning).
   *
   * @throws IllegalArgumentException if a saved block does not connect or a transaction in it is
   *     invalid
   */
  public static Ledger restore(
      ChainParams params, Clock clock, List<SimBlock> savedBlocks, List<Transaction> savedMempool) {
    if (savedBlocks.isEmpty()) {
      throw new IllegalArgumentException("saved chain has no genesis block");
    }
    Ledger l = new Ledger(params, clock, Secp256k1.defaultProvider());
    synchronized (l) {
      for (SimBlock b : savedBlocks) {
        l.connectSaved(b);
      }
    }
    for (Transaction tx : savedMempool) {
      try {
        l.submit(tx);
      } catch (TxRejectedException e) {
        LOG.warn("saved mempool transaction {} dropped: {}", tx.txid(), e.getMessage());
      }
    }
    return l;
  }

  /** The chain rules. */
  public ChainParams params() {
    return params;
  }

  /** Adds a listener of ledger events. */
  public void addListener(LedgerListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener. */
  public void removeListener(LedgerListener listener) {
    listeners.remove(listener);
  }

  /**
   * Validates a transaction as lotusd's mempool would and adds it.
   *
   * @return the entry added
   * @throws TxRejectedException with lotusd's reject reason
   */
  public TxEntry submit(Transaction tx) throws TxRejectedException {
    TxEntry entry;
    synchronized (this) {
      MempoolAcceptor.Accepted a = acceptor.check(tx, view);
      entry =
          new TxEntry(tx, a.spentOutputs(), clock.instant().getEpochSecond(), Coin.MEMPOOL_HEIGHT, false);
      mempool.put(tx.txid(), entry);
      mempoolBytes += tx.size();
      for (TxInput in : tx.inputs()) {
        mempoolSpends.put(in.prevout(), tx.txid());
      }
    }
    events.txAdded(entry);
    return entry;
  }

  /**
   * Mines one block on the tip with every mempool transaction.
   *
   * @param coinbaseScript the script the coinbase pays (subsidy plus fees)
   * @return the new block
   */
  public SimBlock mine(Script coinbaseScript) {
    SimBlock b;
    List<TxEntry> minedEntries;
    synchronized (this) {
      b = mineLocked(coinbaseScript);
      minedEntries = new ArrayList<>();
      for (Transaction tx : b.txs()) {
        minedEntries.add(confirmed.get(tx.txid()));
      }
    }
    events.blockConnected(b, minedEntries);
    return b;
  }

  private SimBlock mineLocked(Script coinbaseScript) {
    int height = blocks.size();
    long fees = 0;
    List<Transaction> txs = new ArrayList<>();
    txs.add(null);
    for (TxEntry e : mempool.values()) {
      txs.add(e.tx());
      fees += e.spentOutputs().stream().mapToLong(TxOutput::value).sum() - e.tx().outputValue();
    }
    txs.set(0, Coinbase.create(height, coinbaseScript, params.subsidy() + fees));
    long time = clock.instant().getEpochSecond();
    if (height > 0) {
      time = Math.max(time, medianTimePast(height - 1) + 1);
    }
    byte[] prev = height == 0 ? ZERO_HASH : blocks.get(height - 1).hash();
    SimBlock block = new SimBlock(height, prev, time, txs);
    connect(block);
    return block;
  }

  private void connectSaved(SimBlock b) {
    int height = blocks.size();
    byte[] prev = height == 0 ? ZERO_HASH : blocks.get(height - 1).hash();
    if (b.height() != height || !java.util.Arrays.equals(b.prevHash(), prev)) {
      throw new IllegalArgumentException(
          "saved block " + b.height() + " does not connect at height " + height);
    }
    if (b.txs().isEmpty() || !Standardness.isCoinbase(b.txs().get(0))) {
      throw new IllegalArgumentException("saved block " + height + " has no coinbase");
    }
    mempool.clear();
    mempoolSpends.clear();
    mempoolBytes = 0;
    for (Transaction tx : b.txs().subList(1, b.txs().size())) {
      try {
        MempoolAcceptor.Accepted a = acceptor.check(tx, view);
        TxEntry e = new TxEntry(tx, a.spentOutputs(), b.timestamp(), Coin.MEMPOOL_HEIGHT, false);
        mempool.put(tx.txid(), e);
        mempoolBytes += tx.size();
        for (TxInput in : tx.inputs()) {
          mempoolSpends.put(in.prevout(), tx.txid());
        }
      } catch (TxRejectedException e) {
        throw new IllegalArgumentException(
            "saved block " + height + ": transaction " + tx.txid() + " is invalid: " + e.getMessage());
      }
    }
    connect(b);
  }

  /** Applies a block whose non-coinbase transactions are exactly the mempool's, in order. */
  private void connect(SimBlock block) {
    int height = block.height();
    long time = block.timestamp();
    for (int i = 0; i < block.txs().size(); i++) {
      Transaction tx = block.txs().get(i);
      String txid = tx.txid();
      TxEntry entry =
          i == 0 ? new TxEntry(tx, List.of(), time, height, true) : mempool.remove(txid).mined(height);
      if (i > 0) {
        mempoolBytes -= tx.size();
        for (int k = 0; k < tx.inputs().size(); k++) {
          OutPoint prev = tx.inputs().get(k).prevout();
          mempoolSpends.remove(prev);
          utxos.remove(prev);
          spentBy.put(prev, new OutPoint(tx.txidBytes(), k));
        }
      }
      for (int k = 0; k < tx.outputs().size(); k++) {
        TxOutput out = tx.outputs().get(k);
        if (!Standardness.isUnspendable(out.script())) {
          utxos.put(new OutPoint(tx.txidBytes(), k), new Coin(out, height, i == 0));
        }
      }
      confirmed.put(txid, entry);
      scripts.add(entry);
    }
    blocks.add(block);
    heightByHash.put(block.hashHex(), height);
  }

  // --- queries ------------------------------------------------------------------------------

  /** Height of the tip. */
  public synchronized int tipHeight() {
    return blocks.size() - 1;
  }

  /** The tip block. */
  public synchronized SimBlock tip() {
    return blocks.get(blocks.size() - 1);
  }

  /** The block at a height, if any. */
  public synchronized Optional<SimBlock> block(int height) {
    return height >= 0 && height < blocks.size()
        ? Optional.of(blocks.get(height))
        : Optional.empty();
  }

  /** The block with this displayed hash, if any. */
  public synchronized Optional<SimBlock> block(String hashHex) {
    Integer h = heightByHash.get(hashHex);
    return h == null ? Optional.empty() : Optional.of(blocks.get(h));
  }

  /** Every block, genesis first (a copy). */
  public synchronized List<SimBlock> blocks() {
    return List.copyOf(blocks);
  }

  /** The mempool, in acceptance order (a copy). */
  public synchronized List<TxEntry> mempool() {
    return List.copyOf(mempool.values());
  }

  /** A transaction in the mempool or the chain. */
  public synchronized Optional<TxEntry> tx(String txid) {
    TxEntry e = mempool.get(txid);
    return Optional.ofNullable(e != null ? e : confirmed.get(txid));
  }

  /** The input spending an outpoint (txid and input index), in a block or the mempool. */
  public synchronized Optional<OutPoint> spender(OutPoint outpoint) {
    OutPoint s = spentBy.get(outpoint);
    if (s != null) {
      return Optional.of(s);
    }
    String m = mempoolSpends.get(outpoint);
    if (m == null) {
      return Optional.empty();
    }
    Transaction tx = mempool.get(m).tx();
    for (int i = 0; i < tx.inputs().size(); i++) {
      if (tx.inputs().get(i).prevout().equals(outpoint)) {
        return Optional.of(new OutPoint(tx.txidBytes(), i));
      }
    }
    return Optional.empty();
  }

  /** A confirmed unspent coin, ignoring mempool spends. */
  public synchronized Optional<Coin> confirmedCoin(OutPoint outpoint) {
    return Optional.ofNullable(utxos.get(outpoint));
  }

  /** A coin spendable by the next transaction: confirmed or from the mempool, not spent there. */
  public synchronized Optional<Coin> spendableCoin(OutPoint outpoint) {
    return Optional.ofNullable(view.coin(outpoint));
  }

  /**
   * Unspent outputs paying a script, as an indexer reports them: confirmed ones not spent by the
   * mempool, then mempool ones not spent by the mempool.
   */
  public synchronized List<Map.Entry<OutPoint, Coin>> unspentFor(Script script) {
    List<Map.Entry<OutPoint, Coin>> out = new ArrayList<>();
    for (String txid : scripts.confirmedTxids(script)) {
      Transaction tx = confirmed.get(txid).tx();
      addUnspent(out, tx, script, false);
    }
    for (TxEntry e : mempool.values()) {
      addUnspent(out, e.tx(), script, true);
    }
    return out;
  }

  private void addUnspent(
      List<Map.Entry<OutPoint, Coin>> out, Transaction tx, Script script, boolean mempoolTx) {
    for (int k = 0; k < tx.outputs().size(); k++) {
      if (!tx.outputs().get(k).script().equals(script)) {
        continue;
      }
      OutPoint op = new OutPoint(tx.txidBytes(), k);
      Coin c = mempoolTx ? new Coin(tx.outputs().get(k), Coin.MEMPOOL_HEIGHT, false) : utxos.get(op);
      if (c != null && !mempoolSpends.containsKey(op)) {
        out.add(Map.entry(op, c));
      }
    }
  }

  /**
   * Transactions touching a script (paying it or spending from it), newest first: the mempool
   * (latest accepted first), then blocks from the tip down.
   */
  public synchronized List<TxEntry> history(Script script) {
    List<TxEntry> out = new ArrayList<>();
    List<TxEntry> pool = new ArrayList<>(mempool.values());
    for (int i = pool.size() - 1; i >= 0; i--) {
      if (ScriptIndex.touches(pool.get(i), script)) {
        out.add(pool.get(i));
      }
    }
    List<String> ids = scripts.confirmedTxids(script);
    for (int i = ids.size() - 1; i >= 0; i--) {
      out.add(confirmed.get(ids.get(i)));
    }
    return out;
  }

  /** Median of the timestamps of the 11 blocks ending at {@code height} (BIP113). */
  public synchronized long medianTimePast(int height) {
    int from = Math.max(0, height - 10);
    long[] times = new long[height - from + 1];
    for (int h = from; h <= height; h++) {
      times[h - from] = blocks.get(h).timestamp();
    }
    java.util.Arrays.sort(times);
    return times[times.length / 2];
  }

  /** Stops the event thread after delivering the events already queued. */
  @Override
  public void close() {
    events.close();
  }

  private final MempoolAcceptor.CoinView view =
      new MempoolAcceptor.CoinView() {
        @Override
        public Coin coin(OutPoint outpoint) {
          if (mempoolSpends.containsKey(outpoint)) {
            return null;
          }
          Coin c = utxos.get(outpoint);
          if (c != null) {
            return c;
          }
          TxEntry parent = mempool.get(outpoint.txidHex());
          if (parent != null && outpoint.index() < parent.tx().outputs().size()) {
            TxOutput out = parent.tx().outputs().get((int) outpoint.index());
            return Standardness.isUnspendable(out.script())
                ? null
                : new Coin(out, Coin.MEMPOOL_HEIGHT, false);
          }
          return null;
        }

        @Override
        public String mempoolSpender(OutPoint outpoint) {
          return mempoolSpends.get(outpoint);
        }

        @Override
        public boolean inMempool(String txid) {
          return mempool.containsKey(txid);
        }

        @Override
        public boolean confirmedUnspentOutputs(String txid) {
          TxEntry e = confirmed.get(txid);
          if (e == null) {
            return false;
          }
          for (int k = 0; k < e.tx().outputs().size(); k++) {
            if (utxos.containsKey(new OutPoint(e.tx().txidBytes(), k))) {
              return true;
            }
          }
          return false;
        }

        @Override
        public int tipHeight() {
          return blocks.size() - 1;
        }

        @Override
        public long medianTimePast(int height) {
          return Ledger.this.medianTimePast(height);
        }

        @Override
        public int mempoolAncestors(List<OutPoint> spends) {
          java.util.Set<String> seen = new java.util.HashSet<>();
          java.util.ArrayDeque<OutPoint> todo = new java.util.ArrayDeque<>(spends);
          while (!todo.isEmpty() && seen.size() <= params.maxAncestors()) {
            String parent = todo.pop().txidHex();
            TxEntry e = mempool.get(parent);
            if (e != null && seen.add(parent)) {
              for (TxInput in : e.tx().inputs()) {
                todo.add(in.prevout());
              }
            }
          }
          return seen.size();
        }

        @Override
        public int mempoolCount() {
          return mempool.size();
        }

        @Override
        public long mempoolBytes() {
          return mempoolBytes;
        }
      };
}
