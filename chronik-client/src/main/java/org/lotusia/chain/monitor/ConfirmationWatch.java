package org.lotusia.chain.monitor;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lotusia.chain.chronik.Tx;
import org.lotusia.chain.script.ChronikScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running wait for a transaction to reach a number of confirmations, created by {@link
 * TransactionMonitor#waitForConfirmation}.
 *
 * <p>The watch checks at once, then on every poll, and whenever the monitor's WebSocket reports an
 * event for the transaction or a new block. Checks never overlap: a trigger during a check causes
 * one more check right after it. {@link #future()} completes with the confirmed state, fails with
 * {@link TimeoutException} at the deadline, or is cancelled by {@link #cancel()} or when the
 * monitor closes. Thread-safe.
 */
public final class ConfirmationWatch {

  private static final Logger LOG = LoggerFactory.getLogger(ConfirmationWatch.class);

  private final TransactionMonitor monitor;
  private final String txid;
  private final int required;
  private final Duration timeout;
  private final ConfirmationListener listener;
  private final CompletableFuture<TxConfirmation> future = new CompletableFuture<>();
  private ScheduledFuture<?> pollTask;
  private ScheduledFuture<?> timeoutTask;
  private boolean inFlight;
  private boolean recheck;
  private TxConfirmation latest;
  private ChronikScript subscribed;

  ConfirmationWatch(
      TransactionMonitor monitor,
      String txid,
      int required,
      Duration timeout,
      ConfirmationListener listener) {
    this.monitor = monitor;
    this.txid = txid;
    this.required = required;
    this.timeout = timeout;
    this.listener = listener;
    future.whenComplete((r, t) -> cleanup());
  }

  /** Returns the watched txid (big-endian hex). */
  public String txid() {
    return txid;
  }

  /** Returns the required number of confirmations. */
  public int required() {
    return required;
  }

  /**
   * Returns the future of the confirmed state. Cancelling it cancels the watch. Dependent stages
   * run on OkHttp or scheduler threads and must not block.
   */
  public CompletableFuture<TxConfirmation> future() {
    return future;
  }

  /** Returns the last state seen, or {@code null} before the first successful check. */
  public synchronized TxConfirmation latest() {
    return latest;
  }

  /** Stops the watch; the future is cancelled. Returns false if it had already completed. */
  public boolean cancel() {
    return future.cancel(false);
  }

  void start() {
    try {
      ScheduledFuture<?> t =
          monitor.scheduler().schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
      synchronized (this) {
        timeoutTask = t;
      }
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(new CancellationException("monitor closed"));
      return;
    }
    trigger();
  }

  /**
   * Whether a new block can change this watch's state without a transaction event: true unless the
   * transaction is known to be in the mempool and its script is subscribed (then Chronik sends a
   * Confirmed event).
   */
  synchronized boolean wantsBlockEvents() {
    return subscribed == null || latest == null || latest.status() != TxConfirmation.Status.MEMPOOL;
  }

  /** Runs a check now, or right after the one in flight. */
  void trigger() {
    synchronized (this) {
      if (future.isDone()) {
        return;
      }
      if (inFlight) {
        recheck = true;
        return;
      }
      inFlight = true;
    }
    monitor.check(txid, required).whenComplete(this::onChecked);
  }

  private void onChecked(TransactionMonitor.Checked result, Throwable error) {
    boolean changed = false;
    boolean again;
    Tx tx = null;
    synchronized (this) {
      inFlight = false;
      if (future.isDone()) {
        return;
      }
      if (error == null) {
        changed = !result.state().equals(latest);
        latest = result.state();
        if (subscribed == null && result.tx() != null) {
          tx = result.tx();
        }
      }
      again = recheck;
      recheck = false;
    }
    if (error != null) {
      safe(() -> listener.onError(TransactionMonitor.unwrap(error)));
    } else {
      if (tx != null) {
        ChronikScript s = monitor.subscribeFor(tx);
        boolean release;
        synchronized (this) {
          release = future.isDone();
          if (!release) {
            subscribed = s;
          }
        }
        if (release) {
          monitor.removed(this, s);
        } else if (s != null) {
          // the tx may have changed between this check and the subscription: look once more
          again = true;
        }
      }
      if (changed) {
        safe(() -> listener.onUpdate(result.state()));
      }
      if (result.state().confirmed()) {
        if (future.complete(result.state())) {
          safe(() -> listener.onConfirmed(result.state()));
        }
        return;
      }
    }
    if (again) {
      trigger();
    } else {
      schedulePoll();
    }
  }

  private void schedulePoll() {
    try {
      ScheduledFuture<?> t =
          monitor
              .scheduler()
              .schedule(
                  this::trigger, monitor.currentPollInterval().toMillis(), TimeUnit.MILLISECONDS);
      synchronized (this) {
        if (pollTask != null) {
          pollTask.cancel(false);
        }
        pollTask = t;
      }
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(new CancellationException("monitor closed"));
    }
  }

  private void expire() {
    TxConfirmation last = latest();
    if (future.completeExceptionally(
        new TimeoutException(
            "transaction "
                + txid
                + " did not reach "
                + required
                + " confirmation(s) within "
                + timeout
                + "; last state: "
                + last))) {
      safe(() -> listener.onTimeout(last));
    }
  }

  private void cleanup() {
    ChronikScript s;
    synchronized (this) {
      if (pollTask != null) {
        pollTask.cancel(false);
      }
      if (timeoutTask != null) {
        timeoutTask.cancel(false);
      }
      s = subscribed;
      subscribed = null;
    }
    monitor.removed(this, s);
  }

  private static void safe(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("confirmation listener threw", e);
    }
  }
}
