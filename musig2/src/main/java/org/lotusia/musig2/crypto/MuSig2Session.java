package org.lotusia.musig2.crypto;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.crypto.Secp256k1Provider;

/**
 * One local signer's view of an n-of-n MuSig2 signing session. It walks the phases {@link
 * Phase#KEYS_KNOWN} -> {@link Phase#NONCES_EXCHANGED} -> {@link Phase#COMPLETE} and refuses
 * anything out of order or repeated: a second local nonce, a second nonce or partial signature from
 * the same signer, a partial signature before all nonces are known, a second local signature. The
 * local secret nonce lives only inside the session, signs once and is destroyed; the secret key
 * copy is wiped when the session completes or aborts.
 *
 * <p>Signers are identified by their index in {@link #publicKeys()}: the sorted order of the
 * 33-byte keys (for both variants), or by public key via {@link #signerIndex(byte[])}.
 *
 * <p>Typical 2-of-2 flow: {@code generateNonce()} and send it; {@code receiveNonce(i, nonce)} for
 * the peer; {@code sign()} and send it; {@code receivePartialSignature(i, psig)}; {@code
 * finalSignature()}.
 *
 * <p>Thread-safe: every method is synchronized, so network callbacks on different threads may feed
 * it.
 */
public final class MuSig2Session {

  /** The signature scheme of the session. */
  public enum Variant {
    /**
     * lotus-sdk's Lotus-Schnorr MuSig2 (the default): 64-byte Lotus Schnorr signature under 33-byte
     * Q.
     */
    LOTUS,
    /** BIP327 MuSig2: 64-byte BIP340 signature under the x-only aggregate key. */
    BIP327
  }

  /** Phases of a session. */
  public enum Phase {
    /**
     * Keys are known; nonces are being collected (the local nonce may or may not be generated yet).
     */
    KEYS_KNOWN,
    /** All nonces are known; partial signatures are being created and collected. */
    NONCES_EXCHANGED,
    /** All partial signatures verified; the final signature is available. */
    COMPLETE,
    /** Aborted by the caller or by an unrecoverable error; nothing more is accepted. */
    ABORTED
  }

  private final Variant variant;
  private final SessionEngine engine;
  private final List<byte[]> keys;
  private final int localIndex;
  private final byte[] message;
  private final SessionContributions contributions;
  private final SessionPhases phases;

  private MuSig2Session(Builder b) {
    this.variant = b.variant;
    if (b.publicKeys == null || b.publicKeys.isEmpty()) {
      throw new IllegalArgumentException("a session needs at least one signer public key");
    }
    if (b.publicKeys.size() > b.maxSigners) {
      throw new IllegalArgumentException(
          "too many signers: "
              + b.publicKeys.size()
              + " exceeds the limit of "
              + b.maxSigners
              + " (Builder.maxSigners)");
    }
    Objects.requireNonNull(b.message, "message");
    byte[] secretKey = Objects.requireNonNull(b.secretKey, "secretKey (or it was wiped)").clone();
    try {
      this.engine =
          SessionEngine.create(
              b.variant, b.curve, b.publicKeys, b.message, b.taprootMerkleRoot, b.tweaks, b.xOnly);
      this.keys = engine.publicKeys();
      byte[] localPk = b.curve.mulG(Scalars.secretKey(secretKey)).encodeCompressed();
      this.localIndex = indexIn(keys, localPk);
      if (localIndex < 0) {
        throw new IllegalArgumentException(
            "the local secret key's public key is not among the signers");
      }
    } catch (RuntimeException e) {
      Scalars.wipe(secretKey);
      throw e;
    }
    this.message = b.message.clone();
    SecureRandom random = b.random != null ? b.random : new SecureRandom();
    this.contributions =
        new SessionContributions(engine, keys.size(), localIndex, b.deferPartialVerification);
    this.phases =
        new SessionPhases(engine, contributions, b.curve, secretKey, localIndex, message, random);
  }

  /**
   * @return a builder; the variant defaults to {@link Variant#LOTUS}
   */
  public static Builder builder() {
    return new Builder();
  }

  private static int indexIn(List<byte[]> keys, byte[] pk) {
    for (int i = 0; i < keys.size(); i++) {
      if (Arrays.equals(keys.get(i), pk)) {
        return i;
      }
    }
    return -1;
  }

  // --- queries

  /**
   * @return the session's variant
   */
  public Variant variant() {
    return variant;
  }

  /**
   * @return the current phase
   */
  public synchronized Phase phase() {
    return phases.phase();
  }

