package org.lotusia.chainsim.ledger;

/**
 * Receives ledger events, in the order they happened, on the ledger's event thread (never on the
 * thread that caused them). A listener must not block for long: events queue behind it (the
 * queue is bounded; when it is full the thread that changes the ledger waits). A throwing
 * listener is logged and does not stop delivery.
 */
public interface LedgerListener {

  /** A transaction entered the mempool. */
  default void txAddedToMempool(TxEntry entry) {}

  /** A transaction was mined; {@code entry.blockHeight()} is its block. */
  default void txConfirmed(TxEntry entry) {}

  /** A block was connected to the tip (after its {@link #txConfirmed} events). */
  default void blockConnected(SimBlock block) {}
}
