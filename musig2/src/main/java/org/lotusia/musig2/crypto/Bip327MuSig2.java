package org.lotusia.musig2.crypto;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.crypto.Secp256k1Provider;

/**
 * MuSig2 as specified by BIP327: KeySort, KeyAgg with the second-key rule, ApplyTweak (plain and
 * x-only), NonceGen, NonceAgg with infinity encoded as 33 zero bytes, GetSessionValues, Sign,
 * PartialSigVerify, PartialSigAgg and DeterministicSign. The aggregate signature is a BIP340
 * signature over the x-only aggregate key ({@link Bip340#verify}).
 *
 * <p>Nonce generation always draws fresh randomness; the algorithm with caller-supplied randomness
 * exists only as {@link #nonceGenWithRandomnessForTests}. Signing consumes the {@link SecretNonce}.
 * Stateless and thread-safe.
 */
public final class Bip327MuSig2 {
  private static final BigInteger N = Scalars.N;

  private final Secp256k1Provider curve;

  /**
   * @param curve the secp256k1 provider to compute with
   */
  public Bip327MuSig2(Secp256k1Provider curve) {
    this.curve = Objects.requireNonNull(curve, "curve");
  }

  /**
   * @return an instance on the default (BouncyCastle) provider
   */
  public static Bip327MuSig2 withDefaultProvider() {
    return new Bip327MuSig2(Secp256k1.defaultProvider());
  }

  /**
   * @return the curve provider in use
   */
  public Secp256k1Provider curve() {
    return curve;
  }

  /**
   * KeySort: the keys in lexicographical byte order.
   *
   * @param publicKeys 33-byte keys
   * @return a sorted copy
   */
  public static List<byte[]> keySort(List<byte[]> publicKeys) {
    List<byte[]> out = new ArrayList<>(publicKeys.size());
    for (byte[] k : publicKeys) {
      out.add(k.clone());
    }
    out.sort(Arrays::compareUnsigned);
    return out;
  }

  /**
   * KeyAgg over the keys in the given order.
   *
   * @param publicKeys 33-byte compressed keys, at least one
   * @return the context with {@code gacc = 1, tacc = 0}
   * @throws InvalidContributionException naming the index of an invalid key
   * @throws IllegalArgumentException if the aggregate is infinity
   */
  public Bip327KeyAggContext keyAgg(List<byte[]> publicKeys) {
    if (publicKeys == null || publicKeys.isEmpty()) {
      throw new IllegalArgumentException("key aggregation needs at least one public key");
    }
    int u = publicKeys.size();
    EcPoint[] points = new EcPoint[u];
    for (int i = 0; i < u; i++) {
      points[i] = Points.cpoint(curve, publicKeys.get(i), Contribution.PUBKEY, i);
    }
    List<byte[]> keys = Bip327KeyAggContext.copyKeys(publicKeys);
    byte[] listHash = TaggedHasher.KEYAGG_LIST.hash(keys.toArray(new byte[0][]));
    byte[] pk2 = new byte[33];
    for (byte[] k : keys) {
      if (!Arrays.equals(k, keys.get(0))) {
        pk2 = k;
        break;
      }
    }
    BigInteger[] coeffs = new BigInteger[u];
    for (int i = 0; i < u; i++) {
      coeffs[i] =
          Arrays.equals(keys.get(i), pk2)
              ? BigInteger.ONE
              : Scalars.toInt(TaggedHasher.KEYAGG_COEFF.hash(listHash, keys.get(i))).mod(N);
    }
    EcPoint q = curve.sumOfMultiplies(points, coeffs); // one multi-scalar multiplication
    if (q.isInfinity()) {
      throw new IllegalArgumentException("aggregate public key is the point at infinity");
    }
    return new Bip327KeyAggContext(keys, points, coeffs, q, BigInteger.ONE, BigInteger.ZERO);
  }

