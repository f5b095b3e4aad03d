package org.lotusia.musig2.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.crypto.Secp256k1Provider;

/**
 * MuSig2 in lotus-sdk's Lotus-Schnorr variant, byte-compatible with lotus-sdk 0.2.x: key
 * aggregation over auto-sorted 33-byte keys with lotus-sdk's second-key rule, nonce aggregation,
 * the nonce coefficient over {@code cbytes(Q) || R1 || R2 || m}, the quadratic-residue nonce rule,
 * partial signing and verification, and aggregation into a 64-byte Lotus Schnorr signature {@code
 * R.x || s}.
 *
 * <p>Deliberate differences from lotus-sdk (none changes a value another party sees): nonce
 * generation always mixes in fresh randomness; a secret nonce signs once; signing checks that the
 * secret key belongs to the chosen signer; partial signatures must be canonical ({@code s < n});
 * 65-byte keys are refused; the aggregated signature is verified before it is returned. For Taproot
 * contexts (see {@link LotusMuSig2Taproot}) the signer at sorted index 0 adds {@code e*t} exactly
 * as lotus-sdk does.
 *
 * <p>Stateless and thread-safe.
 */
public final class LotusMuSig2 {
  private static final BigInteger N = Scalars.N;
  private static final byte[] ZERO32 = new byte[32];

  private final Secp256k1Provider curve;

  /**
   * @param curve the secp256k1 provider to compute with
   */
  public LotusMuSig2(Secp256k1Provider curve) {
    this.curve = Objects.requireNonNull(curve, "curve");
  }

  /**
   * @return an instance on the default (BouncyCastle) provider
   */
  public static LotusMuSig2 withDefaultProvider() {
    return new LotusMuSig2(Secp256k1.defaultProvider());
  }

  /**
   * @return the curve provider in use
   */
  public Secp256k1Provider curve() {
    return curve;
  }

  // --- key aggregation (reference 1.3)

  /**
   * Aggregates public keys: sorts them bytewise, hashes the list, computes each coefficient and
   * {@code Q = sum (a_i mod n) * S[i]}. Duplicates are allowed (the second copy of {@code S[0]} at
   * index 1 gets coefficient 1, as in lotus-sdk).
   *
   * @param publicKeys 33-byte compressed keys in any order, at least one
   * @return the context; signer indices refer to the sorted order
   * @throws InvalidContributionException naming the (input-order) index of a key that is not a
   *     valid point
   * @throws IllegalArgumentException if the list is empty or the aggregate is infinity
   */
  public LotusKeyAggContext keyAgg(List<byte[]> publicKeys) {
    if (publicKeys == null || publicKeys.isEmpty()) {
      throw new IllegalArgumentException("key aggregation needs at least one public key");
    }
    int u = publicKeys.size();
    EcPoint[] decoded = new EcPoint[u];
    Integer[] order = new Integer[u];
    for (int i = 0; i < u; i++) {
      decoded[i] =
          Points.cpoint(curve, publicKeys.get(i), Contribution.PUBKEY, i); // blame in caller order
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Arrays.compareUnsigned(publicKeys.get(x), publicKeys.get(y)));
    List<byte[]> sorted = new ArrayList<>(u);
    EcPoint[] points = new EcPoint[u];
    for (int i = 0; i < u; i++) {
      sorted.add(publicKeys.get(order[i]).clone());
      points[i] = decoded[order[i]];
    }
    byte[] listHash = TaggedHasher.KEYAGG_LIST.hash(sorted.toArray(new byte[0][]));
    BigInteger[] coeffs = new BigInteger[u];
    BigInteger[] reduced = new BigInteger[u];
    for (int i = 0; i < u; i++) {
      if (i == 1 && Arrays.equals(sorted.get(1), sorted.get(0))) {
        coeffs[i] = BigInteger.ONE; // lotus-sdk's second-key rule (reference 1.3 step 3)
      } else {
        coeffs[i] = Scalars.toInt(TaggedHasher.KEYAGG_COEFF.hash(listHash, sorted.get(i)));
      }
      reduced[i] = coeffs[i].mod(N);
    }
    // one multi-scalar multiplication: with 50 signers 3 to 5 times faster than 50 products
    EcPoint q = curve.sumOfMultiplies(points, reduced);
    if (q.isInfinity()) {
      throw new IllegalArgumentException("aggregate public key is the point at infinity");
    }
    return new LotusKeyAggContext(sorted, points, coeffs, listHash, q, null, q);
  }

