package org.lotusia.chain.monitor;

/**
 * Confirmation state of one transaction, computed from a transaction and a chain tip answered by
 * the same Chronik server.
 *
 * @param txid txid, big-endian (display) hex
 * @param status whether the transaction is unknown, in the mempool or mined
 * @param blockHeight height of the containing block, or -1 unless mined
 * @param confirmations {@code tip - blockHeight + 1} clamped to 0 or more; 0 unless mined
 * @param confirmed whether {@code confirmations >= required} for the requested count
 */
public record TxConfirmation(
    String txid, Status status, int blockHeight, int confirmations, boolean confirmed) {

  /** Where the transaction is. */
  public enum Status {
    /** Chronik does not know the transaction (yet). */
    NOT_FOUND,
    /** The transaction is in the mempool. */
    MEMPOOL,
    /** The transaction is in a block. */
    MINED
  }

  static TxConfirmation notFound(String txid) {
    return new TxConfirmation(txid, Status.NOT_FOUND, -1, 0, false);
  }
}
