package org.lotusia.chainsim.ledger;

import java.util.ArrayList;
import java.util.List;
import org.lotusia.chain.crypto.Secp256k1Provider;
import org.lotusia.chain.sighash.SigHashOptions;
import org.lotusia.chain.tx.Amount;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxInput;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.chainsim.script.ScriptException;
import org.lotusia.chainsim.script.ScriptFlags;
import org.lotusia.chainsim.script.ScriptVerifier;

/**
 * The checks a transaction passes to enter the mempool, in lotusd's order ({@code
 * MemPoolAccept::PreChecks} in {@code src/validation.cpp}), each failing with lotusd's reject
 * reason: regular-transaction consensus checks, standardness, Taproot activation, finality and
 * minimum size for the next block, duplicates and mempool conflicts, missing or spent inputs,
 * BIP68 sequence locks, coinbase maturity and value balance, standard inputs, the minimum relay
 * fee, mempool chain length and size, and finally every input script (policy flags first; a
 * failure that the mandatory flags alone also produce is {@code mandatory-script-verify-flag-failed
 * (...)}, otherwise {@code non-mandatory-script-verify-flag (...)}).
 *
 * <p>Stateless; reads the ledger through {@link CoinView} under the ledger's lock.
 */
final class MempoolAcceptor {

  /** What the acceptor needs to know about the chain and the mempool. */
  interface CoinView {
    /** An unspent coin, confirmed or created by the mempool, not spent by the mempool. */
    Coin coin(OutPoint outpoint);

    /** The mempool transaction spending an outpoint, or null. */
    String mempoolSpender(OutPoint outpoint);

    boolean inMempool(String txid);

    /** True if any output of a confirmed transaction with this txid is still unspent. */
    boolean confirmedUnspentOutputs(String txid);

    int tipHeight();

    long medianTimePast(int height);

    /** Number of in-mempool ancestors of a transaction spending these outpoints. */
    int mempoolAncestors(List<OutPoint> spends);

    int mempoolCount();

    long mempoolBytes();
  }

  /** An accepted transaction's spent outputs and fee. */
  record Accepted(List<TxOutput> spentOutputs, long fee) {}

  private final ChainParams params;
  private final Secp256k1Provider provider;

  MempoolAcceptor(ChainParams params, Secp256k1Provider provider) {
    this.params = params;
    this.provider = provider;
  }

  Accepted check(Transaction tx, CoinView view) throws TxRejectedException {
    Standardness.checkRegular(tx);
    Standardness.checkStandard(tx, params);
    if (!params.taprootActive()) {
      for (TxOutput out : tx.outputs()) {
        if (out.script().isP2tr()) {
          throw new TxRejectedException("taproot-not-active-yet");
        }
      }
    }
    int tip = view.tipHeight();
    if (!SequenceLocks.isFinal(tx, tip + 1, view.medianTimePast(tip))) {
      throw new TxRejectedException("bad-txns-nonfinal", "non-final transaction");
    }
    if (tx.size() < Standardness.MIN_TX_SIZE) {
      throw new TxRejectedException("bad-txns-undersize");
    }
    String txid = tx.txid();
    if (view.inMempool(txid)) {
      throw new TxRejectedException("txn-already-in-mempool");
    }
    List<OutPoint> spends = new ArrayList<>();
    for (TxInput in : tx.inputs()) {
      if (view.mempoolSpender(in.prevout()) != null) {
        throw new TxRejectedException("txn-mempool-conflict");
      }
      spends.add(in.prevout());
    }
    List<TxOutput> spent = new ArrayList<>();
    List<Integer> heights = new ArrayList<>();
    List<Coin> coins = new ArrayList<>();
    for (TxInput in : tx.inputs()) {
      Coin c = view.coin(in.prevout());
      if (c == null) {
        if (view.confirmedUnspentOutputs(txid)) {
          throw new TxRejectedException("txn-already-known");
        }
        throw new TxRejectedException("bad-txns-inputs-missingorspent");
      }
      coins.add(c);
      spent.add(c.output());
      heights.add(c.height() == Coin.MEMPOOL_HEIGHT ? tip + 1 : c.height());
    }
    if (!SequenceLocks.allowsNextBlock(tx, heights, tip, view::medianTimePast)) {
      throw new TxRejectedException("non-BIP68-final");
    }
    long in = checkInputs(tx, coins, tip + 1);
    long fee = in - tx.outputValue();
    for (TxOutput out : spent) {
      if (Standardness.solve(out.script()) == Standardness.OutputType.NONSTANDARD) {
        throw new TxRejectedException("bad-txns-nonstandard-inputs");
      }
    }
    long minFee = Standardness.fee(params.minRelayFeePerKb(), tx.size());
    if (fee < minFee) {
      throw new TxRejectedException("min relay fee not met", fee + " < " + minFee);
    }
    if (view.mempoolAncestors(spends) + 1 > params.maxAncestors()) {
      throw new TxRejectedException(
          "too-long-mempool-chain",
          "too many unconfirmed ancestors [limit: " + params.maxAncestors() + "]");
    }
    if (view.mempoolCount() >= params.maxMempoolTxs()
        || view.mempoolBytes() + tx.size() > params.maxMempoolBytes()) {
      throw new TxRejectedException("mempool full");
    }
    verifyScripts(tx, spent);
    return new Accepted(spent, fee);
  }

