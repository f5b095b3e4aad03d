package org.lotusia.chainsim.ledger;

import java.util.List;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;

/**
 * A transaction the ledger knows, with what an indexer reports about it.
 *
 * @param tx the transaction
 * @param spentOutputs the output each input spent, in input order (empty for a coinbase)
 * @param timeFirstSeen UNIX seconds when the ledger first accepted it
 * @param blockHeight height of its block, or {@link Coin#MEMPOOL_HEIGHT} while in the mempool
 * @param coinbase whether it is a coinbase
 */
public record TxEntry(
    Transaction tx,
    List<TxOutput> spentOutputs,
    long timeFirstSeen,
    int blockHeight,
    boolean coinbase) {

  /** Copies the list. */
  public TxEntry {
    spentOutputs = List.copyOf(spentOutputs);
  }

  /** The txid as displayed. */
  public String txid() {
    return tx.txid();
  }

  /** True while in the mempool. */
  public boolean inMempool() {
    return blockHeight == Coin.MEMPOOL_HEIGHT;
  }

  /** The same entry mined at a height. */
  TxEntry mined(int height) {
    return new TxEntry(tx, spentOutputs, timeFirstSeen, height, coinbase);
  }
}
