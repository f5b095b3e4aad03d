package org.lotusia.swapsig;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.lotusia.chain.burn.BurnPolicy;
import org.lotusia.chain.burn.BurnVerification;
import org.lotusia.chain.burn.BurnVerifier;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.chronik.ChronikErrorException;
import org.lotusia.chain.chronik.ChronikUnavailableException;
import org.lotusia.chain.chronik.ChronikOutPoint;
import org.lotusia.chain.chronik.Tx;
import org.lotusia.chain.chronik.TxAndTip;
import org.lotusia.chain.chronik.UtxoState;
import org.lotusia.chain.monitor.ConfirmationListener;
import org.lotusia.chain.monitor.TransactionMonitor;
import org.lotusia.chain.monitor.TxConfirmation;
import org.lotusia.chain.tx.Transaction;

/**
 * The chain as SwapSig sees it, through Chronik: transactions, outpoint states, broadcasts and burn
 * checks. A call that cannot reach the server (connection refused, the server restarting) is
 * retried with backoff for {@link SwapSigConfig#chainRetry()}, so a Chronik restart in the middle
 * of a pool only delays it. A server that answers with an error is not retried. Thread-safe;
 * futures complete on Chronik or scheduler threads.
 */
final class ChainOps implements AutoCloseable {

  private final ChronikClient chronik;
  private final BurnVerifier burns;
  private final TransactionMonitor monitor;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Duration retry;

  ChainOps(
      ChronikClient chronik,
      ScheduledExecutorService scheduler,
      Clock clock,
      Duration retry,
      Duration pollInterval) {
    this.chronik = chronik;
    this.burns = new BurnVerifier(chronik);
    this.monitor =
        TransactionMonitor.builder(chronik)
            .scheduler(scheduler)
            .pollInterval(pollInterval)
            .pushPollInterval(pollInterval)
            .maxWatches(10_000)
            .build();
    this.scheduler = scheduler;
    this.clock = clock;
    this.retry = retry;
  }

  /** The transaction, or empty when Chronik does not know it. */
  CompletableFuture<Optional<Tx>> tx(String txid) {
    return retrying(
        () ->
            chronik
                .tx(txid)
                .thenApply(Optional::of)
                .exceptionallyCompose(
                    e ->
                        unwrap(e) instanceof ChronikErrorException c && c.isNotFound()
                            ? CompletableFuture.completedFuture(Optional.empty())
                            : CompletableFuture.failedFuture(unwrap(e))));
  }

  /** The transaction with the tip from the same server, or empty when unknown. */
  CompletableFuture<Optional<TxAndTip>> txAndTip(String txid) {
    return retrying(
        () ->
            chronik
                .txAndTip(txid)
                .thenApply(Optional::of)
                .exceptionallyCompose(
                    e ->
                        unwrap(e) instanceof ChronikErrorException c && c.isNotFound()
                            ? CompletableFuture.completedFuture(Optional.empty())
                            : CompletableFuture.failedFuture(unwrap(e))));
  }

  /** The states of outpoints, in order. */
  CompletableFuture<List<UtxoState>> utxoStates(List<ChronikOutPoint> outpoints) {
    return retrying(() -> chronik.validateUtxos(outpoints));
  }

  /** The chain tip height. */
  CompletableFuture<Integer> tipHeight() {
    return retrying(() -> chronik.blockchainInfo().thenApply(b -> b.tipHeight()));
  }

  /**
   * Broadcasts a transaction. A transaction the node already has (in the mempool or mined) counts
   * as broadcast.
   *
   * @return the txid; fails with {@link ChronikErrorException} carrying the node's reason
   */
  CompletableFuture<String> broadcast(Transaction tx) {
    String txid = tx.txid();
    return retrying(
        () ->
            chronik
                .broadcastTx(tx.serialize())
                .exceptionallyCompose(
                    e -> {
                      Throwable c = unwrap(e);
                      if (c instanceof ChronikErrorException err && alreadyKnown(err)) {
                        return CompletableFuture.completedFuture(txid);
                      }
                      return CompletableFuture.failedFuture(c);
                    }));
  }

  /**
   * Waits until a transaction has {@code required} confirmations; an unknown transaction and an
   * unreachable server keep being polled until the timeout.
   *
   * @return the confirmed state; fails with {@link java.util.concurrent.TimeoutException} at the
   *     deadline
   */
  CompletableFuture<TxConfirmation> confirmed(String txid, int required, Duration timeout) {
    return monitor
        .waitForConfirmation(txid, required, timeout, new ConfirmationListener() {})
        .future();
  }

  @Override
  public void close() {
    monitor.close();
  }

  /** Verifies a burn output against a policy. */
  CompletableFuture<BurnVerification> verifyBurn(String txid, int outputIndex, BurnPolicy policy) {
    return retrying(() -> burns.verify(txid, outputIndex, policy));
  }

  private static boolean alreadyKnown(ChronikErrorException e) {
    String m = String.valueOf(e.errorMessage());
    return m.contains("txn-already-in-mempool") || m.contains("txn-already-known");
  }

  private <T> CompletableFuture<T> retrying(Supplier<CompletableFuture<T>> call) {
    CompletableFuture<T> out = new CompletableFuture<>();
    attempt(call, out, clock.millis() + retry.toMillis(), 100);
    return out;
  }

  private <T> void attempt(
      Supplier<CompletableFuture<T>> call, CompletableFuture<T> out, long deadline, long backoff) {
    CompletableFuture<T> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      out.completeExceptionally(e);
      return;
    }
    f.whenComplete(
        (v, e) -> {
          if (e == null) {
            out.complete(v);
            return;
          }
          Throwable c = unwrap(e);
          if (c instanceof ChronikUnavailableException && clock.millis() + backoff < deadline) {
            try {
              scheduler.schedule(
                  () -> attempt(call, out, deadline, Math.min(backoff * 2, 2000)),
                  backoff,
                  TimeUnit.MILLISECONDS);
            } catch (RuntimeException rejected) {
              out.completeExceptionally(c);
            }
            return;
          }
          out.completeExceptionally(c);
        });
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