  /** lotusd {@code Consensus::CheckTxInputs}; returns the input total. */
  private long checkInputs(Transaction tx, List<Coin> coins, int spendHeight)
      throws TxRejectedException {
    long in = 0;
    for (Coin c : coins) {
      if (c.coinbase() && spendHeight - c.height() < params.coinbaseMaturity()) {
        throw new TxRejectedException(
            "bad-txns-premature-spend-of-coinbase",
            "tried to spend coinbase at depth " + (spendHeight - c.height()));
      }
      in += c.output().value();
      if (c.output().value() < 0 || c.output().value() > Amount.MAX_MONEY || in > Amount.MAX_MONEY) {
        throw new TxRejectedException("bad-txns-inputvalues-outofrange");
      }
    }
    long out = tx.outputValue();
    if (in < out) {
      throw new TxRejectedException(
          "bad-txns-in-belowout",
          "value in (" + money(in) + ") < value out (" + money(out) + ")");
    }
    return in;
  }

  private void verifyScripts(Transaction tx, List<TxOutput> spent) throws TxRejectedException {
    int consensus = ScriptFlags.MANDATORY;
    if (!params.taprootActive()) {
      consensus |= ScriptFlags.DISABLE_TAPROOT_SIGHASH_LOTUS;
    }
    if (params.replayProtection()) {
      consensus |= ScriptFlags.ENABLE_REPLAY_PROTECTION;
    }
    int standard = consensus | ScriptFlags.STANDARD_NOT_MANDATORY;
    SigHashOptions options =
        params.replayProtection() ? SigHashOptions.REPLAY_PROTECTED : SigHashOptions.DEFAULT;
    for (int i = 0; i < tx.inputs().size(); i++) {
      try {
        ScriptVerifier.verifyInput(provider, tx, i, spent, standard, options);
      } catch (ScriptException policyFailure) {
        try {
          ScriptVerifier.verifyInput(provider, tx, i, spent, consensus, options);
        } catch (ScriptException consensusFailure) {
          throw new TxRejectedException(
              "mandatory-script-verify-flag-failed (" + consensusFailure.error().message() + ")",
              "input " + i + ": " + consensusFailure.getMessage());
        }
        throw new TxRejectedException(
            "non-mandatory-script-verify-flag (" + policyFailure.error().message() + ")",
            "input " + i + ": " + policyFailure.getMessage());
      }
    }
  }

  /** lotusd {@code FormatMoney}: XPI with six decimals. */
  static String money(long sats) {
    return Amount.ofSats(sats).toXpi().toPlainString();
  }
}
