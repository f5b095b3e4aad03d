package org.lotusia.chain.chronik;

/**
 * A transaction and the chain tip, both answered by the same Chronik server so the confirmation
 * count derived from them is consistent.
 *
 * @param tx the transaction
 * @param tip the server's chain tip, fetched after the transaction
 */
public record TxAndTip(Tx tx, BlockchainInfo tip) {

  /**
   * Returns {@code tip.height - block.height + 1} clamped to 0 or more, or 0 while the transaction
   * is unconfirmed.
   */
  public int confirmations() {
    if (tx.block() == null) {
      return 0;
    }
    return Math.max(0, tip.tipHeight() - tx.block().height() + 1);
  }
}
