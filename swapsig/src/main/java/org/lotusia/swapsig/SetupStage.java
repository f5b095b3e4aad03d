package org.lotusia.swapsig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.lotusia.chain.builder.BuiltTransaction;
import org.lotusia.chain.burn.BurnVerification;
import org.lotusia.chain.burn.SwapSigBurn;
import org.lotusia.chain.chronik.ChronikErrorException;
import org.lotusia.chain.chronik.Tx;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.swapsig.plan.SetupCheck;
import org.lotusia.swapsig.plan.SharedOutput;
import org.lotusia.swapsig.wire.SetupComplete;
import org.lotusia.swapsig.wire.SetupSubmission;

/**
 * A participant's setup round: builds and hands in its signed setup transaction, checks the set
 * the creator returns, broadcasts every transaction of it, then waits until each has its
 * confirmations and verifies through Chronik that each pays the right shared output and carries
 * the pool's burn. Confined to the service thread; reports to its {@link Host}.
 */
final class SetupStage {

  /** Where the stage reports. */
  interface Host {
    /** The setup transactions, by participant, are broadcast. */
    void setupBroadcast(List<String> txids);

    /** Every setup transaction is confirmed and checked. */
    void setupConfirmed(List<String> txids);

    /** The round cannot go on. */
    void fail(String reason);
  }

  private final Services svc;
  private final RoundContext ctx;
  private final Host host;
  private Transaction mine;
  private List<String> txids;
  private int confirmed;
  private boolean done;

  SetupStage(Services svc, RoundContext ctx, Host host) {
    this.svc = svc;
    this.ctx = ctx;
    this.host = host;
  }

  /**
   * Builds, signs and hands in this participant's setup transaction, after recording its signed
   * refund in the journal when there is one.
   *
   * @return the transaction handed in
   * @throws java.io.UncheckedIOException if the journal cannot record the refund (nothing is sent)
   */
  Transaction submit() {
    SwapRequest req = ctx.request();
    BuiltTransaction b =
        ctx.plan().buildSetup(ctx.me(), req.input().output(), req.input().key(), req.change());
    mine = b.transaction();
    if (svc.journal != null) {
      // the refund is signed and on disk before the setup transaction can reach the chain, so a
      // restart never leaves funds in a shared output this node cannot refund by itself
      PoolParameters p = ctx.params();
      Transaction refund = ctx.plan().refund(ctx.me(), mine.txid(), req.refundTo(), req.input().key());
      svc.journal.record(
          new RefundJournal.Entry(
              ctx.poolId(), ctx.round(), req.input().outpoint().txidHex(), (int) req.input().outpoint().index(),
              mine.txid(), refund.toHex(), p.refundAmount(), p.refundLockBlocks(),
              p.requiredConfirmations(),
              svc.now() + p.setupTimeout().multipliedBy(2).plus(p.setupConfirmTimeout()).toMillis()
                  + svc.config.refundGuard().toMillis()));
    }
    SetupSubmission s =
        new SetupSubmission(
            ctx.poolId(), ctx.round(), ctx.me(), ctx.myKeyHex(), mine.txid(), mine.toHex(), svc.now(), null);
    svc.outbox.send(ctx.announcement().creatorPeerId(), s, ctx.signerKey());
    return mine;
  }

  /** The creator's set of setup transactions arrived (signature and round already checked). */
  void onComplete(SetupComplete m) {
    if (txids != null) {
      return;
    }
    if (m.setupTxs().size() != ctx.size()) {
      host.fail("the creator sent " + m.setupTxs().size() + " setup transactions for " + ctx.size() + " participants");
      return;
    }
    List<Transaction> txs = new ArrayList<>();
    for (int i = 0; i < ctx.size(); i++) {
      Transaction t;
      try {
        t = Transaction.fromHex(m.setupTxs().get(i));
      } catch (IllegalArgumentException e) {
        host.fail("the setup transaction of participant " + i + " does not parse");
        return;
      }
      Optional<String> p = SetupCheck.problem(ctx.plan(), i, t, ctx.members().get(i).inputAmount());
      if (p.isPresent()) {
        host.fail("the setup transaction of participant " + i + " " + p.get());
        return;
      }
      txs.add(t);
    }
    if (!txs.get(ctx.me()).txid().equals(mine.txid())) {
      host.fail("the creator sent another setup transaction for this participant");
      return;
    }
    txids = txs.stream().map(Transaction::txid).toList();
    host.setupBroadcast(txids);
    for (int i = 0; i < txs.size(); i++) {
      broadcast(i, txs.get(i));
    }
    for (int i = 0; i < txs.size(); i++) {
      confirm(i);
    }
  }

  private void broadcast(int i, Transaction t) {
    svc.hop(
        svc.chain.broadcast(t),
        (txid, err) -> {
          if (err == null) {
            svc.events.emit(new SwapSigEvent.SetupTxBroadcast(ctx.poolId(), i, txid, t.toHex()));
          } else if (err instanceof ChronikErrorException e) {
            // the owner spent its input elsewhere: the shared output will never exist
            svc.hop(
                svc.chain.tx(t.txid()),
                (known, e2) -> {
                  if (e2 == null && known.isEmpty()) {
                    host.fail("the setup transaction of participant " + i + " was refused: " + e.errorMessage());
                  }
                });
          }
        });
  }

  private void confirm(int i) {
    String txid = txids.get(i);
    PoolParameters p = ctx.params();
    CompletableFuture<Tx> checked =
        svc.chain
            .confirmed(txid, p.requiredConfirmations(), p.setupConfirmTimeout())
            .thenCompose(c -> svc.chain.tx(txid))
            .thenApply(o -> o.orElseThrow(() -> new IllegalStateException("setup transaction vanished")));
    svc.hop(
        checked,
        (tx, err) -> {
          if (done) {
            return;
          }
          if (err != null) {
            host.fail("the setup transaction of participant " + i + " did not confirm within "
                + p.setupConfirmTimeout().toMillis() + " ms: " + err.getMessage());
            return;
          }
          SharedOutput out = ctx.plan().outputs().get(i);
          if (tx.outputs().isEmpty()
              || tx.outputs().get(0).value() != out.value()
              || !tx.outputs().get(0).outputScript().equals(out.script().toHex())) {
            host.fail("the confirmed setup transaction of participant " + i + " does not pay its shared output");
            return;
          }
          verifyBurn(i, txid);
        });
  }

  private void verifyBurn(int i, String txid) {
    PoolParameters p = ctx.params();
    svc.hop(
        svc.chain.verifyBurn(
            txid, 1, SwapSigBurn.policy(p.burnAmount(), ctx.poolId(), p.requiredConfirmations())),
        (v, err) -> {
          if (done) {
            return;
          }
          if (err != null) {
            host.fail("the burn of participant " + i + " could not be verified: " + err.getMessage());
            return;
          }
          if (v instanceof BurnVerification.Rejected r) {
            host.fail("the burn of participant " + i + " was rejected: " + r.reason() + ", " + r.detail());
            return;
          }
          svc.events.emit(new SwapSigEvent.SetupConfirmed(ctx.poolId(), i, txid));
          if (++confirmed == ctx.size()) {
            done = true;
            host.setupConfirmed(txids);
          }
        });
  }

  /** Stops reporting. */
  void stop() {
    done = true;
  }
}
