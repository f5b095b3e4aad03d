package org.lotusia.musig2.p2p;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lotusia.musig2.crypto.InvalidContributionException;
import org.lotusia.musig2.crypto.MuSig2Session;
import org.lotusia.musig2.p2p.AbortReason.Code;
import org.lotusia.musig2.p2p.wire.NonceCommitment;
import org.lotusia.musig2.p2p.wire.NonceShare;
import org.lotusia.musig2.p2p.wire.PartialSignatureShare;

/**
 * The two MuSig2 rounds of one session, with the optional commitment round before the first.
 * Contributions go to the local {@link MuSig2Session}, which verifies them and refuses anything out
 * of order; every failure becomes an abort that names the signer at fault: an invalid or
 * uncommitted nonce, a second different nonce or commitment (equivocation), a partial signature
 * that does not verify (partial signatures are verified together once the last is in: the final
 * signature is checked, and only when it fails each partial, to name the culprit). The record is written with {@code nonceIssued} before the nonce exists and
 * with {@code partialSigned} before the partial signature is released. Confined to the manager's
 * thread.
 */
final class SigningRounds {

  private final ActiveSession s;
  private final MuSig2Session musig;
  private final int n;
  private final byte[][] commitments;
  private final byte[][] nonceOf;
  private final boolean[] partialOf;
  private byte[] ownNonce;
  private byte[] ownDigest;
  private boolean nonceIssued;
  private boolean partialSigned;

  SigningRounds(ActiveSession session, MuSig2Session musig) {
    this.s = session;
    this.musig = musig;
    this.n = session.announcement.requiredSigners();
    this.commitments = new byte[n][];
    this.nonceOf = new byte[n][];
    this.partialOf = new boolean[n];
  }

  boolean nonceIssued() {
    return nonceIssued;
  }

  boolean partialSigned() {
    return partialSigned;
  }

  List<Integer> missingCommitments() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (commitments[i] == null) {
        out.add(i);
      }
    }
    return out;
  }

  /** Issues the local nonce (or its commitment) once every signer is known. */
  void start() {
    nonceIssued = true;
    if (!s.persist()) {
      return; // never generate a nonce whose issue could not be recorded first
    }
    try {
      ownNonce = musig.generateNonce();
    } catch (RuntimeException e) {
      s.abort(AbortReason.of(Code.CRYPTO_FAILURE, "nonce generation failed: " + e.getMessage()),
          true);
      return;
    }
    SessionServices svc = s.services();
    int me = s.localIndex;
    if (s.announcement.nonceCommitments()) {
      commitments[me] =
          NonceCommitment.commit(
              s.id, me, Arrays.copyOfRange(ownNonce, 0, 33), Arrays.copyOfRange(ownNonce, 33, 66));
      s.outbox().toAll(new NonceCommitment(s.id, me, commitments[me], svc.now(), null));
      s.enter(SessionPhase.COMMITMENTS, svc.config.nonceTimeout());
    } else {
      s.outbox().toAll(NonceShare.of(s.id, me, ownNonce, svc.now()));
      s.enter(SessionPhase.NONCES, svc.config.nonceTimeout());
    }
  }

  void onCommitment(int signer, NonceCommitment c) {
    if (commitments[signer] != null) {
      if (!Arrays.equals(commitments[signer], c.commitment())) {
        s.abort(culprit(Code.EQUIVOCATION, " sent two different nonce commitments", signer), true);
      }
      return;
    }
    commitments[signer] = c.commitment();
    if (missingCommitments().isEmpty()) {
      s.outbox().toAll(NonceShare.of(s.id, s.localIndex, ownNonce, s.services().now()));
      s.enter(SessionPhase.NONCES, null); // the nonce timeout covers both steps
    }
  }

  void onNonce(int signer, NonceShare share) {
    byte[] nonce = share.publicNonce();
    if (nonceOf[signer] != null) {
      if (!Arrays.equals(nonceOf[signer], nonce)) {
        s.abort(culprit(Code.EQUIVOCATION, " sent two different nonces", signer), true);
      }
      return;
    }
    if (s.announcement.nonceCommitments()
        && !Arrays.equals(
            commitments[signer], NonceCommitment.commit(s.id, signer, share.r1(), share.r2()))) {
      s.abort(culprit(Code.INVALID_NONCE, "'s nonce does not match its commitment", signer), true);
      return;
    }
    nonceOf[signer] = nonce;
    try {
      musig.receiveNonce(signer, nonce);
    } catch (InvalidContributionException e) {
      s.abort(culprit(Code.INVALID_NONCE, "'s nonce is invalid: " + e.getMessage(), signer), true);
      return;
    } catch (RuntimeException e) {
      s.abort(AbortReason.of(Code.CRYPTO_FAILURE, "nonce aggregation failed: " + e.getMessage()),
          true);
      return;
    }
    if (musig.phase() == MuSig2Session.Phase.NONCES_EXCHANGED) {
      s.services().events.emit(new SessionEvent.NoncesComplete(s.id));
      signAndShare();
    }
  }

  private void signAndShare() {
    partialSigned = true;
    if (!s.persist()) {
      return;
    }
    byte[] psig;
    try {
      psig = musig.sign();
    } catch (RuntimeException e) {
      s.abort(
          AbortReason.of(Code.CRYPTO_FAILURE, "local partial signature failed: " + e.getMessage()),
          true);
      return;
    }
    SessionServices svc = s.services();
    ownDigest = PartialSignatureShare.nonceDigest(allNonces());
    s.outbox().toAll(
        new PartialSignatureShare(s.id, s.localIndex, psig, svc.now(), ownDigest, null));
    s.enter(SessionPhase.PARTIAL_SIGNATURES, svc.config.partialSignatureTimeout());
  }

  void onPartial(int signer, PartialSignatureShare p) {
    if (partialOf[signer]) {
      return; // a second, different partial signature cannot verify; the first one stands
    }
    if (p.nonceDigest() != null && !Arrays.equals(p.nonceDigest(), ownDigest)) {
      // the signer saw other nonces than this node: someone equivocated, not necessarily it
      s.abort(AbortReason.of(Code.INCONSISTENT_NONCES, s.peers().describe(signer)
          + " signed over other nonces than this node received: a signer sent different nonces"
          + " to different participants"), true);
      return;
    }
    try {
      musig.receivePartialSignature(signer, p.partialSignature());
    } catch (InvalidContributionException e) {
      // partials are verified together when the last arrives (SessionFactory), so the culprit
      // may be an earlier sender than this one
      int culprit = e.signer().orElse(signer);
      s.abort(culprit(Code.INVALID_PARTIAL_SIGNATURE, "'s partial signature does not verify",
          culprit), true);
      return;
    } catch (RuntimeException e) {
      s.abort(AbortReason.of(Code.CRYPTO_FAILURE, "signature aggregation failed: "
          + e.getMessage()), true);
      return;
    }
    partialOf[signer] = true;
    if (musig.phase() == MuSig2Session.Phase.COMPLETE) {
      s.finalizer().onSignature(musig.finalSignature());
    }
  }

  private List<byte[]> allNonces() {
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(i == s.localIndex ? ownNonce : nonceOf[i]);
    }
    return out;
  }

  private AbortReason culprit(Code code, String what, int signer) {
    return new AbortReason(code, s.peers().describe(signer) + what, List.of(signer));
  }
}