  /**
   * ApplyTweak.
   *
   * @param ctx the context to tweak
   * @param tweak 32-byte tweak, below n
   * @param xOnly true for an x-only (BIP341-style) tweak, false for a plain tweak
   * @return the tweaked context
   * @throws IllegalArgumentException "The tweak must be less than n." or "The result of tweaking
   *     cannot be infinity."
   */
  public Bip327KeyAggContext applyTweak(Bip327KeyAggContext ctx, byte[] tweak, boolean xOnly) {
    if (tweak == null || tweak.length != 32) {
      throw new IllegalArgumentException("The tweak must be 32 bytes.");
    }
    BigInteger g =
        xOnly && !ctx.aggregateKey().hasEvenY() ? N.subtract(BigInteger.ONE) : BigInteger.ONE;
    BigInteger t = Scalars.toInt(tweak);
    if (t.compareTo(N) >= 0) {
      throw new IllegalArgumentException("The tweak must be less than n.");
    }
    EcPoint q2 = curve.mulAdd(t, g, ctx.aggregateKey());
    if (q2.isInfinity()) {
      throw new IllegalArgumentException("The result of tweaking cannot be infinity.");
    }
    return ctx.withTweak(q2, g.multiply(ctx.gacc()).mod(N), t.add(g.multiply(ctx.tacc())).mod(N));
  }

  /**
   * KeyAgg followed by ApplyTweak for each tweak.
   *
   * @param publicKeys the individual keys
   * @param tweaks 32-byte tweaks (may be empty)
   * @param xOnly one mode per tweak
   * @return the final context
   */
  public Bip327KeyAggContext keyAgg(
      List<byte[]> publicKeys, List<byte[]> tweaks, List<Boolean> xOnly) {
    if (tweaks.size() != xOnly.size()) {
      throw new IllegalArgumentException("one tweak mode per tweak is required");
    }
    Bip327KeyAggContext ctx = keyAgg(publicKeys);
    for (int i = 0; i < tweaks.size(); i++) {
      ctx = applyTweak(ctx, tweaks.get(i), xOnly.get(i));
    }
    return ctx;
  }

  // --- nonces

  /**
   * NonceGen with fresh randomness.
   *
   * @param secretKey the signer's secret key, or null
   * @param publicKey the signer's 33-byte key (mandatory)
   * @param aggregateXOnlyKey the 32-byte x-only aggregate key, or null
   * @param message the message, or null
   * @param extraIn auxiliary input, or null
   * @param random the randomness source
   * @return a one-shot secret nonce
   */
  public SecretNonce nonceGen(
      byte[] secretKey,
      byte[] publicKey,
      byte[] aggregateXOnlyKey,
      byte[] message,
      byte[] extraIn,
      SecureRandom random) {
    byte[] rand = new byte[32];
    Objects.requireNonNull(random, "random").nextBytes(rand);
    try {
      return nonceGenInternal(rand, secretKey, publicKey, aggregateXOnlyKey, message, extraIn);
    } finally {
      Scalars.wipe(rand);
    }
  }

  /**
   * NonceGen with the "fresh" randomness {@code rand'} supplied by the caller, so the BIP327
   * nonce_gen vectors can be checked. For tests only: a repeated {@code rand'} repeats the nonce
   * and leaks the secret key.
   *
   * @param rand 32 bytes standing in for fresh randomness
   * @param secretKey the secret key, or null
   * @param publicKey the 33-byte individual key
   * @param aggregateXOnlyKey 32-byte x-only aggregate key, or null
   * @param message the message, or null
   * @param extraIn auxiliary input, or null
   * @return the secret nonce BIP327 defines for these inputs
   */
  public SecretNonce nonceGenWithRandomnessForTests(
      byte[] rand,
      byte[] secretKey,
      byte[] publicKey,
      byte[] aggregateXOnlyKey,
      byte[] message,
      byte[] extraIn) {
    return nonceGenInternal(rand, secretKey, publicKey, aggregateXOnlyKey, message, extraIn);
  }

  private SecretNonce nonceGenInternal(
      byte[] randPrime, byte[] sk, byte[] pk, byte[] aggpk, byte[] m, byte[] extraIn) {
    if (randPrime == null || randPrime.length != 32) {
      throw new IllegalArgumentException("randomness must be 32 bytes");
    }
    if (pk == null || pk.length != 33) {
      throw new IllegalArgumentException("individual public key must be 33 bytes");
    }
    if (sk != null && sk.length != 32) {
      throw new IllegalArgumentException("secret key must be 32 bytes");
    }
    if (aggpk != null && aggpk.length != 32) {
      throw new IllegalArgumentException("x-only aggregate key must be 32 bytes");
    }
    byte[] rand =
        sk != null ? Scalars.xor(sk, TaggedHasher.AUX.hash(randPrime)) : randPrime.clone();
    byte[] agg = aggpk == null ? new byte[0] : aggpk;
    byte[] mPrefixed =
        m == null
            ? new byte[] {0}
            : Points.concat(new byte[] {1}, ByteBuffer.allocate(8).putLong(m.length).array(), m);
    byte[] extra = extraIn == null ? new byte[0] : extraIn;
    byte[] body =
        Points.concat(
            rand,
            new byte[] {(byte) pk.length},
            pk,
            new byte[] {(byte) agg.length},
            agg,
            mPrefixed,
            ByteBuffer.allocate(4).putInt(extra.length).array(),
            extra);
    BigInteger k1 = Scalars.toInt(TaggedHasher.NONCE.hash(body, new byte[] {0})).mod(N);
    BigInteger k2 = Scalars.toInt(TaggedHasher.NONCE.hash(body, new byte[] {1})).mod(N);
    Scalars.wipe(rand);
    Scalars.wipe(body);
    if (k1.signum() == 0 || k2.signum() == 0) {
      throw new IllegalStateException("nonce scalar is zero");
    }
    return new SecretNonce(k1, k2, pk, new PublicNonce(curve.mulG(k1), curve.mulG(k2)));
  }

