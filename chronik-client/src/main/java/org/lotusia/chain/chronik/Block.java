package org.lotusia.chain.chronik;

import java.util.List;

/**
 * A block with its transactions.
 *
 * @param blockInfo summary of the block
 * @param blockDetails header details, or {@code null} if the server sent none
 * @param rawHeader the serialised header as lowercase hex
 * @param txs the block's transactions
 */
public record Block(
    BlockInfo blockInfo, BlockDetails blockDetails, String rawHeader, List<Tx> txs) {

  /** Copies the list so the record is immutable. */
  public Block {
    txs = List.copyOf(txs);
  }
}
