package org.lotusia.swapsig;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.lotusia.chain.chronik.ChronikOutPoint;
import org.lotusia.chain.chronik.UtxoState;
import org.lotusia.chain.tx.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings back, after a restart, the funds of one setup transaction named in the {@link
 * RefundJournal}: the node no longer knows the pool, only the signed refund it recorded before the
 * setup transaction left it. Polls the chain every {@link SwapSigConfig#pollInterval()}:
 *
 * <ul>
 *   <li>the coin is unspent: the funds never moved; the entry is dropped once its guard time has
 *       passed (until then the other members, who hold the setup transaction, may still broadcast
 *       it);
 *   <li>the coin is spent by another transaction: the funds never reached the pool; dropped;
 *   <li>the shared output is spent by a settlement: the pool paid it out; dropped;
 *   <li>the shared output is unspent and {@code lockBlocks} deep: the refund is broadcast, and the
 *       entry is dropped once the refund has its confirmations ({@link
 *       SwapSigEvent.RefundBroadcast}, {@link SwapSigEvent.RefundConfirmed}).
 * </ul>
 *
 * A Chronik failure is retried at the next poll. Confined to the service thread.
 */
final class RefundRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(RefundRecovery.class);

  private final Services svc;
  private final RefundJournal journal;
  private final RefundJournal.Entry entry;
  private final Transaction refund;
  private final Runnable onFinished;
  private ScheduledFuture<?> poll;
  private boolean broadcastReported;
  private boolean refusalLogged;
  private boolean done;

  /**
   * @throws IllegalArgumentException if the entry's refund does not parse or does not spend its
   *     setup transaction's output 0
   */
  RefundRecovery(Services svc, RefundJournal journal, RefundJournal.Entry entry, Runnable onFinished) {
    this.svc = svc;
    this.journal = journal;
    this.entry = entry;
    this.onFinished = onFinished;
    this.refund = Transaction.fromHex(entry.refundTx());
    if (refund.inputs().size() != 1
        || !refund.inputs().get(0).prevout().txidHex().equals(entry.setupTxid())
        || refund.inputs().get(0).prevout().index() != 0) {
      throw new IllegalArgumentException(
          "the refund of pool " + entry.poolId() + " does not spend output 0 of " + entry.setupTxid());
    }
  }

  RefundJournal.Entry entry() {
    return entry;
  }

  void start() {
    step();
  }

  private void step() {
    if (done) {
      return;
    }
    svc.hop(
        svc.chain.utxoStates(List.of(new ChronikOutPoint(entry.inputTxid(), entry.inputIndex()))),
        (st, err) -> {
          if (err != null) {
            again();
          } else if (st.get(0).state() == UtxoState.Variant.UNSPENT) {
            if (svc.now() > entry.guardUntil()) {
              finish();
            } else {
              again();
            }
          } else {
            checkSetup();
          }
        });
  }

  private void checkSetup() {
    svc.hop(
        svc.chain.txAndTip(entry.setupTxid()),
        (tt, err) -> {
          if (err != null) {
            again();
          } else if (tt.isEmpty()) {
            // the coin went elsewhere: the funds never reached the pool
            finish();
          } else if (!tt.get().tx().outputs().isEmpty() && tt.get().tx().outputs().get(0).isSpent()) {
            String by = tt.get().tx().outputs().get(0).spentBy().txid();
            if (by.equals(refund.txid())) {
              awaitRefund();
            } else {
              finish();
            }
          } else if (tt.get().confirmations() < entry.lockBlocks()) {
            again();
          } else {
            broadcast();
          }
        });
  }

  private void broadcast() {
    svc.hop(
        svc.chain.broadcast(refund),
        (txid, err) -> {
          if (err == null && !broadcastReported) {
            broadcastReported = true;
            svc.events.emit(new SwapSigEvent.RefundBroadcast(entry.poolId(), txid, entry.refundTx()));
          } else if (err != null && !refusalLogged) {
            // retried at every poll; said once
            refusalLogged = true;
            LOG.warn("pool {}: the recorded refund {} was refused, retrying: {}",
                entry.poolId(), refund.txid(), err.toString());
          }
          again();
        });
  }

  private void awaitRefund() {
    svc.hop(
        svc.chain.txAndTip(refund.txid()),
        (tt, err) -> {
          if (err == null && tt.isPresent() && tt.get().confirmations() >= entry.confirmations()) {
            svc.events.emit(new SwapSigEvent.RefundConfirmed(entry.poolId(), refund.txid()));
            finish();
          } else {
            again();
          }
        });
  }

  private void finish() {
    if (!done) {
      done = true;
      journal.remove(entry);
      onFinished.run();
    }
  }

  private void again() {
    if (!done) {
      poll = svc.after(svc.config.pollInterval(), this::step);
    }
  }

  /** Stops watching; the entry stays in the journal for the next start. */
  void stop() {
    done = true;
    if (poll != null) {
      poll.cancel(false);
    }
  }
}
