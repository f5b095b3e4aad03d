package org.lotusia.swapsig.plan;

import java.util.List;
import java.util.Optional;
import org.lotusia.chain.burn.SwapSigBurn;
import org.lotusia.chain.tx.Amount;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;

/**
 * Checks a participant's setup transaction against the plan before anyone broadcasts it: it must
 * spend exactly the registered input, pay exactly the denomination to the participant's shared
 * output first, burn at least the pool's burn in lotus-sdk's format second, and at most return
 * change third, with a fee at the pool's rate. A transaction that passes is what the participant
 * promised, and its txid (which leaves out input scripts) cannot change afterwards. I/O-free.
 */
public final class SetupCheck {

  private SetupCheck() {}

  /**
   * @param plan the pool's plan
   * @param index the participant whose setup transaction it claims to be
   * @param tx the signed transaction
   * @param inputValue the registered input's value (checked on chain at registration)
   * @return what is wrong, or empty when it is acceptable
   */
  public static Optional<String> problem(PoolPlan plan, int index, Transaction tx, long inputValue) {
    Member m = plan.members().get(index);
    if (tx.inputs().size() != 1 || !tx.inputs().get(0).prevout().equals(m.input())) {
      return Optional.of("does not spend exactly the registered input " + m.input());
    }
    if (tx.lockTime() != 0) {
      return Optional.of("has lock time " + tx.lockTime() + ", expected 0");
    }
    if (tx.inputs().get(0).scriptSig().size() == 0) {
      return Optional.of("is not signed");
    }
    List<TxOutput> outs = tx.outputs();
    if (outs.size() < 2 || outs.size() > 3) {
      return Optional.of("has " + outs.size() + " outputs, expected 2 or 3");
    }
    if (!outs.get(0).equals(plan.outputs().get(index).txOutput())) {
      return Optional.of("output 0 is not " + plan.params().denomination() + " sats to shared output " + index);
    }
    Optional<String> burn = burnProblem(plan, outs.get(1));
    if (burn.isPresent()) {
      return burn;
    }
    if (outs.size() == 3) {
      TxOutput change = outs.get(2);
      if (change.script().isDataOut() || change.value() < Amount.DUST) {
        return Optional.of("output 2 is not a change output of at least " + Amount.DUST + " sats");
      }
    }
    long fee = inputValue - tx.outputValue();
    long minFee = (long) tx.size() * plan.params().feeRate();
    if (fee < minFee) {
      return Optional.of("pays a fee of " + fee + " sats, the pool's rate needs " + minFee);
    }
    return Optional.empty();
  }

  /**
   * @param plan the plan
   * @param out an output that should be the pool's burn
   * @return what is wrong with it as the pool's burn, or empty
   */
  public static Optional<String> burnProblem(PoolPlan plan, TxOutput out) {
    Optional<SwapSigBurn> b = SwapSigBurn.parse(out.script().bytes());
    if (b.isEmpty()) {
      return Optional.of("output 1 is not a SWAPSIG_BURN output");
    }
    if (!plan.poolId().equals(b.get().poolIdHex()) || b.get().version() != SwapSigBurn.VERSION) {
      return Optional.of("output 1 burns for another pool or format version");
    }
    if (out.value() < plan.params().burnAmount()) {
      return Optional.of(
          "output 1 burns " + out.value() + " sats, the pool requires " + plan.params().burnAmount());
    }
    return Optional.empty();
  }
}
