package org.lotusia.musig2.p2p;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.crypto.MuSig2Session;
import org.lotusia.musig2.p2p.AbortReason.Code;
import org.lotusia.musig2.p2p.election.CoordinatorElection;
import org.lotusia.musig2.p2p.wire.CoordinatorFailover;
import org.lotusia.musig2.p2p.wire.JoinAck;
import org.lotusia.musig2.p2p.wire.JoinRequest;
import org.lotusia.musig2.p2p.wire.NonceCommitment;
import org.lotusia.musig2.p2p.wire.NonceShare;
import org.lotusia.musig2.p2p.wire.ParticipantList;
import org.lotusia.musig2.p2p.wire.PartialSignatureShare;
import org.lotusia.musig2.p2p.wire.SessionAbort;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.musig2.p2p.wire.SessionComplete;
import org.lotusia.musig2.p2p.wire.SessionMessage;
import org.lotusia.p2p.protocol.P2PMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session as the local participant runs it: the phase machine {@code JOINING -> [COMMITMENTS]
 * -> NONCES -> PARTIAL_SIGNATURES -> FINALIZING -> COMPLETE}, or {@code ABORTED} from any phase.
 * The steps live in {@link JoinSteps}, {@link SigningRounds} and {@link Finalizer}; this class
 * routes messages to them, owns the phase and its timer, and ends the session.
 *
 * <p>Every inbound message passes {@link InboundGuard} (authentication), then the phase gate: a
 * message for a later phase is held (at most {@code maxDeferredPerSigner} per signer) and replayed
 * when its phase begins; one for an earlier phase is dropped; then its sequence number is recorded
 * (a replay is refused) and it acts. Each phase has a timer whose expiry aborts the session naming
 * the signers whose contribution is missing (in FINALIZING it moves finalisation on instead).
 *
 * <p>Confined to the manager's thread: every method is called there, so nothing needs a lock.
 */
final class ActiveSession {

  private static final Logger LOG = LoggerFactory.getLogger(ActiveSession.class);

  private enum Gate {
    ACCEPT,
    HOLD,
    LATE
  }

  private record Held(
      String transport, P2PMessage env, SessionMessage msg, boolean verified, int signer) {}

  final String id;
  final SessionAnnouncement announcement;
  final int localIndex;
  final int creatorIndex;
  final boolean creator;
  private final int n;
  private final SessionServices svc;
  private final MuSig2Session musig;
  private final byte[] localKey;
  private final ParticipantMap peers;
  private final SessionOutbox out;
  private final InboundGuard guard;
  private final JoinSteps joins;
  private final SigningRounds rounds;
  private final Finalizer finalizer;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private final int[] heldPerSigner;
  private final CompletableFuture<SessionResult> result = new CompletableFuture<>();

  private SessionPhase phase = SessionPhase.JOINING;
  private AbortReason abortReason;
  private byte[] finalSignature;
  private ScheduledFuture<?> timer;
  private long timerGeneration;
  private boolean draining;
  private boolean redrain;
  private long finishedAt;

  /**
   * @param firstSequence the first local sequence number (0, or past those of an earlier run)
   */
  ActiveSession(
      SessionServices svc,
      SessionAnnouncement announcement,
      PrivateKey key,
      MuSig2Session musig,
      List<String> initialPeers,
      long firstSequence) {
    this.svc = svc;
    this.id = announcement.sessionId();
    this.announcement = announcement;
    this.musig = musig;
    this.n = announcement.requiredSigners();
    this.localKey = key.publicKeyBytes();
    this.localIndex = musig.localIndex();
    this.creatorIndex = announcement.indexOf(announcement.creatorPublicKey());
    this.creator = localIndex == creatorIndex;
    this.peers = new ParticipantMap(announcement, initialPeers);
    peers.bind(localIndex, svc.localPeerId);
    peers.bind(creatorIndex, announcement.coordinatorPeerId());
    this.out = new SessionOutbox(svc, id, key, peers, localIndex, creatorIndex, firstSequence);
    this.guard = new InboundGuard(svc, announcement, peers, localIndex, creatorIndex);
    this.joins = new JoinSteps(this);
    this.rounds = new SigningRounds(this, musig);
    this.finalizer =
        new Finalizer(
            this, CoordinatorElection.elect(announcement.signers(), announcement.electionMethod()));
    this.heldPerSigner = new int[n];
  }

