package org.lotusia.chainsim.ledger;

import java.util.List;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxInput;
import org.lotusia.chainsim.script.TxChecker;

/**
 * Absolute and relative lock times as lotusd evaluates them for the next block
 * ({@code src/consensus/tx_verify.cpp}: {@code IsFinalTx}, {@code CalculateSequenceLocks}, {@code
 * EvaluateSequenceLocks}). lotusd enforces BIP68 for every transaction of version 2 or more, with
 * no activation flag, and compares time locks with the median time past (BIP113). Stateless.
 */
final class SequenceLocks {

  /** Median time past of a block, by height. */
  interface Mtp {
    long at(int height);
  }

  private SequenceLocks() {}

  /** lotusd {@code IsFinalTx} at {@code height} and {@code time} (the tip's median time past). */
  static boolean isFinal(Transaction tx, int height, long time) {
    long lockTime = tx.lockTime();
    if (lockTime == 0) {
      return true;
    }
    long limit = lockTime < TxChecker.LOCKTIME_THRESHOLD ? height : time;
    if (lockTime < limit) {
      return true;
    }
    for (TxInput in : tx.inputs()) {
      if (in.sequence() != TxChecker.SEQUENCE_FINAL) {
        return false;
      }
    }
    return true;
  }

  /**
   * True if the BIP68 relative locks of {@code tx} allow it in the block at {@code tipHeight + 1}.
   *
   * @param coinHeights height of the coin each input spends; a mempool coin counts as {@code
   *     tipHeight + 1}
   */
  static boolean allowsNextBlock(Transaction tx, List<Integer> coinHeights, int tipHeight, Mtp mtp) {
    long minHeight = -1;
    long minTime = -1;
    if (Integer.toUnsignedLong(tx.version()) >= 2) {
      for (int i = 0; i < tx.inputs().size(); i++) {
        long seq = tx.inputs().get(i).sequence();
        if ((seq & TxChecker.SEQUENCE_LOCKTIME_DISABLE_FLAG) != 0) {
          continue;
        }
        int coinHeight = coinHeights.get(i);
        long value = seq & TxChecker.SEQUENCE_LOCKTIME_MASK;
        if ((seq & TxChecker.SEQUENCE_LOCKTIME_TYPE_FLAG) != 0) {
          // measured from the median time past of the block before the coin's block
          long coinTime = mtp.at(Math.max(coinHeight - 1, 0));
          minTime = Math.max(minTime, coinTime + (value << 9) - 1);
        } else {
          minHeight = Math.max(minHeight, coinHeight + value - 1);
        }
      }
    }
    return minHeight < tipHeight + 1 && minTime < mtp.at(tipHeight);
  }
}
