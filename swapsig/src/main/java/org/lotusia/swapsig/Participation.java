package org.lotusia.swapsig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.swapsig.crypto.DestinationCipher;
import org.lotusia.swapsig.crypto.PoolDigests;
import org.lotusia.swapsig.wire.DestinationReveal;
import org.lotusia.swapsig.wire.PoolAbort;
import org.lotusia.swapsig.wire.PoolAnnouncement;
import org.lotusia.swapsig.wire.PoolMessage;
import org.lotusia.swapsig.wire.ParticipantRegistration;
import org.lotusia.swapsig.wire.RegistrationAck;
import org.lotusia.swapsig.wire.Roster;
import org.lotusia.swapsig.wire.SetupComplete;
import org.lotusia.swapsig.wire.SettlementBroadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant's way through a pool: registration, roster rounds, then the setup, reveal,
 * settlement and refund stages, with the phase machine of reference 1.4 and a deadline for every
 * phase. Every message is accepted only from the peer and key it must come from. Confined to the
 * service thread.
 */
final class Participation
    implements RosterIntake.Host,
        SetupStage.Host,
        RevealStage.Host,
        SettlementStage.Host,
        RefundStage.Host {

  private static final Logger LOG = LoggerFactory.getLogger(Participation.class);
  private static final HexFormat HEX = HexFormat.of();

  private final Services svc;
  private final PoolAnnouncement announcement;
  private final SwapRequest request;
  private final PrivateKey signerKey;
  private final DestinationCipher.KeyPair encryption;
  private final byte[] salt = new byte[32];
  private final ParticipantRegistration registration;
  private final CompletableFuture<SwapOutcome> outcome = new CompletableFuture<>();
  private final Runnable onFinished;
  private final Map<Integer, RoundContext> rounds = new LinkedHashMap<>();
  private final Map<Integer, Transaction> released = new LinkedHashMap<>();
  private final List<DestinationReveal> earlyReveals = new ArrayList<>();
  private final List<SessionAnnouncement> earlyAnnouncements = new ArrayList<>();
  private SwapPhase phase = SwapPhase.DISCOVERY;
  private RoundContext ctx;
  private SetupStage setup;
  private RevealStage reveal;
  private SettlementStage settlement;
  private RefundStage refund;
  private ScheduledFuture<?> deadline;
  private final RosterIntake intake;
  private List<String> setupTxids;
  private String abortReason;

  Participation(
      Services svc,
      PoolAnnouncement announcement,
      SwapRequest request,
      PrivateKey signerKey,
      Runnable onFinished) {
    this.svc = svc;
    this.announcement = announcement;
    this.request = request;
    this.signerKey = signerKey;
    this.onFinished = onFinished;
    this.encryption = DestinationCipher.generate(svc.random);
    svc.random.nextBytes(salt);
    String key = HEX.formatHex(signerKey.publicKeyBytes());
    SwapInput in = request.input();
    byte[] proof =
        in.key().signSchnorr(PoolDigests.ownership(announcement.poolId(), in.outpoint(), signerKey.publicKeyBytes()));
    byte[] commitment =
        PoolDigests.destinationCommitment(announcement.poolId(), request.destination().bytes(), salt);
    ParticipantRegistration unsigned =
        new ParticipantRegistration(
            announcement.poolId(),
            svc.network.localPeerId(),
            key,
            in.outpoint().txidHex(),
            in.outpoint().index(),
            HEX.formatHex(in.key().publicKeyBytes()),
            in.output().value(),
            HEX.formatHex(proof),
            HEX.formatHex(commitment),
            HEX.formatHex(encryption.publicKey()),
            svc.now(),
            null);
    this.registration = ParticipantRegistration.decode(unsigned.signedJson(signerKey));
    this.intake = new RosterIntake(svc, announcement, registration, signerKey, this);
  }

  String poolId() {
    return announcement.poolId();
  }

  org.lotusia.chain.tx.OutPoint input() {
    return request.input().outpoint();
  }

  String signerKeyHex() {
    return registration.publicKey();
  }

  SwapPhase phase() {
    return phase;
  }

  CompletableFuture<SwapOutcome> outcome() {
    return outcome;
  }

  void start() {
    setPhase(SwapPhase.REGISTRATION);
    svc.outbox.send(announcement.creatorPeerId(), registration, signerKey);
    PoolParameters p = announcement.params();
    long wait = announcement.expiresAt() - svc.now() + p.setupTimeout().toMillis();
    rearm(
        java.time.Duration.ofMillis(wait),
        Set.of(SwapPhase.REGISTRATION),
        "no roster arrived before registration closed");
  }

  // --- inbound

  void onMessage(String peer, P2PMessage envelope, PoolMessage m) {
    if (m instanceof RegistrationAck a) {
      if (fromCreator(peer, a) && a.publicKey().equals(registration.publicKey())) {
        onAck(a);
      }
    } else if (m instanceof Roster r) {
      if (fromCreator(peer, r)) {
        onRoster(r);
      }
    } else if (m instanceof SetupComplete s) {
      if (fromCreator(peer, s) && ctx != null && s.round() == ctx.round() && setup != null) {
        setup.onComplete(s);
      }
    } else if (m instanceof DestinationReveal d) {
      if (fromMember(peer, envelope, d.publicKey(), d)) {
        if (reveal != null && d.round() == ctx.round()) {
          reveal.onReveal(d);
        } else if (earlyReveals.size() < svc.config.maxPendingReveals()) {
          earlyReveals.add(d);
        }
      }
    } else if (m instanceof SettlementBroadcast b) {
      if (settlement != null && b.round() == ctx.round() && fromMember(peer, envelope, b.publicKey(), b)) {
        settlement.onHint(b);
      }
    } else if (m instanceof PoolAbort a) {
      onAbort(peer, envelope, a);
    } else {
      reject(peer, "a participant does not accept " + m.type(), false);
    }
  }

  void onSessionAnnouncement(SessionAnnouncement a, int round, int output) {
    if (ctx == null || round != ctx.round()) {
      return;
    }
    if (settlement != null) {
      settlement.onAnnouncement(output, a);
    } else if (earlyAnnouncements.size() < announcement.params().maxParticipants()) {
      earlyAnnouncements.add(a);
    }
  }

  private boolean fromCreator(String peer, PoolMessage m) {
    if (!peer.equals(announcement.creatorPeerId()) || !m.verify(announcement.creatorPublicKey())) {
      reject(peer, m.type() + " not from the pool's creator or not signed by its key", true);
      return false;
    }
    return true;
  }

  private boolean fromMember(String peer, P2PMessage env, String key, PoolMessage m) {
    int i = ctx == null ? -1 : ctx.indexOf(key);
    if (i < 0) {
      reject(peer, m.type() + " from a key that is not a member of the current round", true);
      return false;
    }
    ParticipantRegistration r = ctx.members().get(i);
    // a message the creator passed on: the creator's envelope, the author's signed payload
    boolean relayed =
        peer.equals(announcement.creatorPeerId()) && svc.network.localPeerId().equals(env.to());
    if ((!peer.equals(r.peerId()) && !relayed) || !m.verify(key)) {
      reject(peer, m.type() + " of participant " + i + " from another peer or badly signed", true);
      return false;
    }
    return true;
  }

  private void onAck(RegistrationAck a) {
    if (phase != SwapPhase.REGISTRATION) {
      return;
    }
    if (a.accepted()) {
      svc.events.emit(new SwapSigEvent.PoolJoined(poolId(), registration.publicKey()));
    } else {
      fail("registration refused by the creator: " + a.reason());
    }
  }

  private void onAbort(String peer, P2PMessage env, PoolAbort a) {
    boolean byCreator = a.publicKey().equals(announcement.creatorPublicKey());
    if (byCreator) {
      if (!fromCreator(peer, a)) {
        return;
      }
      if (phase.compareTo(SwapPhase.SETUP_CONFIRM) >= 0) {
        // once setup transactions are out, only participants can stop the pool
        reject(peer, "the creator cannot abort a pool after setup", false);
        return;
      }
      abort("aborted by the creator: " + a.reason(), false);
      return;
    }
    if (fromMember(peer, env, a.publicKey(), a)) {
      abort("aborted by participant " + ctx.indexOf(a.publicKey()) + ": " + a.reason(), false);
    }
  }

  // --- roster

  private void onRoster(Roster r) {
    if (phase.isTerminal() || phase.compareTo(SwapPhase.SETUP) > 0) {
      return;
    }
    intake.offer(r, ctx);
  }

  @Override
  public void excluded(String reason) {
    abort(reason, false);
  }

  @Override
  public void rosterRefused(String reason) {
    reject(announcement.creatorPeerId(), reason, true);
  }

  @Override
  public void rosterAccepted(Roster r) {
    if (!phase.isTerminal() && phase.compareTo(SwapPhase.SETUP) <= 0) {
      acceptRound(r);
    }
  }

  private void acceptRound(Roster r) {
    List<ParticipantRegistration> ordered = RosterOrder.order(poolId(), r.participants());
    int me = ordered.indexOf(registration);
    stopStages();
    ctx =
        new RoundContext(
            announcement, r.round(), ordered, RosterOrder.plan(announcement, ordered), me, signerKey,
            encryption, request, salt);
    rounds.put(r.round(), ctx);
    earlyReveals.removeIf(d -> d.round() < r.round());
    setPhase(SwapPhase.SETUP);
    svc.events.emit(new SwapSigEvent.RosterAccepted(poolId(), r.round(), ordered.size(), me));
    setup = new SetupStage(svc, ctx, this);
    try {
      released.put(r.round(), setup.submit());
    } catch (RuntimeException e) {
      fail("could not build the setup transaction: " + e.getMessage());
      return;
    }
    rearm(
        announcement.params().setupTimeout().multipliedBy(2),
        Set.of(SwapPhase.SETUP),
        "the creator sent no setup-complete within twice the setup timeout");
  }

  // --- stage reports

  @Override
  public void setupBroadcast(List<String> txids) {
    setPhase(SwapPhase.SETUP_CONFIRM);
    cancelDeadline();
  }

  @Override
  public void setupConfirmed(List<String> txids) {
    setupTxids = txids;
    svc.events.emit(new SwapSigEvent.SetupComplete(poolId()));
    setPhase(SwapPhase.REVEAL);
    rearm(
        announcement.params().settlementTimeout(),
        Set.of(SwapPhase.REVEAL, SwapPhase.SETTLEMENT),
        "the settlements were not signed within the settlement timeout");
    reveal = new RevealStage(svc, ctx, this);
    reveal.start();
    List<DestinationReveal> early = new ArrayList<>(earlyReveals);
    earlyReveals.clear();
    early.forEach(reveal::onReveal);
  }

  @Override
  public void revealed(Map<Integer, Script> destinations) {
    svc.events.emit(new SwapSigEvent.RevealComplete(poolId()));
    setPhase(SwapPhase.SETTLEMENT);
    settlement = new SettlementStage(svc, ctx, setupTxids, destinations, this);
    settlement.start();
    List<SessionAnnouncement> early = new ArrayList<>(earlyAnnouncements);
    earlyAnnouncements.clear();
    for (SessionAnnouncement a : early) {
      settlement.onAnnouncement(a.metadata().path("outputIndex").asInt(-1), a);
    }
  }

  @Override
  public void releasing() {
    setPhase(SwapPhase.SETTLEMENT_CONFIRM);
    rearm(
        announcement.params().setupConfirmTimeout(),
        Set.of(SwapPhase.SETTLEMENT_CONFIRM),
        "the payout did not confirm within the setup confirmation timeout");
  }

  @Override
  public void paid(String txid, long amount) {
    cancelDeadline();
    setPhase(SwapPhase.COMPLETE);
    svc.events.emit(new SwapSigEvent.PoolComplete(poolId(), txid));
    svc.events.complete(outcome, new SwapOutcome(poolId(), SwapOutcome.Status.COMPLETED, txid, amount, null), null);
    // the settlements this node co-signs may still need it as a fallback broadcaster
    deadline = svc.after(announcement.params().setupConfirmTimeout(), this::settlementFinished);
  }

  @Override
  public void settlementFinished() {
    if (phase == SwapPhase.COMPLETE && settlement != null) {
      cancelDeadline();
      stopStages();
      settlement = null;
      forgetRefunds();
      onFinished.run();
    }
  }

  @Override
  public void fail(String reason) {
    abort(reason, true);
  }

  @Override
  public void notFunded() {
    svc.events.complete(
        outcome, new SwapOutcome(poolId(), SwapOutcome.Status.ABORTED, null, 0, abortReason), null);
  }

  @Override
  public void refunded(String txid, long amount) {
    svc.events.complete(outcome, new SwapOutcome(poolId(), SwapOutcome.Status.REFUNDED, txid, amount, abortReason), null);
  }

  @Override
  public void refundFinished() {
    forgetRefunds();
    onFinished.run();
  }

  /** Nothing of the pool can move this node's funds any more: its journal entries go. */
  private void forgetRefunds() {
    if (svc.journal != null) {
      svc.journal.removePool(poolId());
    }
  }

  @Override
  public void settled(String txid) {
    if (settlement != null && !outcome.isDone()) {
      // our output was settled; the payout may still come
      LOG.info("pool {}: own shared output settled by {} after the abort", poolId(), txid);
    }
    svc.events.complete(
        outcome,
        new SwapOutcome(poolId(), SwapOutcome.Status.FAILED, null, 0,
            abortReason + "; the shared output was spent by " + txid),
        null);
  }

  // --- abort

  void abort(String reason, boolean notify) {
    if (phase.isTerminal()) {
      return;
    }
    LOG.info("pool {}: {}", poolId(), reason);
    abortReason = reason;
    cancelDeadline();
    boolean triggered = settlement != null && settlement.triggered();
    SettlementStage held = settlement;
    stopStages();
    setPhase(SwapPhase.ABORTED);
    svc.events.emit(new SwapSigEvent.PoolAborted(poolId(), reason));
    if (notify) {
      PoolAbort a = new PoolAbort(poolId(), truncate(reason), registration.publicKey(), svc.now(), null);
      Set<String> to = new HashSet<>();
      to.add(announcement.creatorPeerId());
      if (ctx != null) {
        ctx.members().forEach(m -> to.add(m.peerId()));
      }
      to.remove(svc.network.localPeerId());
      to.forEach(p -> svc.outbox.send(p, a, signerKey));
    }
    refund =
        new RefundStage(svc, rounds, released, () -> triggered ? held.releasableOwnSettlement() : null, this);
    refund.start();
  }

  void close() {
    stopStages();
    if (refund != null) {
      refund.stop();
    }
    cancelDeadline();
    svc.events.complete(
        outcome, null, new IllegalStateException("the SwapSig manager was closed before the pool ended"));
  }

  private static String truncate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500);
  }

  // --- helpers

  private void rearm(java.time.Duration d, Set<SwapPhase> phases, String why) {
    cancelDeadline();
    deadline = svc.after(d, () -> {
      if (phases.contains(phase)) {
        fail(why);
      }
    });
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private void stopStages() {
    if (setup != null) {
      setup.stop();
    }
    if (reveal != null) {
      reveal.stop();
    }
    if (settlement != null) {
      settlement.stop();
    }
  }

  private void setPhase(SwapPhase next) {
    if (phase != next) {
      SwapPhase old = phase;
      phase = next;
      svc.events.emit(new SwapSigEvent.PhaseChanged(poolId(), false, old, next));
    }
  }

  private void reject(String peer, String reason, boolean violation) {
    svc.events.emit(new SwapSigEvent.MessageRejected(poolId(), peer, reason, violation));
  }
}
