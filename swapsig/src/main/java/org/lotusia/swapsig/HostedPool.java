package org.lotusia.swapsig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.swapsig.plan.PoolPlan;
import org.lotusia.swapsig.plan.SetupCheck;
import org.lotusia.swapsig.wire.ParticipantDropped;
import org.lotusia.swapsig.wire.ParticipantRegistration;
import org.lotusia.swapsig.wire.PoolAbort;
import org.lotusia.swapsig.wire.PoolAnnouncement;
import org.lotusia.swapsig.wire.RegistrationAck;
import org.lotusia.swapsig.wire.Roster;
import org.lotusia.swapsig.wire.SetupComplete;
import org.lotusia.swapsig.wire.SetupSubmission;
import org.lotusia.swapsig.wire.SwapSigMessageTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The creator's side of a pool: collects and checks registrations, closes the roster, collects the
 * signed setup transactions, excludes participants that hand in none or a wrong one (a new round,
 * before anything is broadcast), hands every setup transaction to every participant, and relays
 * messages between participants that cannot reach each other. The creator decides who takes part,
 * never who signs or pays what, and never holds funds. Confined to the service thread.
 */
final class HostedPool {

  private static final Logger LOG = LoggerFactory.getLogger(HostedPool.class);
  private static final int RELAY_BUDGET = 64;

  private final Services svc;
  private final PoolAnnouncement announcement;
  private final PrivateKey creatorKey;
  private final Runnable onFinished;
  private final Map<String, ParticipantRegistration> accepted = new LinkedHashMap<>();
  private final Map<String, ParticipantRegistration> checking = new HashMap<>();
  private final Map<String, Integer> relayed = new HashMap<>();
  private final Map<String, String> peersOfKeys = new HashMap<>();
  private SwapPhase phase = SwapPhase.DISCOVERY;
  private int round;
  private List<ParticipantRegistration> ordered = List.of();
  private PoolPlan plan;
  private Transaction[] submitted;
  private boolean checkingCoins;
  private ScheduledFuture<?> timer;

  HostedPool(Services svc, PoolAnnouncement announcement, PrivateKey creatorKey, Runnable onFinished) {
    this.svc = svc;
    this.announcement = announcement;
    this.creatorKey = creatorKey;
    this.onFinished = onFinished;
  }

  String poolId() {
    return announcement.poolId();
  }

  PoolAnnouncement announcement() {
    return announcement;
  }

  SwapPhase phase() {
    return phase;
  }

  void start() {
    long wait = announcement.expiresAt() - svc.now();
    timer = svc.after(java.time.Duration.ofMillis(wait), this::registrationClosed);
  }

  // --- registration

  void onRegistration(String peer, ParticipantRegistration r) {
    String refusal = refusal(peer, r);
    if (refusal != null) {
      if (!refusal.isEmpty()) {
        ack(peer, r.publicKey(), false, refusal);
      }
      return;
    }
    checking.put(r.publicKey(), r);
    svc.hop(
        RegistrationCheck.onChain(svc.chain, List.of(r)),
        (res, err) -> {
          checking.remove(r.publicKey());
          if (phase != SwapPhase.DISCOVERY && phase != SwapPhase.REGISTRATION) {
            ack(peer, r.publicKey(), false, "registration closed while the input was checked");
            return;
          }
          Optional<String> p = err != null ? Optional.of("chain unavailable: " + err) : res.get(0);
          if (p.isPresent()) {
            ack(peer, r.publicKey(), false, p.get());
            return;
          }
          accepted.put(r.publicKey(), r);
          setPhase(SwapPhase.REGISTRATION);
          ack(peer, r.publicKey(), true, null);
          svc.events.emit(new SwapSigEvent.ParticipantJoined(poolId(), r.publicKey(), peer));
          if (accepted.size() >= announcement.params().maxParticipants()) {
            newRound(List.of());
          }
        });
  }

  /** Why a registration is refused; "" to ignore it silently (a repeat); null to check it. */
  private String refusal(String peer, ParticipantRegistration r) {
    if (phase != SwapPhase.DISCOVERY && phase != SwapPhase.REGISTRATION) {
      return "registration is closed";
    }
    if (!peer.equals(r.peerId())) {
      return "registration must come from the peer it names";
    }
    ParticipantRegistration known = accepted.getOrDefault(r.publicKey(), checking.get(r.publicKey()));
    if (known != null) {
      if (known.equals(r)) {
        if (accepted.containsKey(r.publicKey())) {
          ack(peer, r.publicKey(), true, null);
        }
        return "";
      }
      return "signer key already registered";
    }
    for (ParticipantRegistration o : all()) {
      if (o.peerId().equals(peer)) {
        return "peer already registered";
      }
      if (o.input().equals(r.input())) {
        return "input already registered";
      }
    }
    if (accepted.size() + checking.size() >= announcement.params().maxParticipants()) {
      return "pool is full";
    }
    return RegistrationCheck.offline(r, announcement).orElse(null);
  }

  private List<ParticipantRegistration> all() {
    List<ParticipantRegistration> l = new ArrayList<>(accepted.values());
    l.addAll(checking.values());
    return l;
  }

