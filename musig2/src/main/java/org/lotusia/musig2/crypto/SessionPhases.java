package org.lotusia.musig2.crypto;

import java.security.SecureRandom;
import org.lotusia.chain.crypto.Secp256k1Provider;
import org.lotusia.musig2.crypto.MuSig2Session.Phase;

/**
 * The phase state machine of a {@link MuSig2Session} and the local signer's secrets. It moves
 * {@link Phase#KEYS_KNOWN} -> {@link Phase#NONCES_EXCHANGED} when the last nonce is known and ->
 * {@link Phase#COMPLETE} when the last partial signature is, refuses every input in the wrong phase,
 * and aborts on an error that leaves the session unable to finish. It owns the local secret nonce
 * (generated once, consumed by the one local signature) and the copy of the secret key, and wipes
 * both when the session completes or aborts.
 *
 * <p>Not thread-safe: confined to its session, which calls it under its own monitor.
 */
final class SessionPhases {

  private final SessionEngine engine;
  private final SessionContributions contributions;
  private final Secp256k1Provider curve;
  private final int localIndex;
  private final byte[] message;
  private final SecureRandom random;
  private final byte[] secretKey;

  private Phase phase = Phase.KEYS_KNOWN;
  private SecretNonce localNonce;
  private boolean signed;
  private byte[] finalSignature;

  /**
   * @param secretKey the session's own copy of the local secret key; this object wipes it
   * @param message the message being signed; never modified
   */
  SessionPhases(
      SessionEngine engine,
      SessionContributions contributions,
      Secp256k1Provider curve,
      byte[] secretKey,
      int localIndex,
      byte[] message,
      SecureRandom random) {
    this.engine = engine;
    this.contributions = contributions;
    this.curve = curve;
    this.secretKey = secretKey;
    this.localIndex = localIndex;
    this.message = message;
    this.random = random;
  }

  Phase phase() {
    return phase;
  }

  // --- phase 1: nonces

  /** See {@link MuSig2Session#generateNonce()}. */
  byte[] generateNonce() {
    requirePhase(Phase.KEYS_KNOWN, "generate a nonce");
    if (localNonce != null) {
      throw new IllegalStateException(
          "the local nonce was already generated; a session has exactly one");
    }
    localNonce = engine.nonceGen(secretKey, localIndex, message, random);
    if (contributions.putLocalNonce(localNonce.publicNonce())) {
      aggregateNonces();
    }
    return localNonce.publicNonce().encode();
  }

  /** See {@link MuSig2Session#receiveNonce(int, byte[])}. */
  void receiveNonce(int signerIndex, byte[] publicNonce) {
    requirePhase(Phase.KEYS_KNOWN, "receive a nonce");
    contributions.requireRemote(signerIndex);
    PublicNonce decoded = PublicNonce.decode(curve, publicNonce, signerIndex);
    if (contributions.acceptNonce(signerIndex, decoded)) {
      aggregateNonces();
    }
  }

  private void aggregateNonces() {
    try {
      engine.aggregateNonces(contributions.nonces());
    } catch (RuntimeException e) {
      abortInternal();
      throw e;
    }
    phase = Phase.NONCES_EXCHANGED;
  }

  // --- phase 2: partial signatures

  /** See {@link MuSig2Session#sign()}. */
  byte[] sign() {
    requirePhase(Phase.NONCES_EXCHANGED, "sign");
    if (signed) {
      throw new IllegalStateException("the local signer already signed; its nonce is destroyed");
    }
    signed = true;
    byte[] psig;
    try {
      psig = engine.sign(localNonce, secretKey, localIndex);
    } catch (RuntimeException e) {
      abortInternal(); // the nonce is spent: this session can never produce a signature
      throw e;
    }
    if (contributions.putLocalPartial(psig)) {
      finish();
    }
    return psig.clone();
  }

  /** See {@link MuSig2Session#receivePartialSignature(int, byte[])}. */
  void receivePartialSignature(int signerIndex, byte[] partialSignature) {
    requirePhase(Phase.NONCES_EXCHANGED, "receive a partial signature");
    contributions.requireRemote(signerIndex);
    if (contributions.acceptPartial(signerIndex, partialSignature)) {
      finish();
    }
  }

  private void finish() {
    try {
      finalSignature = engine.aggregateSignatures(contributions.partials());
    } catch (IllegalStateException e) {
      // the sum does not verify: in deferred mode some unverified partial is invalid
      InvalidContributionException culprit = contributions.firstInvalidDeferred();
      if (culprit == null) {
        abortInternal();
        throw e;
      }
      throw culprit;
    } catch (RuntimeException e) {
      abortInternal();
      throw e;
    }
    phase = Phase.COMPLETE;
    wipeSecrets();
  }

  // --- phase 3: result

  /** See {@link MuSig2Session#finalSignature()}. */
  byte[] finalSignature() {
    requirePhase(Phase.COMPLETE, "read the final signature");
    return finalSignature.clone();
  }

  /** See {@link MuSig2Session#abort()}. */
  void abort() {
    if (phase != Phase.COMPLETE) {
      abortInternal();
    }
  }

  private void abortInternal() {
    phase = Phase.ABORTED;
    wipeSecrets();
  }

  private void wipeSecrets() {
    if (localNonce != null) {
      localNonce.destroy();
    }
    Scalars.wipe(secretKey);
  }

  private void requirePhase(Phase required, String action) {
    if (phase != required) {
      throw new IllegalStateException(
          "cannot " + action + " in phase " + phase + " (requires " + required + ")");
    }
  }
}
