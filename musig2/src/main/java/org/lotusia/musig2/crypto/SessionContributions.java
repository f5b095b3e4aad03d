package org.lotusia.musig2.crypto;

import java.util.ArrayList;
import java.util.List;
import org.lotusia.chain.crypto.Secp256k1;

/**
 * The contributions a {@link MuSig2Session} collects, one slot per signer index: the public nonces
 * and the partial signatures. It checks each contribution on its own (the index is in range and not
 * the local signer's, the signer has not contributed already, a partial signature verifies or, in
 * deferred mode, is a scalar below n) and names the signer at fault; the order of the phases is
 * {@link SessionPhases}' concern.
 *
 * <p>Not thread-safe: confined to its session, which calls it under its own monitor.
 */
final class SessionContributions {

  private final SessionEngine engine;
  private final int localIndex;
  private final PublicNonce[] nonces;
  private final byte[][] partials;
  private final boolean deferPartialVerification;
  /** Which remote partial signatures were accepted without verification (deferred mode). */
  private final boolean[] unverified;

  SessionContributions(
      SessionEngine engine, int signers, int localIndex, boolean deferPartialVerification) {
    this.engine = engine;
    this.localIndex = localIndex;
    this.nonces = new PublicNonce[signers];
    this.partials = new byte[signers][];
    this.deferPartialVerification = deferPartialVerification;
    this.unverified = new boolean[signers];
  }

  /**
   * @throws IllegalArgumentException for the local index or an index out of range
   */
  void requireRemote(int signerIndex) {
    if (signerIndex < 0 || signerIndex >= nonces.length) {
      throw new IllegalArgumentException(
          "signer index " + signerIndex + " out of range [0, " + nonces.length + ")");
    }
    if (signerIndex == localIndex) {
      throw new IllegalArgumentException("signer index " + signerIndex + " is the local signer");
    }
  }

  // --- nonces

  /**
   * @return whether every nonce is now known
   */
  boolean putLocalNonce(PublicNonce nonce) {
    nonces[localIndex] = nonce;
    return complete(nonces);
  }

  /**
   * Stores a remote signer's decoded nonce; the index was checked by {@link #requireRemote}.
   *
   * @return whether every nonce is now known
   * @throws IllegalStateException if this signer's nonce was already received
   */
  boolean acceptNonce(int signerIndex, PublicNonce decoded) {
    if (nonces[signerIndex] != null) {
      throw new IllegalStateException(
          "nonce of signer "
              + signerIndex
              + " was already received"
              + (nonces[signerIndex].equals(decoded) ? "" : " (and differs: equivocation)"));
    }
    nonces[signerIndex] = decoded;
    return complete(nonces);
  }

  /**
   * @return the nonces in signer order; only once every nonce is known
   */
  List<PublicNonce> nonces() {
    return List.of(nonces);
  }

  List<Integer> missingNonces() {
    return missing(nonces);
  }

  // --- partial signatures

  /**
   * @return whether every partial signature is now known
   */
  boolean putLocalPartial(byte[] psig) {
    partials[localIndex] = psig;
    return complete(partials);
  }

  /**
   * Checks and stores a remote signer's partial signature (see {@link
   * MuSig2Session#receivePartialSignature}); the index was checked by {@link #requireRemote}.
   *
   * @return whether every partial signature is now known
   * @throws InvalidContributionException if it does not verify or, deferred, is not a scalar
   * @throws IllegalStateException if this signer's partial signature was already accepted
   */
  boolean acceptPartial(int signerIndex, byte[] partialSignature) {
    if (partials[signerIndex] != null) {
      throw new IllegalStateException(
          "partial signature of signer " + signerIndex + " was already accepted");
    }
    if (deferPartialVerification) {
      if (partialSignature == null
          || partialSignature.length != 32
          || Scalars.toInt(partialSignature).compareTo(Secp256k1.N) >= 0) {
        throw new InvalidContributionException(
            Contribution.PSIG, signerIndex, "partial signature is not a 32-byte scalar below n");
      }
      unverified[signerIndex] = true;
    } else if (!engine.verifyPartial(partialSignature, nonces[signerIndex], signerIndex)) {
      throw new InvalidContributionException(
          Contribution.PSIG, signerIndex, "partial signature does not verify");
    }
    partials[signerIndex] = partialSignature.clone();
    return complete(partials);
  }

  /**
   * @return the partial signatures in signer order; only once every one is known
   */
  List<byte[]> partials() {
    return List.of(partials);
  }

  List<Integer> missingPartialSignatures() {
    return missing(partials);
  }

  /**
   * Verifies each partial signature accepted without verification; drops the invalid ones (their
   * signers may still send a valid one) and names the first.
   *
   * @return the first invalid one, or {@code null} if every deferred partial signature verifies
   */
  InvalidContributionException firstInvalidDeferred() {
    InvalidContributionException first = null;
    for (int i = 0; i < partials.length; i++) {
      if (!unverified[i]) {
        continue;
      }
      if (engine.verifyPartial(partials[i], nonces[i], i)) {
        unverified[i] = false;
      } else {
        partials[i] = null;
        unverified[i] = false;
        if (first == null) {
          first =
              new InvalidContributionException(
                  Contribution.PSIG, i, "partial signature does not verify");
        }
      }
    }
    return first;
  }

  private static boolean complete(Object[] arr) {
    for (Object o : arr) {
      if (o == null) {
        return false;
      }
    }
    return true;
  }

  private static List<Integer> missing(Object[] arr) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < arr.length; i++) {
      if (arr[i] == null) {
        out.add(i);
      }
    }
    return out;
  }
}
