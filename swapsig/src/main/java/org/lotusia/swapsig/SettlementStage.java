package org.lotusia.swapsig;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.musig2.p2p.SessionAbortedException;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionOptions;
import org.lotusia.musig2.p2p.SessionResult;
import org.lotusia.musig2.p2p.TransactionSigning;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.swapsig.plan.RingLayout;
import org.lotusia.swapsig.plan.SharedOutput;
import org.lotusia.swapsig.wire.ParticipantRegistration;
import org.lotusia.swapsig.wire.SettlementBroadcast;

/**
 * A participant's settlement round: signs the settlements of the outputs it co-signs with MuSig2
 * (Taproot key path under the refund tree's tweak, SIGHASH_LOTUS 0x61), in ring order, and releases
 * them only when the whole ring is signed.
 *
 * <p>Order: the session of output {@code i} starts only after the session of output {@code i-1}
 * has its signature, at every signer of both (the groups overlap). The funder of output {@code i}
 * (paid by output {@code i+1}) therefore cannot have its payout signed while it withholds its own
 * output's signature. The last output's signature thus proves every settlement is signed: its
 * signers broadcast it (the elected finaliser first, the others after {@link
 * SwapSigConfig#broadcastGrace()}) and tell everyone; every participant that sees it spent on chain
 * broadcasts the settlements it holds. Until then nothing is broadcast, so a failure anywhere
 * leaves every output to its funder's refund. Confined to the service thread.
 */
final class SettlementStage {

  /** Where the stage reports. */
  interface Host {
    /** The settlements are being released (the ring is signed). */
    void releasing();

    /** This participant's payout has its confirmations. */
    void paid(String txid, long amount);

    /** Payout confirmed and every settlement this participant holds is on chain: nothing left. */
    void settlementFinished();

    /** The round cannot go on. */
    void fail(String reason);
  }

  /** A signed settlement held until release. */
  private record Held(Transaction tx, boolean finaliser) {}

  private final Services svc;
  private final RoundContext ctx;
  private final List<String> setupTxids;
  private final Map<Integer, Script> destinations;
  private final Host host;
  private final RingLayout ring;
  private final Map<Integer, Transaction> unsigned = new HashMap<>();
  private final Map<Integer, Held> held = new HashMap<>();
  private final Set<Integer> started = new HashSet<>();
  private final Set<Integer> released = new HashSet<>();
  private final Map<Integer, SessionAnnouncement> announced = new HashMap<>();
  private final Map<Integer, String> sessionIds = new HashMap<>();
  private final Set<Integer> confirmedOutputs = new HashSet<>();
  private final Set<Integer> spentSeen = new HashSet<>();
  private ScheduledFuture<?> poll;
  private boolean triggered;
  private boolean stopped;
  private boolean paid;

  SettlementStage(
      Services svc,
      RoundContext ctx,
      List<String> setupTxids,
      Map<Integer, Script> destinations,
      Host host) {
    this.svc = svc;
    this.ctx = ctx;
    this.setupTxids = List.copyOf(setupTxids);
    this.destinations = Map.copyOf(destinations);
    this.host = host;
    this.ring = ctx.plan().layout();
  }

  void start() {
    for (int o : ring.outputsSignedBy(ctx.me())) {
      unsigned.put(o, ctx.plan().settlement(o, setupTxids.get(o), destinations.get(o)));
    }
    for (int o : ring.outputsSignedBy(ctx.me())) {
      maybeStart(o);
    }
    schedulePoll();
  }

  /** Whether this participant holds a signed settlement of its own output and the ring is signed. */
  Transaction releasableOwnSettlement() {
    Held h = held.get(ctx.me());
    return triggered && h != null ? h.tx() : null;
  }

  // --- sessions

  private boolean ready(int o) {
    int prev = Math.floorMod(o - 1, ring.size());
    return o == 0 || !ring.isSigner(ctx.me(), prev) || held.containsKey(prev);
  }

  private void maybeStart(int o) {
    if (stopped || started.contains(o) || !unsigned.containsKey(o) || !ready(o)) {
      return;
    }
    SharedOutput out = ctx.plan().outputs().get(o);
    byte[] message = ctx.plan().settlementMessage(o, unsigned.get(o));
    if (ring.funder(o) == ctx.me()) {
      started.add(o);
      SessionOptions options =
          SessionOptions.builder().taproot(out.merkleRoot()).metadata(metadata(o)).build();
      svc.hop(
          svc.sessions.create(out.signerKeys(), ctx.signerKey(), message, options),
          (h, err) -> session(o, h, err));
    } else if (announced.containsKey(o)) {
      started.add(o);
      svc.hop(
          svc.sessions.join(announced.get(o), ctx.signerKey(), message),
          (h, err) -> session(o, h, err));
    }
  }

