package org.lotusia.swapsig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import org.lotusia.chain.chronik.ChronikOutPoint;
import org.lotusia.chain.chronik.UtxoState;
import org.lotusia.chain.tx.Transaction;

/**
 * Brings an aborted participant's funds back. It finds which setup transaction it handed in (one
 * per roster round) reached the chain; if none did and its input is unspent, the funds never moved.
 * Otherwise it waits until the shared output is {@code refundLockBlocks} deep and spends the refund
 * leaf to the participant's refund script, by itself; if the ring was fully signed and the
 * participant holds its own output's settlement, it broadcasts that instead (its payout then comes
 * from the next output). Polls the chain every {@link SwapSigConfig#pollInterval()}; a setup
 * transaction that appears later, within {@link SwapSigConfig#refundGuard()}, is refunded too.
 * Confined to the service thread.
 */
final class RefundStage {

  /** Where the stage reports. */
  interface Host {
    /** The funds never left the input. */
    void notFunded();

    /** The refund confirmed. */
    void refunded(String txid, long amount);

    /** The shared output was settled instead (the ring was signed). */
    void settled(String txid);

    /** Nothing is left to watch: the stage ended, whatever it reported before. */
    void refundFinished();
  }

  private final Services svc;
  private final Map<Integer, RoundContext> rounds;
  private final Map<Integer, Transaction> released;
  private final Supplier<Transaction> ownSettlement;
  private final Host host;
  private final long guardUntil;
  private ScheduledFuture<?> poll;
  private boolean reportedNotFunded;
  private boolean done;
  private String refundTxid;

  RefundStage(
      Services svc,
      Map<Integer, RoundContext> rounds,
      Map<Integer, Transaction> released,
      Supplier<Transaction> ownSettlement,
      Host host) {
    this.svc = svc;
    this.rounds = new LinkedHashMap<>(rounds);
    this.released = new LinkedHashMap<>(released);
    this.ownSettlement = ownSettlement;
    this.host = host;
    this.guardUntil = svc.now() + svc.config.refundGuard().toMillis();
  }

  void start() {
    step();
  }

  /** Whether the stage still has work (a refund to make or a guard to keep). */
  boolean active() {
    return !done;
  }

  private void step() {
    if (done) {
      return;
    }
    if (released.isEmpty()) {
      finishNotFunded();
      return;
    }
    Map.Entry<Integer, Transaction> any = released.entrySet().iterator().next();
    ChronikOutPoint input =
        new ChronikOutPoint(any.getValue().inputs().get(0).prevout().txidHex(),
            (int) any.getValue().inputs().get(0).prevout().index());
    svc.hop(
        svc.chain.utxoStates(List.of(input)),
        (st, err) -> {
          if (err != null) {
            again();
            return;
          }
          if (st.get(0).state() == UtxoState.Variant.UNSPENT) {
            if (!reportedNotFunded) {
              reportedNotFunded = true;
              host.notFunded();
            }
            if (svc.now() > guardUntil) {
              finish();
              return;
            }
            again();
            return;
          }
          findFunded(released.keySet().stream().toList(), 0);
        });
  }

  private void findFunded(List<Integer> order, int k) {
    if (k >= order.size()) {
      // spent by something that is not ours: the funds were never in a pool output
      finishNotFunded();
      return;
    }
    int round = order.get(k);
    String txid = released.get(round).txid();
    svc.hop(
        svc.chain.txAndTip(txid),
        (tt, err) -> {
          if (err != null) {
            again();
          } else if (tt.isEmpty()) {
            findFunded(order, k + 1);
          } else {
            refundFrom(rounds.get(round), txid, tt.get().confirmations(), tt.get().tx());
          }
        });
  }

  private void refundFrom(RoundContext ctx, String setupTxid, int confirmations, org.lotusia.chain.chronik.Tx setup) {
    if (!setup.outputs().isEmpty() && setup.outputs().get(0).isSpent()) {
      String by = setup.outputs().get(0).spentBy().txid();
      if (by.equals(refundTxid)) {
        svc.hop(
            svc.chain.confirmed(by, ctx.params().requiredConfirmations(), ctx.params().setupConfirmTimeout()),
            (c, e) -> {
              if (e == null && !done) {
                svc.events.emit(new SwapSigEvent.RefundConfirmed(ctx.poolId(), by));
                host.refunded(by, ctx.params().refundAmount());
                finish();
              } else {
                again();
              }
            });
      } else {
        host.settled(by);
        finish();
      }
      return;
    }
    if (confirmations < ctx.params().refundLockBlocks()) {
      again();
      return;
    }
    Transaction own = ctx.round() == lastRound() ? ownSettlement.get() : null;
    Transaction tx =
        own != null
            ? own
            : ctx.plan().refund(ctx.me(), setupTxid, ctx.request().refundTo(), ctx.request().input().key());
    svc.hop(
        svc.chain.broadcast(tx),
        (txid, err) -> {
          if (err == null && own == null && refundTxid == null) {
            refundTxid = txid;
            svc.events.emit(new SwapSigEvent.RefundBroadcast(ctx.poolId(), txid, tx.toHex()));
          }
          again();
        });
  }

  private int lastRound() {
    return rounds.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  private void finishNotFunded() {
    if (!reportedNotFunded) {
      reportedNotFunded = true;
      host.notFunded();
    }
    finish();
  }

  private void finish() {
    if (!done) {
      done = true;
      host.refundFinished();
    }
  }

  private void again() {
    if (!done) {
      poll = svc.after(svc.config.pollInterval(), this::step);
    }
  }

  void stop() {
    done = true;
    if (poll != null) {
      poll.cancel(false);
    }
  }
}
