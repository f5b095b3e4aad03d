package org.lotusia.musig2.p2p;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.p2p.AbortReason.Code;
import org.lotusia.musig2.p2p.wire.SessionAbort;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;

/**
 * What a restarted node does with the sessions its store says were in progress: it does not resume
 * them, because the secret nonce was never stored and a new one cannot be proven fresh to the
 * others (signing twice with different nonces for one session can leak the key). It records each
 * as aborted with the reason, tells every participant it knew (a signed SESSION_ABORT, numbered
 * well past the sequence numbers of its previous run), and reports it to the application.
 * Confined to the manager's thread.
 */
final class SessionRecovery {

  /** Added to the stored next sequence number: past anything sent after the last write. */
  static final long SEQUENCE_OFFSET = 1L << 20;

  private final SessionServices svc;

  SessionRecovery(SessionServices svc) {
    this.svc = svc;
  }

  /**
   * Aborts every unfinished stored session of {@code key}, except those in {@code live}.
   *
   * @return the IDs of the sessions aborted, and the finished ones to remember as tombstones
   */
  Outcome recover(PrivateKey key, java.util.Set<String> live) {
    byte[] pub = key.publicKeyBytes();
    List<String> aborted = new ArrayList<>();
    List<String> finished = new ArrayList<>();
    for (SessionRecord r : svc.store.loadAll()) {
      if (!Arrays.equals(r.localPublicKey(), pub) || live.contains(r.sessionId())) {
        continue;
      }
      if (r.phase().terminal()) {
        finished.add(r.sessionId());
        continue;
      }
      abortStored(r, key);
      aborted.add(r.sessionId());
    }
    return new Outcome(aborted, finished);
  }

  /** The sessions aborted, and those that had already finished. */
  record Outcome(List<String> aborted, List<String> finished) {}

  private void abortStored(SessionRecord r, PrivateKey key) {
    SessionAnnouncement a = r.announcement();
    int local = a.indexOf(r.localPublicKey());
    int creator = a.indexOf(a.creatorPublicKey());
    AbortReason reason =
        AbortReason.of(
            Code.RESTARTED,
            "signer "
                + local
                + " restarted "
                + (r.nonceIssued()
                    ? "after issuing its nonce; that nonce is gone and it will not sign again"
                    : "before issuing its nonce"));
    ParticipantMap peers = new ParticipantMap(a, r.peerIds());
    SessionOutbox out =
        new SessionOutbox(
            svc, r.sessionId(), key, peers, local, creator, r.nextSequence() + SEQUENCE_OFFSET);
    out.toAll(new SessionAbort(r.sessionId(), reason.message(), svc.now(), local, null));
    try {
      svc.store.save(
          new SessionRecord(
              r.sessionId(),
              a,
              r.localPublicKey(),
              SessionPhase.ABORTED,
              r.peerIds(),
              r.nonceIssued(),
              r.partialSigned(),
              r.finalSignature(),
              reason.toString(),
              out.nextSequence(),
              svc.now()));
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(SessionRecovery.class)
          .error("session {}: cannot record the abort after restart", r.sessionId(), e);
    }
    svc.metrics.aborted.increment();
    svc.events.emit(new SessionEvent.SessionAborted(r.sessionId(), reason));
  }
}