  private void registrationClosed() {
    if (phase != SwapPhase.DISCOVERY && phase != SwapPhase.REGISTRATION) {
      return;
    }
    int min = announcement.params().minParticipants();
    if (accepted.size() < min) {
      abort("registration closed with " + accepted.size() + " of the " + min + " participants needed");
    } else {
      newRound(List.of());
    }
  }

  private void ack(String peer, String key, boolean ok, String reason) {
    RegistrationAck a =
        new RegistrationAck(poolId(), svc.network.localPeerId(), key, ok, reason, svc.now(), null);
    svc.outbox.send(peer, a, creatorKey);
  }

  // --- rounds and setup

  private void newRound(List<Roster.Exclusion> exclusions) {
    cancelTimer();
    checkingCoins = false;
    for (Roster.Exclusion x : exclusions) {
      accepted.remove(x.publicKey());
      svc.events.emit(new SwapSigEvent.ParticipantExcluded(poolId(), x.publicKey(), x.reason()));
    }
    int min = announcement.params().minParticipants();
    if (accepted.size() < min) {
      abort("only " + accepted.size() + " of the " + min + " participants needed are left after"
          + " excluding " + exclusions.size() + ": " + reasons(exclusions));
      return;
    }
    if (round >= Roster.MAX_ROUNDS) {
      abort("no valid setup after " + round + " rounds");
      return;
    }
    round++;
    ordered = RosterOrder.order(poolId(), new ArrayList<>(accepted.values()));
    plan = RosterOrder.plan(announcement, ordered);
    submitted = new Transaction[ordered.size()];
    Roster roster =
        new Roster(poolId(), round, new ArrayList<>(accepted.values()), exclusions, svc.now(), null);
    for (ParticipantRegistration r : ordered) {
      svc.outbox.send(r.peerId(), roster, creatorKey);
    }
    // excluded participants get the roster too, so they learn they are out and why
    for (Roster.Exclusion x : exclusions) {
      excludedPeer(x.publicKey()).ifPresent(p -> svc.outbox.send(p, roster, creatorKey));
    }
    if (phase == SwapPhase.REGISTRATION) {
      // the roster is closed for good (a new round returns to SETUP): nobody may join any more, so
      // other nodes stop finding the pool, and the storing peers free this node's quota slot
      svc.network.withdrawResource(SwapSigMessageTypes.POOL_RESOURCE, poolId());
    }
    setPhase(SwapPhase.SETUP);
    timer = svc.after(announcement.params().setupTimeout(), this::setupTimedOut);
  }

  private Optional<String> excludedPeer(String key) {
    return Optional.ofNullable(peersOfKeys.get(key));
  }

  void onSubmission(String peer, SetupSubmission s) {
    if (phase != SwapPhase.SETUP || s.round() != round || checkingCoins) {
      return;
    }
    int i = s.participantIndex();
    if (i >= ordered.size() || !ordered.get(i).publicKey().equals(s.publicKey())) {
      reject(peer, "setup transaction names index " + i + " that is not the sender's");
      return;
    }
    ParticipantRegistration r = ordered.get(i);
    if (!peer.equals(r.peerId()) || !s.verify(r.publicKey())) {
      reject(peer, "setup transaction not signed by participant " + i + " or sent by another peer");
      return;
    }
    Transaction tx;
    try {
      tx = Transaction.fromHex(s.rawTx());
    } catch (IllegalArgumentException e) {
      exclude(r, "its setup transaction does not parse: " + e.getMessage());
      return;
    }
    Optional<String> problem =
        tx.txid().equals(s.txId())
            ? SetupCheck.problem(plan, i, tx, r.inputAmount())
            : Optional.of("txId does not match the transaction");
    if (problem.isPresent()) {
      exclude(r, "its setup transaction " + problem.get());
      return;
    }
    submitted[i] = tx;
    for (Transaction t : submitted) {
      if (t == null) {
        return;
      }
    }
    cancelTimer();
    checkCoinsThenComplete();
  }

  /**
   * Checks every member's coin on the chain again before the setup set goes out: a coin spent
   * since registration would make its setup transaction fail after the others' funds moved (they
   * would all wait for refunds), so its owner is excluded while nothing is broadcast. If Chronik
   * cannot be reached the set goes out anyway; each participant checks its broadcasts.
   */
  private void checkCoinsThenComplete() {
    checkingCoins = true;
    int checkedRound = round;
    List<ParticipantRegistration> members = ordered;
    svc.hop(
        RegistrationCheck.onChain(svc.chain, members),
        (res, err) -> {
          if (phase != SwapPhase.SETUP || round != checkedRound) {
            return;
          }
          checkingCoins = false;
          List<Roster.Exclusion> out = new ArrayList<>();
          for (int i = 0; err == null && i < members.size(); i++) {
            int k = i;
            res.get(i).ifPresent(problem -> out.add(new Roster.Exclusion(
                members.get(k).publicKey(), "its coin changed before the setup completed: " + problem)));
          }
          if (!out.isEmpty()) {
            remember(out);
            newRound(out);
          } else {
            completeSetup();
          }
        });
  }

