package org.lotusia.musig2.p2p;

import java.util.concurrent.CompletableFuture;
import org.lotusia.musig2.p2p.AbortReason.Code;
import org.lotusia.musig2.p2p.election.Election;
import org.lotusia.musig2.p2p.wire.CoordinatorFailover;
import org.lotusia.musig2.p2p.wire.SessionComplete;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finalisation of one session once the final signature is known: the signer at the current
 * position of the election's priority list runs the application's {@link Broadcaster} and then
 * sends SESSION_COMPLETE to everyone. Every participant arms the broadcast timeout; when it expires
 * the position moves to the next signer, and that signer announces the takeover on the wire
 * (COORDINATOR_FAILOVER) and finalises. The list names every signer once, so failover works from
 * any index, 0 included, and ends with an abort only when every signer has had its turn. Confined
 * to the manager's thread.
 */
final class Finalizer {

  private static final Logger LOG = LoggerFactory.getLogger(Finalizer.class);

  private final ActiveSession s;
  private final Election election;
  private final int n;
  private int position;
  private boolean broadcasting;
  private byte[] signature;

  Finalizer(ActiveSession session, Election election) {
    this.s = session;
    this.election = election;
    this.n = election.priority().size();
  }

  /** The signer currently responsible for finalising. */
  int broadcaster() {
    return election.at(Math.min(position, n - 1));
  }

  byte[] signature() {
    return signature == null ? null : signature.clone();
  }

  /** Every partial signature verified: the final signature is known here. */
  void onSignature(byte[] sig) {
    signature = sig.clone();
    SessionServices svc = s.services();
    svc.events.emit(new SessionEvent.SignatureReady(s.id, sig));
    s.enter(SessionPhase.FINALIZING, svc.config.broadcastTimeout());
    s.tryPersist();
    if (s.phase() == SessionPhase.FINALIZING && election.at(position) == s.localIndex) {
      finalizeLocally();
    }
  }

  private void finalizeLocally() {
    if (broadcasting || s.phase() != SessionPhase.FINALIZING) {
      return;
    }
    broadcasting = true;
    SessionServices svc = s.services();
    SessionResult result = s.resultOf(s.localIndex, signature);
    CompletableFuture<Void> done = new CompletableFuture<>();
    svc.events.run(
        () -> {
          try {
            CompletableFuture<Void> f = svc.broadcaster.broadcast(result);
            if (f == null) {
              done.completeExceptionally(new IllegalStateException("broadcaster returned null"));
            } else {
              f.whenComplete(
                  (v, e) -> {
                    if (e != null) {
                      done.completeExceptionally(e);
                    } else {
                      done.complete(null);
                    }
                  });
            }
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
          }
        });
    done.whenComplete((v, e) -> svc.onService(() -> onBroadcastDone(e)));
  }

  private void onBroadcastDone(Throwable error) {
    broadcasting = false;
    if (s.phase() != SessionPhase.FINALIZING) {
      return;
    }
    if (error != null) {
      LOG.warn(
          "session {}: the broadcast of signer {} failed; the next signer takes over after the"
              + " broadcast timeout: {}",
          s.id,
          s.localIndex,
          error.toString());
      return;
    }
    SessionServices svc = s.services();
    s.outbox().toAll(new SessionComplete(s.id, signature, svc.now(), s.localIndex, null));
    s.complete(s.localIndex, signature);
  }

  /** The broadcast timeout expired: the next signer of the priority list takes over. */
  void onTimeout() {
    int failed = election.at(position);
    position++;
    if (position >= n) {
      s.abort(
          AbortReason.of(
              Code.FAILOVER_EXHAUSTED,
              "no signer of the priority list " + election.priority() + " finalised the session"),
          true);
      return;
    }
    int next = election.at(position);
    SessionServices svc = s.services();
    svc.events.emit(new SessionEvent.CoordinatorFailedOver(s.id, failed, next));
    s.arm(svc.config.broadcastTimeout());
    if (next == s.localIndex) {
      s.outbox().toAll(new CoordinatorFailover(s.id, failed, next, svc.now(), s.localIndex, null));
      finalizeLocally();
    }
  }

  /** Another signer announced that it takes over. */
  void onFailover(String transport, int signer, CoordinatorFailover f) {
    if (f.newIndex() != signer) {
      s.reject(
          transport,
          "failover of signer "
              + signer
              + " names signer "
              + f.newIndex()
              + "; a signer can only take over itself",
          true);
      return;
    }
    int pos = election.positionOf(signer);
    if (pos <= position) {
      return; // this node is already there or past it
    }
    int failed = election.at(position);
    position = pos;
    SessionServices svc = s.services();
    svc.events.emit(new SessionEvent.CoordinatorFailedOver(s.id, failed, signer));
    if (s.phase() == SessionPhase.FINALIZING) {
      s.arm(svc.config.broadcastTimeout());
    }
  }
}