  /**
   * Tweaks a context for a key-path-only Lotus Taproot output (merkle root = 32 zero bytes).
   *
   * @param ctx an untweaked context
   * @return the tweaked context; its {@link LotusKeyAggContext#signingKey()} is the output key
   *     {@code Q'}
   */
  public LotusKeyAggContext taproot(LotusKeyAggContext ctx) {
    return LotusMuSig2Taproot.tweak(curve, ctx, new byte[32]);
  }

  /**
   * Tweaks a context for a Lotus Taproot output with a script tree.
   *
   * @param ctx an untweaked context
   * @param merkleRoot the 32-byte script-tree merkle root
   * @return the tweaked context
   */
  public LotusKeyAggContext taproot(LotusKeyAggContext ctx, byte[] merkleRoot) {
    return LotusMuSig2Taproot.tweak(curve, ctx, merkleRoot);
  }

  // --- nonce generation (reference 1.4)

  /**
   * Generates a fresh nonce pair for the signer holding {@code secretKey}. The lotus-sdk
   * construction is used with 32 bytes from {@code random} always mixed into its {@code extra}
   * field (followed by {@code extra} if given), so calling this twice never yields the same nonce.
   *
   * @param secretKey the signer's 32-byte secret key
   * @param ctx the key-aggregation context (its untweaked key enters the hash, as in lotus-sdk)
   * @param message the message to be signed, or null if not yet known
   * @param extra optional extra input, or null
   * @param random the randomness source
   * @return a one-shot secret nonce bound to the signer's public key
   */
  public SecretNonce nonceGen(
      byte[] secretKey, LotusKeyAggContext ctx, byte[] message, byte[] extra, SecureRandom random) {
    return nonceGen(secretKey, -1, ctx, message, extra, random);
  }