  private void completeSetup() {
    List<String> raw = new ArrayList<>();
    for (Transaction t : submitted) {
      raw.add(t.toHex());
    }
    SetupComplete done = new SetupComplete(poolId(), round, raw, svc.now(), null);
    for (ParticipantRegistration m : ordered) {
      svc.outbox.send(m.peerId(), done, creatorKey);
    }
    setPhase(SwapPhase.SETUP_CONFIRM);
    // stay to relay reveals until the pool's last deadline
    PoolParameters p = announcement.params();
    timer = svc.after(p.setupConfirmTimeout().plus(p.settlementTimeout()), this::finish);
  }

  private void setupTimedOut() {
    if (phase != SwapPhase.SETUP) {
      return;
    }
    List<Roster.Exclusion> out = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      if (submitted[i] == null) {
        out.add(new Roster.Exclusion(
            ordered.get(i).publicKey(),
            "handed in no setup transaction within " + announcement.params().setupTimeout().toMillis() + " ms"));
      }
    }
    remember(out);
    newRound(out);
  }

  private void exclude(ParticipantRegistration r, String reason) {
    List<Roster.Exclusion> x = List.of(new Roster.Exclusion(r.publicKey(), reason));
    remember(x);
    newRound(x);
  }

  private void remember(List<Roster.Exclusion> x) {
    for (Roster.Exclusion e : x) {
      ParticipantRegistration r = accepted.get(e.publicKey());
      if (r != null) {
        peersOfKeys.put(e.publicKey(), r.peerId());
      }
    }
  }

  void onDropped(String peer, ParticipantDropped d) {
    if (phase != SwapPhase.SETUP || d.round() != round) {
      return;
    }
    ParticipantRegistration reporter = member(d.publicKey());
    ParticipantRegistration accused = member(d.accusedKey());
    if (reporter == null || accused == null || !peer.equals(reporter.peerId()) || !d.verify(d.publicKey())) {
      reject(peer, "participant-dropped not from a member of round " + round);
      return;
    }
    svc.hop(
        RegistrationCheck.onChain(svc.chain, List.of(accused)),
        (res, err) -> {
          if (err == null && res.get(0).isPresent() && phase == SwapPhase.SETUP && d.round() == round
              && member(accused.publicKey()) != null) {
            exclude(accused, res.get(0).get());
          }
        });
  }

  void onMemberAbort(String peer, PoolAbort a) {
    ParticipantRegistration r = accepted.get(a.publicKey());
    if (r == null || !peer.equals(r.peerId()) || !a.verify(a.publicKey())) {
      return;
    }
    if (phase == SwapPhase.SETUP || phase == SwapPhase.REGISTRATION) {
      if (phase == SwapPhase.REGISTRATION) {
        accepted.remove(a.publicKey());
        return;
      }
      exclude(r, "it left the pool: " + a.reason());
    }
  }

  private ParticipantRegistration member(String key) {
    for (ParticipantRegistration r : ordered) {
      if (r.publicKey().equals(key)) {
        return r;
      }
    }
    return null;
  }

  // --- relay

  /** Passes on an envelope addressed to another member; false when it is not allowed. */
  boolean relay(String fromPeer, P2PMessage envelope) {
    boolean fromMember = ordered.stream().anyMatch(r -> r.peerId().equals(fromPeer));
    boolean toMember = ordered.stream().anyMatch(r -> r.peerId().equals(envelope.to()));
    int used = relayed.getOrDefault(fromPeer, 0);
    if (!fromMember || !toMember || used >= RELAY_BUDGET || fromPeer.equals(envelope.to())) {
      return false;
    }
    relayed.put(fromPeer, used + 1);
    svc.outbox.forward(envelope);
    return true;
  }

  // --- end

  void abort(String reason) {
    if (phase == SwapPhase.ABORTED) {
      return;
    }
    LOG.info("pool {} aborted by its creator: {}", poolId(), reason);
    PoolAbort a =
        new PoolAbort(poolId(), reason, HexFormat.of().formatHex(creatorKey.publicKeyBytes()), svc.now(), null);
    for (ParticipantRegistration r : all()) {
      svc.outbox.send(r.peerId(), a, creatorKey);
    }
    setPhase(SwapPhase.ABORTED);
    svc.events.emit(new SwapSigEvent.PoolAborted(poolId(), reason));
    finish();
  }

  void finish() {
    cancelTimer();
    onFinished.run();
  }

  private void reject(String peer, String reason) {
    svc.events.emit(new SwapSigEvent.MessageRejected(poolId(), peer, reason, true));
  }

  private void setPhase(SwapPhase next) {
    if (phase != next) {
      SwapPhase old = phase;
      phase = next;
      svc.events.emit(new SwapSigEvent.PhaseChanged(poolId(), true, old, next));
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private static String reasons(List<Roster.Exclusion> x) {
    return x.stream().map(Roster.Exclusion::reason).reduce((a, b) -> a + "; " + b).orElse("none");
  }
}