  // --- collaborators (package-private for the step classes)

  SessionServices services() {
    return svc;
  }

  ParticipantMap peers() {
    return peers;
  }

  SessionOutbox outbox() {
    return out;
  }

  InboundGuard guard() {
    return guard;
  }

  SigningRounds rounds() {
    return rounds;
  }

  Finalizer finalizer() {
    return finalizer;
  }

  // --- queries

  SessionPhase phase() {
    return phase;
  }

  CompletableFuture<SessionResult> result() {
    return result;
  }

  long finishedAt() {
    return finishedAt;
  }

  SessionStatus status() {
    boolean nonces = phase == SessionPhase.NONCES || phase == SessionPhase.COMMITMENTS;
    return new SessionStatus(
        id,
        phase,
        localIndex,
        n,
        peers.known(),
        nonces ? musig.missingNonces() : List.of(),
        phase == SessionPhase.PARTIAL_SIGNATURES ? musig.missingPartialSignatures() : List.of(),
        finalizer.broadcaster(),
        abortReason);
  }

  SessionRecord record() {
    return new SessionRecord(
        id,
        announcement,
        localKey,
        phase,
        peers.asList(),
        rounds.nonceIssued(),
        rounds.partialSigned(),
        finalSignature != null ? finalSignature : finalizer.signature(),
        abortReason == null ? null : abortReason.toString(),
        out.nextSequence(),
        svc.now());
  }

  SessionResult resultOf(int broadcasterIndex, byte[] signature) {
    return new SessionResult(
        id, musig.message(), musig.signingKey(), signature, broadcasterIndex);
  }

  // --- start

  /** Records the session, arms the join timer and, on a joiner, sends the join request. */
  void start() {
    if (!persist()) {
      return;
    }
    long untilExpiry = announcement.expiresAt() - svc.now();
    Duration join = svc.config.joinTimeout();
    arm(untilExpiry < join.toMillis() ? Duration.ofMillis(Math.max(1, untilExpiry)) : join);
    if (!creator) {
      out.toIndex(creatorIndex, new JoinRequest(id, localKey, svc.now(), null));
    }
  }

  // --- inbound

  /**
   * Handles a message addressed to the local node.
   *
   * @param verified whether its signature was already checked (it was held for its phase)
   */
  void onMessage(String transport, P2PMessage env, SessionMessage m, boolean verified) {
    if (phase.terminal() && !(creator && m instanceof JoinRequest)) {
      return; // a late join still gets an answer ("Session no longer exists") from the creator
    }
    if (m instanceof JoinRequest j) {
      joins.onJoinRequest(transport, env, j);
      return;
    }
    InboundGuard.Verdict v = guard.check(transport, env, m, verified);
    if (v.kind() == InboundGuard.Kind.REJECT) {
      reject(transport, v.reason(), v.violation());
      return;
    }
    if (v.kind() == InboundGuard.Kind.UNBOUND) {
      if (creator) {
        reject(transport, "signer " + v.signer() + " has not joined", true);
      } else {
        hold(transport, env, m, false, v.signer());
      }
      return;
    }
    int signer = v.signer();
    Gate g = gate(m);
    if (g == Gate.HOLD) {
      hold(transport, env, m, true, signer);
      return;
    }
    long seq = m.auth().sequenceNumber();
    if (g == Gate.LATE) {
      reject(transport, (guard.seen(signer, seq) ? "replayed " : "late ") + env.type()
          + " of signer " + signer + " (sequence number " + seq + ", phase " + phase + ")", false);
      return;
    }
    switch (guard.record(signer, seq)) {
      case REPLAYED -> {
        reject(transport, "replayed " + env.type() + " of signer " + signer + " (sequence number "
            + seq + ")", false);
        return;
      }
      case FULL -> {
        String why = "signer " + signer + " sent more than " + svc.config.maxMessagesPerSigner()
            + " messages in this session";
        reject(transport, why, true);
        abort(new AbortReason(Code.MESSAGE_FLOOD, peers.describe(signer) + " sent more than "
            + svc.config.maxMessagesPerSigner() + " messages", List.of(signer)), true);
        return;
      }
      case ACCEPTED -> svc.metrics.accepted.increment();
    }
    dispatch(transport, signer, m);
  }