  /**
   * NonceAgg.
   *
   * @param pubnonces 66-byte public nonces, one per signer
   * @return the aggregate nonce (halves may be infinity)
   * @throws InvalidContributionException naming the signer whose nonce is invalid
   */
  public AggregateNonce nonceAgg(List<byte[]> pubnonces) {
    List<PublicNonce> decoded = new ArrayList<>(pubnonces.size());
    for (int i = 0; i < pubnonces.size(); i++) {
      decoded.add(PublicNonce.decode(curve, pubnonces.get(i), i));
    }
    return nonceAggDecoded(decoded);
  }

  /**
   * NonceAgg over already decoded nonces.
   *
   * @param nonces public nonces, at least one
   * @return the aggregate nonce
   */
  public AggregateNonce nonceAggDecoded(List<PublicNonce> nonces) {
    if (nonces.isEmpty()) {
      throw new IllegalArgumentException("cannot aggregate zero nonces");
    }
    EcPoint r1 = EcPoint.INFINITY;
    EcPoint r2 = EcPoint.INFINITY;
    for (PublicNonce n : nonces) {
      r1 = curve.add(r1, n.r1());
      r2 = curve.add(r2, n.r2());
    }
    return new AggregateNonce(r1, r2);
  }

  // --- session

  /**
   * GetSessionValues.
   *
   * @param ctx the (tweaked) key context
   * @param aggNonce the aggregate nonce
   * @param message the message, any length
   * @return {@code b}, {@code R}, {@code e}
   */
  public Bip327SessionValues sessionValues(
      Bip327KeyAggContext ctx, AggregateNonce aggNonce, byte[] message) {
    Objects.requireNonNull(message, "message");
    byte[] xq = ctx.xOnlyKey();
    BigInteger b =
        Scalars.toInt(TaggedHasher.NONCE_COEF.hash(aggNonce.encode(), xq, message)).mod(N);
    EcPoint r = curve.add(aggNonce.r1(), curve.mul(aggNonce.r2(), b));
    if (r.isInfinity()) {
      r = Secp256k1.G; // BIP327 "Dealing with Infinity in Nonce Aggregation"
    }
    BigInteger e = Scalars.toInt(TaggedHasher.BIP340_CHALLENGE.hash(r.xOnly(), xq, message)).mod(N);
    return new Bip327SessionValues(aggNonce, b, r, e, message);
  }

