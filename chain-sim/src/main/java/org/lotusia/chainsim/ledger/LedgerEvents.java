package org.lotusia.chainsim.ledger;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers ledger events to listeners on one daemon thread, in order. The queue holds at most
 * {@value #QUEUE} events; when it is full the thread that changed the ledger waits for room
 * (back-pressure, never a dropped event). A listener that throws is logged.
 */
final class LedgerEvents implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerEvents.class);
  static final int QUEUE = 65_536;

  private final List<LedgerListener> listeners;
  private final ThreadPoolExecutor executor;

  LedgerEvents(List<LedgerListener> listeners) {
    this.listeners = listeners;
    this.executor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "lotus-chain-sim-events");
              t.setDaemon(true);
              return t;
            },
            (r, ex) -> {
              if (ex.isShutdown()) {
                throw new RejectedExecutionException("ledger closed");
              }
              try {
                ex.getQueue().put(r);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RejectedExecutionException("interrupted while queueing an event", e);
              }
            });
  }

  void txAdded(TxEntry e) {
    post(l -> l.txAddedToMempool(e));
  }

  void blockConnected(SimBlock b, List<TxEntry> mined) {
    post(
        l -> {
          for (TxEntry e : mined) {
            l.txConfirmed(e);
          }
          l.blockConnected(b);
        });
  }

  private void post(Consumer<LedgerListener> call) {
    if (listeners.isEmpty()) {
      return;
    }
    try {
      executor.execute(
          () -> {
            for (LedgerListener l : listeners) {
              try {
                call.accept(l);
              } catch (RuntimeException ex) {
                LOG.warn("ledger listener threw", ex);
              }
            }
          });
    } catch (RejectedExecutionException e) {
      LOG.debug("ledger event not delivered: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