  /**
   * Creator side: forwards a message that its sender could not deliver directly. Also after the
   * session finished here (while the manager remembers it), so that the last messages, such as
   * SESSION_COMPLETE, still reach a participant that others cannot reach.
   */
  void relay(String transport, P2PMessage env, SessionMessage m) {
    if (!creator) {
      reject(transport, "relay request sent to a participant that did not create the session",
          true);
      return;
    }
    InboundGuard.Verdict v = guard.checkRelay(transport, env, m);
    if (v.kind() != InboundGuard.Kind.PASS) {
      reject(transport, v.reason(), true);
    } else if (!out.forward(v.signer(), env)) {
      reject(transport, "relay budget of signer " + v.signer() + " is spent", false);
    }
  }

  private Gate gate(SessionMessage m) {
    if (m instanceof JoinAck || m instanceof ParticipantList) {
      return !creator && phase == SessionPhase.JOINING ? Gate.ACCEPT : Gate.LATE;
    } else if (m instanceof NonceCommitment) {
      return announcement.nonceCommitments() ? need(SessionPhase.COMMITMENTS) : Gate.LATE;
    } else if (m instanceof NonceShare) {
      return need(SessionPhase.NONCES);
    } else if (m instanceof PartialSignatureShare) {
      return need(SessionPhase.PARTIAL_SIGNATURES);
    }
    return Gate.ACCEPT; // abort, complete and failover act in any live phase
  }

  private Gate need(SessionPhase p) {
    if (phase == p) {
      return Gate.ACCEPT;
    }
    return phase.ordinal() < p.ordinal() ? Gate.HOLD : Gate.LATE;
  }

  private void hold(String transport, P2PMessage env, SessionMessage m, boolean verified, int s) {
    if (heldPerSigner[s] >= svc.config.maxDeferredPerSigner()) {
      reject(transport, "more than " + svc.config.maxDeferredPerSigner()
          + " early messages of signer " + s, false);
      return;
    }
    heldPerSigner[s]++;
    held.add(new Held(transport, env, m, verified, s));
  }

  /** Replays held messages after a phase change; a nested call makes the outer loop run again. */
  private void drainHeld() {
    if (draining) {
      redrain = true;
      return;
    }
    draining = true;
    try {
      do {
        redrain = false;
        List<Held> batch = new ArrayList<>(held);
        held.clear();
        Arrays.fill(heldPerSigner, 0);
        for (Held h : batch) {
          if (phase.terminal()) {
            return;
          }
          onMessage(h.transport(), h.env(), h.msg(), h.verified());
        }
      } while (redrain && !phase.terminal());
    } finally {
      draining = false;
    }
  }

  private void dispatch(String transport, int signer, SessionMessage m) {
    if (m instanceof JoinAck a) {
      joins.onJoinAck(a);
    } else if (m instanceof ParticipantList p) {
      joins.onParticipants(p);
    } else if (m instanceof NonceCommitment c) {
      rounds.onCommitment(signer, c);
    } else if (m instanceof NonceShare s) {
      rounds.onNonce(signer, s);
    } else if (m instanceof PartialSignatureShare p) {
      rounds.onPartial(signer, p);
    } else if (m instanceof SessionAbort a) {
      onAbort(transport, signer, a);
    } else if (m instanceof SessionComplete c) {
      onComplete(transport, signer, c);
    } else if (m instanceof CoordinatorFailover f) {
      finalizer.onFailover(transport, signer, f);
    }
  }

  private void onComplete(String transport, int signer, SessionComplete c) {
    byte[] sig = c.finalSignature();
    // lotus-sdk accepts this signature unverified (reference 6.1 C7)
    if (!LotusSchnorr.verify(sig, musig.signingKey(), musig.message())) {
      reject(transport, "final signature of signer " + signer
          + " does not verify under the aggregate key", true);
      return;
    }
    complete(signer, sig);
  }

  private void onAbort(String transport, int signer, SessionAbort a) {
    if (phase == SessionPhase.FINALIZING) {
      reject(transport, "abort by signer " + signer
          + " ignored: the final signature is already known", false);
      return;
    }
    // the creator passes it on: before the participant list, the aborting signer knows nobody else
    abort(AbortReason.of(Code.ABORTED_BY_PEER,
        peers.describe(signer) + " aborted the session: " + clean(a.reason())), creator);
  }

  // --- phases and timers

  /** Enters a phase; a non-null timeout re-arms the timer; held messages are replayed. */
  void enter(SessionPhase next, Duration timeout) {
    phase = next;
    if (timeout != null) {
      arm(timeout);
    }
    drainHeld();
  }

