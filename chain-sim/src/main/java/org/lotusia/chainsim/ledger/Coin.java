package org.lotusia.chainsim.ledger;

import org.lotusia.chain.tx.TxOutput;

/**
 * An unspent output with where it came from.
 *
 * @param output value and script
 * @param height height of the block that created it, or {@link #MEMPOOL_HEIGHT}
 * @param coinbase whether a coinbase created it (maturity applies)
 */
public record Coin(TxOutput output, int height, boolean coinbase) {

  /** Height of a coin created by a mempool transaction. */
  public static final int MEMPOOL_HEIGHT = -1;
}