  /**
   * Like {@link #nonceGen(byte[], LotusKeyAggContext, byte[], byte[], SecureRandom)} for the signer
   * at a known sorted index, which saves deriving the public key from the secret key. A secret key
   * that does not belong to that signer is detected when signing (the partial signature fails its
   * self-verification).
   *
   * @param secretKey the signer's 32-byte secret key
   * @param signerIndex the signer's sorted index, or -1 to derive it from the secret key
   * @param ctx the key-aggregation context
   * @param message the message to be signed, or null
   * @param extra optional extra input, or null
   * @param random the randomness source
   * @return a one-shot secret nonce bound to the signer's public key
   */
  public SecretNonce nonceGen(
      byte[] secretKey,
      int signerIndex,
      LotusKeyAggContext ctx,
      byte[] message,
      byte[] extra,
      SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] fresh = new byte[32];
    random.nextBytes(fresh);
    byte[] mixed = extra == null ? fresh : Points.concat(fresh, extra);
    return nonceGenInternal(secretKey, signerIndex, ctx, message, mixed);
  }

  /**
   * lotus-sdk's {@code musigNonceGen} exactly, deterministic in its inputs. It exists to reproduce
   * lotus-sdk vectors in tests: using it for real signing leaks the secret key when a session is
   * restarted with the same inputs. Use {@link #nonceGen} instead.
   *
   * @param secretKey the signer's secret key
   * @param ctx the key-aggregation context
   * @param message the message, or null (32 zero bytes are hashed)
   * @param extra the extra input, or null (32 zero bytes are hashed)
   * @return the nonce lotus-sdk would produce
   * @deprecated not part of the signing API: deterministic nonces leak the secret key when a
   *     session is repeated; sign with {@link #nonceGen} or {@code MuSig2Session}. Kept only so
   *     that code compiled against it still links.
   */
  @Deprecated(since = "0.1.0", forRemoval = true)
  public SecretNonce nonceGenDeterministicForTests(
      byte[] secretKey, LotusKeyAggContext ctx, byte[] message, byte[] extra) {
    return nonceGenDeterministic(secretKey, ctx, message, extra);
  }

  /** lotus-sdk's deterministic {@code musigNonceGen}, for its vectors (package tests only). */
  SecretNonce nonceGenDeterministic(
      byte[] secretKey, LotusKeyAggContext ctx, byte[] message, byte[] extra) {
    return nonceGenInternal(secretKey, -1, ctx, message, extra);
  }

  private SecretNonce nonceGenInternal(
      byte[] secretKey, int signerIndex, LotusKeyAggContext ctx, byte[] message, byte[] extra) {
    BigInteger d = Scalars.secretKey(secretKey);
    byte[] pk;
    if (signerIndex < 0) {
      pk = curve.mulG(d).encodeCompressed();
      if (ctx.indexOf(pk) < 0) {
        throw new IllegalArgumentException(
            "the secret key's public key is not among the aggregated keys");
      }
    } else {
      pk = ctx.publicKey(signerIndex);
    }
    byte[] aux =
        TaggedHasher.AUX.hash(
            secretKey,
            ctx.aggregateKey().encodeCompressed(),
            message == null ? ZERO32 : message,
            extra == null ? ZERO32 : extra);
    BigInteger k1 = nonceScalar(aux, 1);
    BigInteger k2 = nonceScalar(aux, 2);
    PublicNonce pub = new PublicNonce(curve.mulG(k1), curve.mulG(k2));
    Scalars.wipe(aux);
    return new SecretNonce(k1, k2, pk, pub);
  }

  private static BigInteger nonceScalar(byte[] aux, int index) {
    BigInteger k = Scalars.toInt(TaggedHasher.NONCE.hash(aux, new byte[] {(byte) index})).mod(N);
    return k.signum() == 0 ? BigInteger.ONE : k;
  }

  // --- nonce aggregation (reference 1.5)

  /**
   * Sums the public nonces. Infinity is refused, as lotus-sdk does.
   *
   * @param nonces one public nonce per signer (order irrelevant)
   * @return the aggregate nonce
   * @throws IllegalArgumentException if the list is empty or a sum is infinity
   */
  public AggregateNonce nonceAgg(List<PublicNonce> nonces) {
    if (nonces == null || nonces.isEmpty()) {
      throw new IllegalArgumentException("cannot aggregate zero nonces");
    }
    EcPoint r1 = EcPoint.INFINITY;
    EcPoint r2 = EcPoint.INFINITY;
    for (PublicNonce n : nonces) {
      r1 = curve.add(r1, n.r1());
      r2 = curve.add(r2, n.r2());
    }
    if (r1.isInfinity() || r2.isInfinity()) {
      throw new IllegalArgumentException(
          "aggregate nonce is the point at infinity (Lotus variant refuses it)");
    }
    return new AggregateNonce(r1, r2);
  }

  // --- session values (reference 1.6)

  /**
   * Computes {@code b}, {@code R}, the QR flag and {@code e} for a session.
   *
   * @param ctx the (possibly Taproot-tweaked) key context
   * @param aggNonce the aggregate nonce
   * @param message the 32-byte message digest
   * @return the session values
   */
  public LotusSessionValues sessionValues(
      LotusKeyAggContext ctx, AggregateNonce aggNonce, byte[] message) {
    Scalars.message32(message);
    if (aggNonce.r1().isInfinity() || aggNonce.r2().isInfinity()) {
      throw new InvalidContributionException(
          Contribution.AGGNONCE, -1, "aggregate nonce is infinity");
    }
    byte[] q = ctx.signingKey().encodeCompressed();
    BigInteger b =
        Scalars.toInt(
            TaggedHasher.NONCE_COEF.hash(
                q, aggNonce.r1().encodeCompressed(), aggNonce.r2().encodeCompressed(), message));
    EcPoint r = curve.add(aggNonce.r1(), curve.mul(aggNonce.r2(), b.mod(N)));
    if (r.isInfinity()) {
      throw new InvalidContributionException(
          Contribution.AGGNONCE, -1, "final nonce R is infinity");
    }
    BigInteger e = LotusSchnorr.challenge(r.xOnly(), q, message);
    return new LotusSessionValues(ctx.signingKey(), aggNonce, b, r, !r.hasSquareY(), e, message);
  }

  // --- partial signing (reference 1.7, 2.3)

  /**
   * Creates the partial signature of the first signer whose key matches {@code secretKey}. Consumes
   * the nonce.
   *
   * @param nonce the signer's unused secret nonce
   * @param secretKey the signer's secret key
   * @param ctx the key context
   * @param values the session values
   * @return the 32-byte partial signature
   * @throws IllegalStateException if the nonce was already used
   * @throws IllegalArgumentException if the key does not belong to the nonce's signer or is out of
   *     range
   */
  public byte[] partialSign(
      SecretNonce nonce, byte[] secretKey, LotusKeyAggContext ctx, LotusSessionValues values) {
    return partialSign(nonce, secretKey, ctx, -1, values);
  }

  /**
   * Creates a partial signature for the signer at {@code signerIndex} (needed only when a key
   * appears twice).
   *
   * @param nonce the signer's unused secret nonce (consumed even if signing then fails)
   * @param secretKey the signer's secret key
   * @param ctx the key context
   * @param signerIndex the sorted index to sign as, or -1 for the first index holding the signer's
   *     key
   * @param values the session values
   * @return the 32-byte partial signature
   */
  public byte[] partialSign(
      SecretNonce nonce,
      byte[] secretKey,
      LotusKeyAggContext ctx,
      int signerIndex,
      LotusSessionValues values) {
    BigInteger[] k = nonce.consume();
    BigInteger d = Scalars.secretKey(secretKey);
    byte[] pk = nonce.publicKey();
    int index = signerIndex < 0 ? ctx.indexOf(pk) : signerIndex;
    if (index < 0) {
      throw new IllegalArgumentException("the nonce's signer is not among the aggregated keys");
    }
    if (!Arrays.equals(ctx.publicKey(index), pk)) {
      throw new IllegalArgumentException(
          "signer index " + index + " holds another public key than the nonce's signer");
    }
    BigInteger kk = k[0].add(values.nonceCoefficient().multiply(k[1])).mod(N);
    if (values.negateNonce()) {
      kk = Scalars.neg(kk);
    }
    BigInteger e = values.challenge();
    BigInteger s = kk.add(e.multiply(ctx.coefficientModN(index)).mod(N).multiply(d)).mod(N);
    if (ctx.isTaproot() && index == 0) {
      s = s.add(e.multiply(ctx.tweakOrNull())).mod(N); // lotus-sdk: sorted index 0 carries e*t
    }
    byte[] psig = Scalars.to32(s);
    PublicNonce pub = nonce.publicNonceOrNull();
    // Self-verification: catches a secret key that does not belong to the signer and computation
    // faults,
    // so an invalid partial (which could leak information) is never released.
    if (pub == null || !partialVerify(psig, pub, ctx, index, values)) {
      throw new IllegalArgumentException(
          "partial signature of signer "
              + index
              + " does not verify: the secret"
              + " key does not belong to that signer (or a computation fault occurred)");
    }
    return psig;
  }

  // --- partial verification
  // (reference 1.8)

  /**
   * Verifies signer {@code signerIndex}'s partial signature, with the parameters in their old order.
   *
   * @param psig the 32-byte partial signature
   * @param pubNonce that signer's public nonce
   * @param signerIndex the signer's sorted index
   * @param ctx the key context
   * @param values the session values
   * @return whether it is valid
   * @deprecated use {@link #partialVerify(byte[], PublicNonce, LotusKeyAggContext, int, LotusSessionValues)}, whose
   *     parameters follow {@code partialSign}'s order (context, then signer index)
   */
  @Deprecated(since = "0.1.0")
  public boolean partialVerify(
      byte[] psig, PublicNonce pubNonce, int signerIndex, LotusKeyAggContext ctx, LotusSessionValues values) {
    return partialVerify(psig, pubNonce, ctx, signerIndex, values);
  }

  /**
   * Verifies signer {@code signerIndex}'s partial signature.
   *
   * @param psig 32-byte partial signature (must be below n)
   * @param pubNonce that signer's public nonce
   * @param ctx the key context
   * @param signerIndex sorted signer index
   * @param values the session values
   * @return whether the partial signature is valid
   */
  public boolean partialVerify(
      byte[] psig,
      PublicNonce pubNonce,
      LotusKeyAggContext ctx,
      int signerIndex,
      LotusSessionValues values) {
    requireIndex(signerIndex, ctx.size());
    if (psig == null || psig.length != 32) {
      return false;
    }
    BigInteger s = Scalars.toInt(psig);
    if (s.compareTo(N) >= 0) {
      return false;
    }
    BigInteger e = values.challenge();
    if (ctx.isTaproot() && signerIndex == 0) {
      s = s.subtract(e.multiply(ctx.tweakOrNull())).mod(N);
    }
    EcPoint ri =
        curve.add(pubNonce.r1(), curve.mul(pubNonce.r2(), values.nonceCoefficient().mod(N)));
    if (values.negateNonce()) {
      ri = ri.negate();
    }
    BigInteger ea = e.multiply(ctx.coefficientModN(signerIndex)).mod(N);
    // s*G - (e*a)*P_i must equal the effective nonce R_i
    EcPoint lhs = curve.mulAdd(s, Scalars.neg(ea), ctx.point(signerIndex));
    return lhs.equals(ri);
  }

  /**
   * Verifies a partial signature and throws naming the signer if it is invalid, with the
   * parameters in their old order.
   *
   * @param psig 32-byte partial signature
   * @param pubNonce that signer's public nonce
   * @param signerIndex sorted signer index
   * @param ctx the key context
   * @param values the session values
   * @throws InvalidContributionException with {@link Contribution#PSIG} and the signer index
   * @deprecated use {@link #requireValidPartial(byte[], PublicNonce, LotusKeyAggContext, int,
   *     LotusSessionValues)}, whose parameters follow {@code partialSign}'s order (context, then
   *     signer index)
   */
  @Deprecated(since = "0.1.0")
  public void requireValidPartial(
      byte[] psig,
      PublicNonce pubNonce,
      int signerIndex,
      LotusKeyAggContext ctx,
      LotusSessionValues values) {
    requireValidPartial(psig, pubNonce, ctx, signerIndex, values);
  }

  /**
   * Verifies a partial signature and throws naming the signer if it is invalid.
   *
   * @param psig 32-byte partial signature
   * @param pubNonce that signer's public nonce
   * @param ctx the key context
   * @param signerIndex sorted signer index
   * @param values the session values
   * @throws InvalidContributionException with {@link Contribution#PSIG} and the signer index
   */
  public void requireValidPartial(
      byte[] psig,
      PublicNonce pubNonce,
      LotusKeyAggContext ctx,
      int signerIndex,
      LotusSessionValues values) {
    if (!partialVerify(psig, pubNonce, ctx, signerIndex, values)) {
      throw new InvalidContributionException(
          Contribution.PSIG, signerIndex, "partial signature does not verify");
    }
  }

  // --- aggregation (reference 1.9)

  /**
   * Sums the partial signatures into the 64-byte Lotus Schnorr signature {@code R.x || s} and
   * verifies it against {@link LotusKeyAggContext#signingKey()}.
   *
   * @param psigs one partial signature per signer
   * @param ctx the key context
   * @param values the session values
   * @return the 64-byte signature
   * @throws InvalidContributionException if a partial signature is not a canonical scalar (names
   *     the index)
   * @throws IllegalStateException if the sum does not verify (some partial was not verified
   *     beforehand)
   */
  public byte[] aggregate(List<byte[]> psigs, LotusKeyAggContext ctx, LotusSessionValues values) {
    if (psigs == null || psigs.isEmpty()) {
      throw new IllegalArgumentException("cannot aggregate zero partial signatures");
    }
    if (psigs.size() != ctx.size()) {
      throw new IllegalArgumentException(
          "expected one partial signature per signer (" + ctx.size() + "), got " + psigs.size());
    }
    BigInteger s = BigInteger.ZERO;
    for (int i = 0; i < psigs.size(); i++) {
      byte[] p = psigs.get(i);
      if (p == null || p.length != 32 || Scalars.toInt(p).compareTo(N) >= 0) {
        throw new InvalidContributionException(
            Contribution.PSIG, i, "not a 32-byte scalar below n");
      }
      s = s.add(Scalars.toInt(p));
    }
    s = s.mod(N);
    if (s.signum() == 0) {
      throw new IllegalStateException("aggregated s is zero");
    }
    byte[] sig = Points.concat(values.finalNonce().xOnly(), Scalars.to32(s));
    if (!LotusSchnorr.verify(curve, sig, ctx.signingKey(), values.message())) {
      throw new IllegalStateException(
          "aggregated signature does not verify: a partial signature is invalid"
              + " (verify each partial to name the signer)");
    }
    return sig;
  }

  /**
   * Verifies a 64-byte Lotus Schnorr signature (the Bitcoin-ABC 2019 scheme lotusd uses).
   *
   * @param signature {@code r || s}
   * @param publicKey the key ({@code Q} or {@code Q'})
   * @param message the 32-byte digest
   * @return whether the signature is valid
   */
  public boolean verify(byte[] signature, EcPoint publicKey, byte[] message) {
    return LotusSchnorr.verify(curve, signature, publicKey, message);
  }

  static void requireIndex(int signerIndex, int size) {
    if (signerIndex < 0 || signerIndex >= size) {
      throw new IllegalArgumentException(
          "signer index " + signerIndex + " out of range [0, " + size + ")");
    }
  }
}