  void arm(Duration d) {
    cancelTimer();
    long gen = timerGeneration;
    timer = svc.schedule(() -> {
      if (gen == timerGeneration && !phase.terminal()) {
        onTimeout();
      }
    }, d);
  }

  private void cancelTimer() {
    timerGeneration++;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void onTimeout() {
    List<Integer> missing;
    String what;
    Duration limit;
    switch (phase) {
      case JOINING -> {
        if (!creator) {
          abort(AbortReason.of(Code.TIMEOUT,
              "the participant list did not arrive before the join deadline"), true);
          return;
        }
        missing = peers.missing();
        what = "did not join";
        limit = svc.config.joinTimeout();
      }
      case COMMITMENTS -> {
        missing = rounds.missingCommitments();
        what = "sent no nonce commitment";
        limit = svc.config.nonceTimeout();
      }
      case NONCES -> {
        missing = musig.missingNonces();
        what = "sent no nonce";
        limit = svc.config.nonceTimeout();
      }
      case PARTIAL_SIGNATURES -> {
        missing = musig.missingPartialSignatures();
        what = "sent no partial signature";
        limit = svc.config.partialSignatureTimeout();
      }
      case FINALIZING -> {
        finalizer.onTimeout();
        return;
      }
      default -> {
        return;
      }
    }
    StringBuilder names = new StringBuilder();
    for (int i : missing) {
      names.append(names.length() == 0 ? "" : ", ").append(peers.describe(i));
    }
    abort(new AbortReason(Code.TIMEOUT, names + " " + what + " within " + limit.toMillis()
        + " ms", missing), true);
  }

  // --- endings

  /** Aborts the session; {@code notify} sends SESSION_ABORT to every known participant. */
  void abort(AbortReason reason, boolean notify) {
    if (phase.terminal()) {
      return;
    }
    phase = SessionPhase.ABORTED;
    abortReason = reason;
    cancelTimer();
    musig.abort();
    held.clear();
    LOG.info("session {} aborted: {}", id, reason);
    if (notify) {
      out.toAll(new SessionAbort(id, reason.message(), svc.now(), localIndex, null));
    }
    tryPersist();
    svc.metrics.aborted.increment();
    svc.events.emit(new SessionEvent.SessionAborted(id, reason));
    svc.events.complete(result, null, new SessionAbortedException(id, reason));
    finish();
  }

  /** Completes the session with a verified final signature. */
  void complete(int broadcasterIndex, byte[] signature) {
    if (phase.terminal()) {
      return;
    }
    phase = SessionPhase.COMPLETE;
    finalSignature = signature.clone();
    cancelTimer();
    musig.abort(); // wipes the secrets if the session completed before the local aggregation
    held.clear();
    tryPersist();
    svc.metrics.completed.increment();
    SessionResult r = resultOf(broadcasterIndex, finalSignature);
    svc.events.emit(new SessionEvent.SessionCompleted(id, r));
    svc.events.complete(result, r, null);
    finish();
  }

  private void finish() {
    finishedAt = svc.now();
    svc.onFinished.accept(this);
  }

  // --- helpers

  /** Writes the record; a failure aborts the session and returns false. */
  boolean persist() {
    try {
      svc.store.save(record());
      return true;
    } catch (RuntimeException e) {
      LOG.error("session {}: the session store failed", id, e);
      abort(AbortReason.of(Code.STORE_FAILURE, "the session store failed: " + e.getMessage()),
          true);
      return false;
    }
  }

  /** Writes the record; a failure is logged. */
  void tryPersist() {
    try {
      svc.store.save(record());
    } catch (RuntimeException e) {
      LOG.error("session {}: the session store failed", id, e);
    }
  }

  void reject(String peer, String reason, boolean violation) {
    svc.metrics.rejected.increment();
    if (violation) {
      svc.metrics.violations.increment();
    }
    LOG.debug("session {}: refused a message from {}: {}", id, peer, reason);
    svc.events.emit(new SessionEvent.MessageRejected(id, peer, reason, violation));
  }

  /** Replaces control characters in text a peer chose before it goes into a reason. */
  static String clean(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), SessionAbort.MAX_REASON_LENGTH));
    for (int i = 0; i < s.length() && b.length() < SessionAbort.MAX_REASON_LENGTH; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? ' ' : c);
    }
    return b.toString();
  }
}