  /**
   * Sign. Consumes the secret nonce (also when signing fails) and verifies the result before
   * returning it.
   *
   * @param nonce the unused secret nonce
   * @param secretKey the 32-byte secret key
   * @param ctx the key context
   * @param values the session values
   * @return the 32-byte partial signature
   * @throws IllegalStateException if the nonce was used before
   * @throws IllegalArgumentException for an out-of-range nonce or key, a key that does not match
   *     the nonce, or a key that is not in the context
   */
  public byte[] sign(
      SecretNonce nonce, byte[] secretKey, Bip327KeyAggContext ctx, Bip327SessionValues values) {
    BigInteger[] k = nonce.consume();
    if (k[0].signum() == 0 || k[0].compareTo(N) >= 0) {
      throw new IllegalArgumentException("first secnonce value is out of range.");
    }
    if (k[1].signum() == 0 || k[1].compareTo(N) >= 0) {
      throw new IllegalArgumentException("second secnonce value is out of range.");
    }
    boolean evenR = values.finalNonce().hasEvenY();
    BigInteger k1 = evenR ? k[0] : N.subtract(k[0]);
    BigInteger k2 = evenR ? k[1] : N.subtract(k[1]);
    BigInteger d0 = Scalars.secretKey(secretKey);
    // BIP327 derives pk = cbytes(d*G) and compares it with secnonce[64:97]; the self-verification
    // below
    // rejects a mismatching key just the same, without the extra fixed-base multiplication.
    byte[] pk = nonce.publicKey();
    int index = ctx.indexOf(pk);
    if (index < 0) {
      throw new IllegalArgumentException(
          "The signer's pubkey must be included in the list of pubkeys.");
    }
    BigInteger a = ctx.coefficient(index);
    BigInteger g = ctx.aggregateKey().hasEvenY() ? BigInteger.ONE : N.subtract(BigInteger.ONE);
    BigInteger d = g.multiply(ctx.gacc()).multiply(d0).mod(N);
    BigInteger s =
        k1.add(values.nonceCoefficient().multiply(k2))
            .add(values.challenge().multiply(a).multiply(d))
            .mod(N);
    byte[] psig = Scalars.to32(s);
    PublicNonce pub = nonce.publicNonceOrNull();
    if (pub == null) {
      pub = new PublicNonce(curve.mulG(k[0]), curve.mulG(k[1]));
    }
    if (!partialVerify(psig, pub, ctx, index, values)) {
      throw new IllegalArgumentException(
          "partial signature does not verify: the secret key does not match the"
              + " public key of the secret nonce (or a computation fault occurred)");
    }
    return psig;
  }

  /**
   * Verifies signer {@code signerIndex}'s partial signature, with the parameters in their old order.
   *
   * @param psig the 32-byte partial signature
   * @param pubNonce that signer's public nonce
   * @param signerIndex the signer's sorted index
   * @param ctx the key context
   * @param values the session values
   * @return whether it is valid
   * @deprecated use {@link #partialVerify(byte[], PublicNonce, Bip327KeyAggContext, int, Bip327SessionValues)}, whose
   *     parameters follow {@code partialSign}'s order (context, then signer index)
   */
  @Deprecated(since = "0.1.0")
  public boolean partialVerify(
      byte[] psig, PublicNonce pubNonce, int signerIndex, Bip327KeyAggContext ctx, Bip327SessionValues values) {
    return partialVerify(psig, pubNonce, ctx, signerIndex, values);
  }

  /**
   * PartialSigVerifyInternal for signer {@code signerIndex} of the context.
   *
   * @param psig the 32-byte partial signature
   * @param pubNonce that signer's public nonce
   * @param ctx the key context
   * @param signerIndex the signer's index in {@link Bip327KeyAggContext#publicKeys()}
   * @param values the session values
   * @return whether it is valid
   */
  public boolean partialVerify(
      byte[] psig,
      PublicNonce pubNonce,
      Bip327KeyAggContext ctx,
      int signerIndex,
      Bip327SessionValues values) {
    LotusMuSig2.requireIndex(signerIndex, ctx.size());
    if (psig == null || psig.length != 32) {
      return false;
    }
    BigInteger s = Scalars.toInt(psig);
    if (s.compareTo(N) >= 0) {
      return false;
    }
    EcPoint re = curve.add(pubNonce.r1(), curve.mul(pubNonce.r2(), values.nonceCoefficient()));
    if (!values.finalNonce().hasEvenY()) {
      re = re.negate();
    }
    BigInteger g = ctx.aggregateKey().hasEvenY() ? BigInteger.ONE : N.subtract(BigInteger.ONE);
    BigInteger eag =
        values
            .challenge()
            .multiply(ctx.coefficient(signerIndex))
            .multiply(g)
            .multiply(ctx.gacc())
            .mod(N);
    return curve.mulAdd(s, Scalars.neg(eag), ctx.point(signerIndex)).equals(re);
  }

  /**
   * PartialSigVerify with the full BIP327 argument list.
   *
   * @param psig the partial signature
   * @param pubnonces all 66-byte public nonces
   * @param publicKeys all individual keys (same order as the nonces)
   * @param tweaks tweaks
   * @param xOnly tweak modes
   * @param message the message
   * @param signerIndex the signer to check
   * @return whether the partial signature is valid
   * @throws InvalidContributionException for an invalid key or nonce (naming its signer)
   */
  public boolean partialSigVerify(
      byte[] psig,
      List<byte[]> pubnonces,
      List<byte[]> publicKeys,
      List<byte[]> tweaks,
      List<Boolean> xOnly,
      byte[] message,
      int signerIndex) {
    if (pubnonces.size() != publicKeys.size()) {
      throw new IllegalArgumentException("one public nonce per public key is required");
    }
    LotusMuSig2.requireIndex(signerIndex, publicKeys.size());
    AggregateNonce agg = nonceAgg(pubnonces);
    Bip327KeyAggContext ctx = keyAgg(publicKeys, tweaks, xOnly);
    Bip327SessionValues values = sessionValues(ctx, agg, message);
    return partialVerify(
        psig,
        PublicNonce.decode(curve, pubnonces.get(signerIndex), signerIndex),
        signerIndex,
        ctx,
        values);
  }

