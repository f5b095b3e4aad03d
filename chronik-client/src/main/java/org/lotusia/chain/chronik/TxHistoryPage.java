package org.lotusia.chain.chronik;

import java.util.List;

/**
 * One page of a script's transaction history, newest first.
 *
 * @param txs the transactions of this page
 * @param numPages total number of pages at this page size
 */
public record TxHistoryPage(List<Tx> txs, int numPages) {

  /** Copies the list so the record is immutable. */
  public TxHistoryPage {
    txs = List.copyOf(txs);
  }
}