  /**
   * @return the signers' keys in signer-index (sorted) order
   */
  public List<byte[]> publicKeys() {
    List<byte[]> out = new ArrayList<>(keys.size());
    for (byte[] k : keys) {
      out.add(k.clone());
    }
    return out;
  }

  /**
   * @return the local signer's index
   */
  public int localIndex() {
    return localIndex;
  }

  /**
   * @param publicKey a signer's 33-byte key
   * @return its signer index
   * @throws IllegalArgumentException if the key is not a signer of this session
   */
  public int signerIndex(byte[] publicKey) {
    int i = indexIn(keys, publicKey);
    if (i < 0) {
      throw new IllegalArgumentException("public key is not a signer of this session");
    }
    return i;
  }

  /**
   * The key the final signature verifies under, named like {@link LotusKeyAggContext#signingKey()}:
   * the 33-byte Lotus key (the Taproot output key when the session is tweaked), or the 32-byte
   * x-only BIP327 key (after any tweaks). Thread-safe; returns a fresh array.
   *
   * @return the key the final signature verifies under
   */
  public byte[] signingKey() {
    return engine.aggregateKey();
  }

  /**
   * The key the final signature verifies under.
   *
   * @return the same bytes as {@link #signingKey()}
   * @deprecated {@link LotusKeyAggContext#aggregateKey()} is the untweaked key while this is the
   *     tweaked one; use {@link #signingKey()}, which means the same key in both classes
   */
  @Deprecated(since = "0.1.0")
  public byte[] aggregateKey() {
    return signingKey();
  }

  /**
   * @return a copy of the message being signed
   */
  public byte[] message() {
    return message.clone();
  }

  /**
   * @return the indices whose nonces are still missing
   */
  public synchronized List<Integer> missingNonces() {
    return contributions.missingNonces();
  }

  /**
   * @return the indices whose partial signatures are still missing
   */
  public synchronized List<Integer> missingPartialSignatures() {
    return contributions.missingPartialSignatures();
  }

  LotusKeyAggContext lotusContext() {
    return ((LotusSessionEngine) engine).context();
  }

  // --- phase 1: nonces

  /**
   * Generates the local nonce (with fresh randomness) and returns its 66-byte public part to send
   * to the other signers. Allowed once, in {@link Phase#KEYS_KNOWN}.
   *
   * @return the 66-byte public nonce
   * @throws IllegalStateException if a nonce was already generated or the phase is wrong
   */
  public synchronized byte[] generateNonce() {
    return phases.generateNonce();
  }

  /**
   * Accepts another signer's 66-byte public nonce.
   *
   * @param signerIndex the sender's signer index
   * @param publicNonce the 66-byte nonce
   * @throws InvalidContributionException if the nonce does not decode (names the signer)
   * @throws IllegalStateException if the phase is wrong or this signer's nonce was already received
   * @throws IllegalArgumentException for the local index or an index out of range
   */
  public synchronized void receiveNonce(int signerIndex, byte[] publicNonce) {
    phases.receiveNonce(signerIndex, publicNonce);
  }

  // --- phase 2: partial signatures

  /**
   * Creates the local partial signature. Consumes the local nonce: a second call fails, whatever
   * happens.
   *
   * @return the 32-byte partial signature to send to the other signers
   * @throws IllegalStateException if not all nonces are known, or the local signer already signed
   */
  public synchronized byte[] sign() {
    return phases.sign();
  }

  /**
   * Accepts and verifies another signer's partial signature.
   *
   * <p>With {@link Builder#deferPartialVerification(boolean)}, a partial signature is only checked
   * to be a scalar below n here; when the last one arrives, the final signature is verified once,
   * and only if it does not verify is every deferred partial signature verified, so that the
   * exception (thrown from the call that delivered the last one) names the signer at fault.
   *
   * @param signerIndex the sender's signer index
   * @param partialSignature 32 bytes
   * @throws InvalidContributionException with {@link Contribution#PSIG} naming the signer if it
   *     does not verify (the session stays open: a valid partial from that signer is still
   *     accepted); in deferred mode it may name another signer than {@code signerIndex}, whose
   *     partial signature is then dropped
   * @throws IllegalStateException if nonces are not all known yet, or this signer's partial was
   *     already accepted
   */
  public synchronized void receivePartialSignature(int signerIndex, byte[] partialSignature) {
    phases.receivePartialSignature(signerIndex, partialSignature);
  }

  // --- phase 3: result

  /**
   * @return the verified 64-byte final signature (Lotus Schnorr or BIP340 by variant)
   * @throws IllegalStateException before {@link Phase#COMPLETE}
   */
  public synchronized byte[] finalSignature() {
    return phases.finalSignature();
  }