  private ObjectNode metadata(int o) {
    ObjectNode m = JsonNodeFactory.instance.objectNode();
    m.put("transactionType", "swap");
    m.put("swapPhase", "settlement");
    m.put("swapPoolId", ctx.poolId());
    m.put("round", ctx.round());
    m.put("outputIndex", o);
    return m;
  }

  /** A session announcement for this pool and round (checked by the session layer). */
  void onAnnouncement(int o, SessionAnnouncement a) {
    if (stopped || o < 0 || o >= ring.size() || !ring.isSigner(ctx.me(), o) || started.contains(o)) {
      return;
    }
    List<byte[]> want = ctx.plan().outputs().get(o).signerKeys();
    byte[] creatorKey = ctx.members().get(ring.funder(o)).signerKey();
    if (!sameKeys(want, a.signers()) || !Arrays.equals(creatorKey, a.creatorPublicKey())
        || !Arrays.equals(ctx.plan().outputs().get(o).merkleRoot(), a.taprootMerkleRoot())) {
      return;
    }
    announced.put(o, a);
    maybeStart(o);
  }

  private static boolean sameKeys(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    List<byte[]> x = new ArrayList<>(a);
    List<byte[]> y = new ArrayList<>(b);
    x.sort(Arrays::compareUnsigned);
    y.sort(Arrays::compareUnsigned);
    for (int i = 0; i < x.size(); i++) {
      if (!Arrays.equals(x.get(i), y.get(i))) {
        return false;
      }
    }
    return true;
  }

  private void session(int o, SessionHandle h, Throwable err) {
    if (err != null && stopped) {
      return;
    }
    if (err != null) {
      host.fail("the settlement session of output " + o + " could not start: " + err.getMessage());
      return;
    }
    sessionIds.put(o, h.sessionId());
    if (stopped) {
      svc.sessions.abort(h.sessionId(), "the pool was aborted");
      return;
    }
    svc.hop(h.result(), (r, e) -> signed(o, h, r, e));
  }

  private void signed(int o, SessionHandle h, SessionResult r, Throwable err) {
    if (stopped) {
      return;
    }
    if (err != null) {
      String why = err instanceof SessionAbortedException a ? a.getMessage() : String.valueOf(err);
      host.fail("the settlement session of output " + o + " aborted: " + why);
      return;
    }
    Transaction tx = TransactionSigning.withKeyPathSignature(unsigned.get(o), 0, r.signature());
    if (!TransactionSigning.verifyKeyPathSpend(tx, ctx.plan().spent(o), 0)) {
      host.fail("the settlement signature of output " + o + " does not verify");
      return;
    }
    held.put(o, new Held(tx, r.broadcasterIndex() == h.localIndex()));
    svc.events.emit(new SwapSigEvent.SettlementSigned(ctx.poolId(), o, tx.txid()));
    int next = (o + 1) % ring.size();
    if (ring.isSigner(ctx.me(), next)) {
      maybeStart(next);
    }
    if (o == ring.size() - 1) {
      trigger();
      if (held.get(o).finaliser()) {
        announceLast(tx);
      }
    }
  }

  // --- release

  /** A hint that the last settlement was broadcast; the chain decides. */
  void onHint(SettlementBroadcast m) {
    if (m.outputIndex() == ring.size() - 1) {
      checkLast();
    }
  }

  private void schedulePoll() {
    if (!stopped) {
      poll = svc.after(svc.config.pollInterval(), () -> {
        if (!triggered) {
          checkLast();
        } else {
          checkPaid();
          checkHeld();
        }
        schedulePoll();
      });
    }
  }

  private void checkLast() {
    int last = ring.size() - 1;
    svc.hop(
        spender(last),
        (keyPath, err) -> {
          if (err == null && Boolean.TRUE.equals(keyPath)) {
            trigger();
          }
        });
  }