  /**
   * PartialSigAgg: the 64-byte BIP340 signature.
   *
   * @param psigs the partial signatures
   * @param ctx the (tweaked) key context
   * @param values the session values
   * @return {@code xbytes(R) || bytes(32, s)}
   * @throws InvalidContributionException naming a partial signature that is not below n
   */
  public byte[] partialSigAgg(
      List<byte[]> psigs, Bip327KeyAggContext ctx, Bip327SessionValues values) {
    if (psigs.isEmpty()) {
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
    BigInteger g = ctx.aggregateKey().hasEvenY() ? BigInteger.ONE : N.subtract(BigInteger.ONE);
    s = s.add(values.challenge().multiply(g).multiply(ctx.tacc())).mod(N);
    return Points.concat(values.finalNonce().xOnly(), Scalars.to32(s));
  }

  /**
   * The result of {@link #deterministicSign}.
   *
   * @param publicNonce the signer's public nonce, to be sent with the partial signature
   * @param partialSignature the 32-byte partial signature
   */
  public record DeterministicSignature(PublicNonce publicNonce, byte[] partialSignature) {}

  /**
   * DeterministicSign (BIP327 "Deterministic and Stateless Signing for a Single Signer"): only for
   * the one signer who contributes its nonce last, after seeing the aggregate of all other nonces.
   *
   * @param secretKey the 32-byte secret key
   * @param aggOtherNonce the 66-byte aggregate of all other signers' nonces (no infinity)
   * @param publicKeys the individual keys
   * @param tweaks tweaks
   * @param xOnly tweak modes
   * @param message the message
   * @param rand optional 32 bytes of auxiliary randomness, or null
   * @return the public nonce and the partial signature
   */
  public DeterministicSignature deterministicSign(
      byte[] secretKey,
      byte[] aggOtherNonce,
      List<byte[]> publicKeys,
      List<byte[]> tweaks,
      List<Boolean> xOnly,
      byte[] message,
      byte[] rand) {
    Scalars.secretKey(secretKey);
    byte[] skPrime =
        rand != null ? Scalars.xor(secretKey, TaggedHasher.AUX.hash(rand)) : secretKey.clone();
    Bip327KeyAggContext ctx = keyAgg(publicKeys, tweaks, xOnly);
    byte[] aggpk = ctx.xOnlyKey();
    if (aggOtherNonce == null || aggOtherNonce.length != 66) {
      throw new InvalidContributionException(Contribution.AGGOTHERNONCE, -1, "expected 66 bytes");
    }
    byte[] body =
        Points.concat(
            skPrime,
            aggOtherNonce,
            aggpk,
            ByteBuffer.allocate(8).putLong(message.length).array(),
            message);
    BigInteger k1 = Scalars.toInt(TaggedHasher.DET_NONCE.hash(body, new byte[] {0})).mod(N);
    BigInteger k2 = Scalars.toInt(TaggedHasher.DET_NONCE.hash(body, new byte[] {1})).mod(N);
    Scalars.wipe(skPrime);
    Scalars.wipe(body);
    if (k1.signum() == 0 || k2.signum() == 0) {
      throw new IllegalStateException("nonce scalar is zero");
    }
    PublicNonce pub = new PublicNonce(curve.mulG(k1), curve.mulG(k2));
    byte[] pk = curve.mulG(Scalars.toInt(secretKey)).encodeCompressed();
    SecretNonce secnonce = new SecretNonce(k1, k2, pk, pub);
    PublicNonce other =
        new PublicNonce(
            Points.cpoint(
                curve, Points.slice(aggOtherNonce, 0, 33), Contribution.AGGOTHERNONCE, -1),
            Points.cpoint(
                curve, Points.slice(aggOtherNonce, 33, 66), Contribution.AGGOTHERNONCE, -1));
    AggregateNonce agg = nonceAggDecoded(List.of(pub, other));
    Bip327SessionValues values = sessionValues(ctx, agg, message);
    return new DeterministicSignature(pub, sign(secnonce, secretKey, ctx, values));
  }
}