  /**
   * Aborts the session: destroys the local nonce and key copy; every later input is refused.
   * Idempotent.
   */
  public synchronized void abort() {
    phases.abort();
  }

  /**
   * @return a description without secret material
   */
  @Override
  public synchronized String toString() {
    return "MuSig2Session["
        + variant
        + ", "
        + keys.size()
        + " signers, local "
        + localIndex
        + ", "
        + phases.phase()
        + "]";
  }

  /** Default limit on the number of signers of a session. */
  public static final int DEFAULT_MAX_SIGNERS = 1000;

  /** Builder of {@link MuSig2Session}. Not thread-safe. */
  public static final class Builder {
    private Variant variant = Variant.LOTUS;
    private List<byte[]> publicKeys;
    private byte[] secretKey;
    private byte[] message;
    private byte[] taprootMerkleRoot;
    private final List<byte[]> tweaks = new ArrayList<>();
    private final List<Boolean> xOnly = new ArrayList<>();
    private Secp256k1Provider curve = Secp256k1.defaultProvider();
    private SecureRandom random;
    private int maxSigners = DEFAULT_MAX_SIGNERS;
    private boolean deferPartialVerification;

    private Builder() {}

    /**
     * Verifies the other signers' partial signatures together instead of one by one (default
     * false). The final signature is verified in every case; partial verification only serves to
     * name a signer whose partial signature is invalid (BIP327: "PartialSigVerify is not required
     * for security"). Deferred, the n−1 partial verifications are replaced by the one verification
     * of the final signature, and done only when that fails. The difference a caller sees: an
     * invalid partial signature is reported when the last one arrives rather than when it arrives
     * (see {@link MuSig2Session#receivePartialSignature}).
     *
     * @param defer whether to defer partial verification
     * @return this
     */
    public Builder deferPartialVerification(boolean defer) {
      this.deferPartialVerification = defer;
      return this;
    }

    /**
     * @param limit the largest number of signers accepted (default {@value #DEFAULT_MAX_SIGNERS});
     *     key aggregation and verification cost grow linearly per signer, so a key list from a peer
     *     is bounded
     * @return this
     */
    public Builder maxSigners(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("maxSigners must be at least 1");
      }
      this.maxSigners = limit;
      return this;
    }

    /**
     * @param v the variant (default LOTUS) @return this
     */
    public Builder variant(Variant v) {
      this.variant = Objects.requireNonNull(v);
      return this;
    }

    /**
     * @param keys all signers' 33-byte keys (any order, local one included) @return this
     */
    public Builder publicKeys(List<byte[]> keys) {
      this.publicKeys = new ArrayList<>(keys);
      return this;
    }

    /**
     * @param sk the local signer's 32-byte secret key (copied) @return this
     */
    public Builder secretKey(byte[] sk) {
      this.secretKey = sk.clone();
      return this;
    }

    /**
     * @param m the message: a 32-byte digest for LOTUS, any length for BIP327 @return this
     */
    public Builder message(byte[] m) {
      this.message = m.clone();
      return this;
    }

    /**
     * Lotus Taproot key-path spend of a key-path-only output (merkle root = 32 zero bytes). @return
     * this
     */
    public Builder taproot() {
      return taproot(new byte[32]);
    }

    /**
     * @param merkleRoot Lotus Taproot script-tree merkle root (32 bytes) @return this
     */
    public Builder taproot(byte[] merkleRoot) {
      this.taprootMerkleRoot = merkleRoot.clone();
      return this;
    }

    /**
     * @param tweak a BIP327 tweak (32 bytes) @param isXOnly x-only or plain @return this
     */
    public Builder tweak(byte[] tweak, boolean isXOnly) {
      tweaks.add(tweak.clone());
      xOnly.add(isXOnly);
      return this;
    }

    /**
     * @param p the secp256k1 provider (default BouncyCastle) @return this
     */
    public Builder provider(Secp256k1Provider p) {
      this.curve = Objects.requireNonNull(p);
      return this;
    }

    /**
     * @param r the randomness source for the nonce (default a new SecureRandom) @return this
     */
    public Builder random(SecureRandom r) {
      this.random = r;
      return this;
    }

    /**
     * @return the session in {@link Phase#KEYS_KNOWN}
     * @throws IllegalArgumentException for missing, duplicate or invalid keys, a secret key that is
     *     not a signer's, or a Lotus message that is not 32 bytes
     */
    public MuSig2Session build() {
      return new MuSig2Session(this);
    }

    /** Wipes the builder's copy of the secret key; call it once the last session has been built. */
    public void wipeSecretKey() {
      Scalars.wipe(secretKey);
      secretKey = null;
    }
  }
}