  /** Whether the shared output is spent by a key-path (settlement) spend; null while unspent. */
  private java.util.concurrent.CompletableFuture<Boolean> spender(int o) {
    return svc.chain
        .tx(setupTxids.get(o))
        .thenCompose(
            t -> {
              if (t.isEmpty() || t.get().outputs().isEmpty() || !t.get().outputs().get(0).isSpent()) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
              }
              String by = t.get().outputs().get(0).spentBy().txid();
              return svc.chain
                  .tx(by)
                  .thenApply(
                      s ->
                          s.isPresent()
                              && s.get().inputs().size() == 1
                              && s.get().inputs().get(0).inputScript().length() == 132);
            });
  }

  private void trigger() {
    if (triggered || stopped) {
      return;
    }
    triggered = true;
    host.releasing();
    for (Map.Entry<Integer, Held> e : held.entrySet()) {
      int o = e.getKey();
      if (e.getValue().finaliser()) {
        broadcast(o);
      } else {
        svc.after(svc.config.broadcastGrace(), () -> broadcastUnlessSpent(o));
      }
    }
    checkPaid();
  }

  private void broadcastUnlessSpent(int o) {
    svc.hop(
        spender(o),
        (keyPath, err) -> {
          if (err != null || keyPath == null) {
            broadcast(o);
          }
        });
  }

  private void broadcast(int o) {
    if (stopped || !released.add(o)) {
      return;
    }
    Transaction tx = held.get(o).tx();
    svc.hop(
        svc.chain.broadcast(tx),
        (txid, err) -> {
          if (err == null) {
            svc.events.emit(new SwapSigEvent.SettlementTxBroadcast(ctx.poolId(), o, txid, tx.toHex()));
            watchConfirmation(o, txid);
          } else {
            released.remove(o);
          }
        });
  }

  private void announceLast(Transaction tx) {
    SettlementBroadcast m =
        new SettlementBroadcast(
            ctx.poolId(), ctx.round(), ring.size() - 1, tx.txid(), ctx.myKeyHex(), svc.now(), null);
    for (ParticipantRegistration r : ctx.members()) {
      if (!r.publicKey().equals(ctx.myKeyHex())) {
        svc.outbox.send(r.peerId(), m, ctx.signerKey());
      }
    }
  }

  private void watchConfirmation(int o, String txid) {
    svc.hop(
        svc.chain.confirmed(txid, ctx.params().requiredConfirmations(), ctx.params().setupConfirmTimeout()),
        (c, err) -> {
          if (err == null && confirmedOutputs.add(o)) {
            svc.events.emit(new SwapSigEvent.SettlementConfirmed(ctx.poolId(), o, txid));
          }
        });
  }

  /** Keeps watching the held settlements after the payout, so a co-signer's duty outlives it. */
  private void checkHeld() {
    for (int o : held.keySet()) {
      if (!spentSeen.contains(o)) {
        svc.hop(
            spender(o),
            (keyPath, err) -> {
              if (err == null && keyPath != null && spentSeen.add(o)) {
                maybeFinished();
              }
            });
      }
    }
    maybeFinished();
  }

  private void maybeFinished() {
    if (paid && !stopped && spentSeen.containsAll(held.keySet())) {
      host.settlementFinished();
    }
  }

  // --- payout

  private void checkPaid() {
    if (paid || stopped) {
      return;
    }
    int p = ring.payingOutput(ctx.me());
    svc.hop(
        svc.chain.tx(setupTxids.get(p)),
        (t, err) -> {
          if (err != null || t.isEmpty() || t.get().outputs().isEmpty() || !t.get().outputs().get(0).isSpent()) {
            return;
          }
          String by = t.get().outputs().get(0).spentBy().txid();
          svc.hop(
              svc.chain.txAndTip(by),
              (tt, e2) -> {
                if (e2 != null || tt.isEmpty() || paid) {
                  return;
                }
                var out = tt.get().tx().outputs();
                boolean mine =
                    out.size() == 1
                        && out.get(0).outputScript().equals(ctx.request().destination().toHex())
                        && out.get(0).value() == ctx.params().payoutAmount();
                if (!mine) {
                  host.fail("the output that pays this participant was spent elsewhere by " + by);
                  return;
                }
                if (tt.get().confirmations() >= ctx.params().requiredConfirmations()) {
                  paid = true;
                  host.paid(by, out.get(0).value());
                  maybeFinished();
                }
              });
        });
  }

  /** Stops polling and broadcasting, and aborts the sessions still signing. */
  void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (poll != null) {
      poll.cancel(false);
    }
    for (Map.Entry<Integer, String> e : sessionIds.entrySet()) {
      if (!held.containsKey(e.getKey())) {
        svc.sessions.abort(e.getValue(), "the pool was aborted").exceptionally(x -> null);
      }
    }
  }

  /** Keeps holding, but stops starting sessions (the pool failed). */
  boolean triggered() {
    return triggered;
  }
}
