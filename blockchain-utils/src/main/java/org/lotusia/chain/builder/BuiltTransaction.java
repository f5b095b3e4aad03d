package org.lotusia.chain.builder;

import java.util.List;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;

/**
 * The result of {@link TransactionBuilder#build()}.
 *
 * @param transaction the transaction (signed where the builder had keys)
 * @param spentOutputs the output spent by each input, in input order (needed to verify or to add
 *     SIGHASH_LOTUS signatures later)
 * @param fee the fee in satoshis
 * @param changeIndex index of the change output, or -1 if there is none
 */
public record BuiltTransaction(
    Transaction transaction, List<TxOutput> spentOutputs, long fee, int changeIndex) {

  /** Copies the list. */
  public BuiltTransaction {
    spentOutputs = List.copyOf(spentOutputs);
  }
}
