package org.lotusia.libp2p.internal.host;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.lotusia.libp2p.ConnectionGater;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the host's {@link ConnectionGater} on the callback executor and counts refusals per gater
 * method. Without a configured gater every answer is an already completed {@code true}, so the
 * upgrade pays nothing.
 *
 * <p>An answer future always completes: {@code false} when the gater refused, threw (logged), or,
 * for a connection a remote opened, when the callback executor could not take the question (new
 * work is refused when the executor is full; logged at most once per {@link
 * RateLimitedLog#INTERVAL}). Questions about this host's own dials wait like any accepted callback.
 * It completes on the callback thread that ran the gater, or on the caller's thread when the
 * question was refused; callers move back to their event loop themselves.
 *
 * <p>Thread-safe.
 */
final class HostGating {

  private static final Logger LOG = LoggerFactory.getLogger(HostGating.class);

  private final ConnectionGater gater;
  private final CallbackExecutor callbacks;
  private final RateLimitedLog rejectedLog;
  private final LongAdder deniedDial = new LongAdder();
  private final LongAdder deniedInbound = new LongAdder();
  private final LongAdder deniedSecured = new LongAdder();

  /**
   * @param gater the configured gater, or null to allow everything
   * @param callbacks where the gater runs
   * @param clock the host's clock, for the rate of rejection warnings
   */
  HostGating(ConnectionGater gater, CallbackExecutor callbacks, Clock clock) {
    this.gater = gater;
    this.callbacks = callbacks;
    this.rejectedLog = new RateLimitedLog(LOG, clock, RateLimitedLog.INTERVAL);
  }

  CompletableFuture<Boolean> allowDial(PeerId peer) {
    if (gater == null) {
      return CompletableFuture.completedFuture(true);
    }
    return ask("allowDial", () -> gater.allowDial(peer), deniedDial, false);
  }

  CompletableFuture<Boolean> allowInbound(Multiaddr remoteAddress) {
    if (gater == null) {
      return CompletableFuture.completedFuture(true);
    }
    return ask("allowInbound", () -> gater.allowInbound(remoteAddress), deniedInbound, true);
  }

  CompletableFuture<Boolean> allowSecured(PeerId peer, Direction direction, Multiaddr remote) {
    if (gater == null) {
      return CompletableFuture.completedFuture(true);
    }
    return ask(
        "allowSecured",
        () -> gater.allowSecured(peer, direction, remote),
        deniedSecured,
        direction == Direction.INBOUND);
  }

  /** Refusals by {@link ConnectionGater#allowDial}. */
  long deniedDials() {
    return deniedDial.sum();
  }

  /** Refusals by {@link ConnectionGater#allowInbound}. */
  long deniedInbound() {
    return deniedInbound.sum();
  }

  /** Refusals by {@link ConnectionGater#allowSecured}. */
  long deniedSecured() {
    return deniedSecured.sum();
  }

  /**
   * @param fromNetwork whether the question is new work brought by a remote (refused when the
   *     executor is full) rather than this host's own dial (which waits)
   */
  private CompletableFuture<Boolean> ask(
      String method, BooleanSupplier call, LongAdder denied, boolean fromNetwork) {
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    Runnable task =
        () -> {
          boolean allowed;
          try {
            allowed = call.getAsBoolean();
          } catch (RuntimeException e) {
            LOG.warn("connection gater {} threw; refusing the connection", method, e);
            allowed = false;
          }
          if (!allowed) {
            denied.increment();
          }
          answer.complete(allowed);
        };
    if (!fromNetwork) {
      // This host's own dial waits for the answer like for any other callback.
      callbacks.execute(task);
    } else if (!callbacks.tryExecute(task)) {
      denied.increment();
      rejectedLog.warn(
          "callback executor is full: refused an inbound connection ({} not asked)", method);
      answer.complete(false);
    }
    return answer;
  }
}
