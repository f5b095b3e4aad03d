package org.lotusia.chain.crypto;

import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Secp256k1Provider} on bitcoin-core's libsecp256k1 (through ACINQ's secp256k1-kmp JNI
 * binding), the default where its native library loads ({@link Secp256k1#defaultProvider()}).
 * Every result equals {@link BouncyCastleSecp256k1}'s; the few inputs libsecp256k1's public API
 * cannot take (listed at each method) are computed by BouncyCastle.
 *
 * <p>The library is loaded once per process, on first use: loading never throws out of this class;
 * a missing jar, a platform without a bundled library or a library that fails its self-test
 * (it must reproduce {@code G}, and {@code a*G + b*Q} as BouncyCastle computes it) all end as a
 * reason, logged once at debug and returned by {@link #unavailableReason()}.
 *
 * <p>Points produced here keep their 65-byte encoding on the {@link EcPoint}, so passing them back
 * costs no conversion. Thread-safe (libsecp256k1's context is shared read-only).
 */
public final class NativeSecp256k1 implements Secp256k1Provider {

  private static final Logger LOG = LoggerFactory.getLogger(NativeSecp256k1.class);

  private static final BigInteger N = Secp256k1.N;

  private static final BouncyCastleSecp256k1 FALLBACK = BouncyCastleSecp256k1.INSTANCE;

  private static volatile Loaded loaded;

  private final LibSecp256k1 lib;

  /** The outcome of loading: the provider, or the reason there is none. */
  record Loaded(NativeSecp256k1 provider, String failure) {}

  private NativeSecp256k1(LibSecp256k1 lib) {
    this.lib = lib;
  }

  /**
   * The shared instance.
   *
   * @throws IllegalStateException with the reason when the native library is not available
   */
  public static NativeSecp256k1 instance() {
    Loaded l = load();
    if (l.provider() == null) {
      throw new IllegalStateException("native secp256k1 is not available: " + l.failure());
    }
    return l.provider();
  }

  /** True when the native library loaded and passed its self-test on this platform. */
  public static boolean isAvailable() {
    return load().provider() != null;
  }

  /** Why the native library is not available, or empty when it is. */
  public static Optional<String> unavailableReason() {
    return Optional.ofNullable(load().failure());
  }

  /** Library and version, such as {@code libsecp256k1 (ACINQ secp256k1-kmp 0.18.0)}. */
  public String description() {
    return lib.description();
  }

  static Loaded load() {
    Loaded l = loaded;
    if (l == null) {
      synchronized (NativeSecp256k1.class) {
        l = loaded;
        if (l == null) {
          l = probe(AcinqLibSecp256k1::load);
          loaded = l;
          if (l.failure() == null) {
            LOG.debug("native secp256k1 loaded: {}", l.provider().description());
          } else {
            LOG.debug("native secp256k1 not available ({}); BouncyCastle serves", l.failure());
          }
        }
      }
    }
    return l;
  }

  /**
   * Loads a library and checks it. Package-private so a test can hand in a loader that fails, as a
   * platform without the library would, or a library that computes wrong bytes.
   */
  static Loaded probe(Supplier<? extends LibSecp256k1> loader) {
    try {
      NativeSecp256k1 p = new NativeSecp256k1(loader.get());
      p.selfTest();
      return new Loaded(p, null);
    } catch (Throwable t) { // NoClassDefFoundError, UnsatisfiedLinkError, a failed self-test...
      return new Loaded(null, describe(t));
    }
  }

  private static String describe(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null && b.length() < 400; c = c.getCause()) {
      if (b.length() > 0) {
        b.append("; caused by ");
      }
      b.append(c.getClass().getSimpleName());
      if (c.getMessage() != null) {
        b.append(": ").append(c.getMessage());
      }
    }
    return b.toString();
  }

  /** Requires {@code 1*G == G} and one {@code a*G + b*Q} (the recovery path) equal to BC's. */
  private void selfTest() {
    if (!mulG(BigInteger.ONE).equals(Secp256k1.G)) {
      throw new IllegalStateException("self-test: 1*G is not G");
    }
    BigInteger a = new BigInteger("c0ffee".repeat(10), 16);
    BigInteger b = new BigInteger("5eed".repeat(15), 16);
    EcPoint q = FALLBACK.mulG(BigInteger.valueOf(0x1234567));
    if (!mulAdd(a, b, q).equals(FALLBACK.mulAdd(a, b, q))) {
      throw new IllegalStateException("self-test: a*G + b*Q differs from BouncyCastle");
    }
  }

  /** {@code secp256k1_ec_pubkey_create}; k = 0 (mod n) gives infinity without a native call. */
  @Override
  public EcPoint mulG(BigInteger k) {
    BigInteger kk = reduce(k);
    if (kk.signum() == 0) {
      return EcPoint.INFINITY;
    }
    return point(lib.pubkeyCreate(Secp256k1.toBytes32(kk)));
  }

  /**
   * {@code secp256k1_ec_pubkey_tweak_mul} (constant time, as the scalar may be secret); a zero
   * scalar or infinity gives infinity without a native call.
   */
  @Override
  public EcPoint mul(EcPoint p, BigInteger k) {
    BigInteger kk = reduce(k);
    if (p.isInfinity() || kk.signum() == 0) {
      return EcPoint.INFINITY;
    }
    return point(lib.pubkeyTweakMul(encoding(p), Secp256k1.toBytes32(kk)));
  }

  /**
   * {@code secp256k1_ec_pubkey_combine} (which also doubles); {@code P + (-P)}, which libsecp256k1
   * refuses, is infinity.
   */
  @Override
  public EcPoint add(EcPoint a, EcPoint b) {
    if (a.isInfinity()) {
      return b;
    }
    if (b.isInfinity()) {
      return a;
    }
    if (a.x().equals(b.x()) && !a.y().equals(b.y())) {
      return EcPoint.INFINITY;
    }
    return point(lib.pubkeyCombine(new byte[][] {encoding(a), encoding(b)}));
  }

  /**
   * {@code a*G + b*Q} in one Strauss multiplication through ECDSA public-key recovery.
   *
   * <p>{@code secp256k1_ecdsa_recover(sig = (r, s), msg = z, recid)} lifts R from x = r with the y
   * parity of recid and returns {@code r^-1 * (s*R - z*G)}. Take R = Q, that is r = Q.x (possible
   * when {@code Q.x < n}, so that r as a scalar is Q.x itself) and recid = parity of Q.y, and set s = b*r
   * and z = -a*r (mod n). Then {@code r^-1 * (b*r*Q + a*r*G) = a*G + b*Q}: exactly the wanted
   * point, computed by libsecp256k1's variable-time {@code secp256k1_ecmult} (the scalars here are
   * public: verification). Recovery requires r and s non-zero, so a and b must be non-zero mod n;
   * it fails when the result is infinity.
   *
   * <p>Edge cases: Q at infinity or b = 0 is {@code a*G} ({@link #mulG}); a = 0 is {@code b*Q}
   * ({@link #mul}); Q.x >= n (about one point in 2^128, for which R would be lifted from Q.x - n)
   * and a result at infinity (recovery fails) are computed by BouncyCastle.
   */
  @Override
  public EcPoint mulAdd(BigInteger a, BigInteger b, EcPoint q) {
    BigInteger aa = reduce(a);
    BigInteger bb = reduce(b);
    if (q.isInfinity() || bb.signum() == 0) {
      return mulG(aa);
    }
    if (aa.signum() == 0) {
      return mul(q, bb);
    }
    BigInteger r = q.x();
    if (r.compareTo(N) >= 0) {
      return FALLBACK.mulAdd(aa, bb, q);
    }
    // r, aa, bb are in [1, n-1] and n is prime, so s and z are in [1, n-1] too.
    BigInteger s = bb.multiply(r).mod(N);
    BigInteger z = N.subtract(aa.multiply(r).mod(N));
    byte[] sig = new byte[64];
    EcPoint.toBytes32(r, sig, 0);
    EcPoint.toBytes32(s, sig, 32);
    byte[] out;
    try {
      out = lib.ecdsaRecover(sig, Secp256k1.toBytes32(z), q.y().testBit(0) ? 1 : 0);
    } catch (RuntimeException e) { // the result is infinity: Q = (-a/b)*G
      return FALLBACK.mulAdd(aa, bb, q);
    }
    return point(out);
  }

  /**
   * BouncyCastle's interleaved multiplication: libsecp256k1's public API has no multi-scalar
   * multiplication, and n separate products would be slower.
   */
  @Override
  public EcPoint sumOfMultiplies(EcPoint[] points, BigInteger[] scalars) {
    return FALLBACK.sumOfMultiplies(points, scalars);
  }

  /**
   * {@code secp256k1_ec_pubkey_parse} after the length and prefix checks (libsecp256k1 would also
   * take the hybrid prefixes 06 and 07, which SEC1 users do not expect); a refused point gets
   * BouncyCastle's exact error message.
   */
  @Override
  public EcPoint decode(byte[] encoded) {
    if (encoded == null
        || !(encoded.length == 33 && (encoded[0] == 0x02 || encoded[0] == 0x03)
            || encoded.length == 65 && encoded[0] == 0x04)) {
      FALLBACK.decode(encoded); // throws "bad length" or "bad prefix"
      throw new IllegalArgumentException("bad encoding");
    }
    byte[] out;
    try {
      out = lib.pubkeyParse(encoded);
    } catch (RuntimeException e) {
      FALLBACK.decode(encoded); // throws the reason ("not on curve", "out of field range")
      throw new IllegalArgumentException("not on curve");
    }
    return point(out);
  }

  /** {@code secp256k1_ec_pubkey_parse} of {@code 02 || x}. */
  @Override
  public EcPoint liftX(byte[] x32) {
    if (x32 == null || x32.length != 32) {
      throw new IllegalArgumentException("bad length: x coordinate must be 32 bytes");
    }
    byte[] enc = new byte[33];
    enc[0] = 0x02;
    System.arraycopy(x32, 0, enc, 1, 32);
    byte[] out;
    try {
      out = lib.pubkeyParse(enc);
    } catch (RuntimeException e) {
      FALLBACK.liftX(x32); // throws "not on curve: x >= p" or "...no matching y"
      throw new IllegalArgumentException("not on curve");
    }
    return point(out);
  }

  /** {@code secp256k1_ecdsa_sign}: RFC 6979 nonces, low S; the same signature as BouncyCastle's. */
  @Override
  public BigInteger[] ecdsaSign(BigInteger secretKey, byte[] digest32) {
    Secp256k1.checkSecretKey(secretKey);
    if (digest32 == null || digest32.length != 32) {
      throw new IllegalArgumentException("digest must be 32 bytes");
    }
    byte[] sig = lib.ecdsaSign(digest32, Secp256k1.toBytes32(secretKey));
    return new BigInteger[] {new BigInteger(1, sig, 0, 32), new BigInteger(1, sig, 32, 32)};
  }

  /**
   * {@code secp256k1_ecdsa_verify}, which refuses high S: a high S is replaced by n - s first,
   * since (r, s) is valid exactly when (r, n - s) is, and this method accepts both.
   */
  @Override
  public boolean ecdsaVerify(BigInteger r, BigInteger s, EcPoint publicKey, byte[] digest32) {
    if (!Secp256k1.ecdsaInputsValid(r, s, publicKey, digest32)) {
      return false;
    }
    BigInteger low = s.compareTo(Secp256k1.HALF_N) > 0 ? N.subtract(s) : s;
    byte[] sig = new byte[64];
    EcPoint.toBytes32(r, sig, 0);
    EcPoint.toBytes32(low, sig, 32);
    try {
      return lib.ecdsaVerify(sig, digest32, encoding(publicKey));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The point's 65-byte encoding, cached on the point (libsecp256k1 parses it without a square
   * root). The array is shared: it is only ever read.
   */
  private static byte[] encoding(EcPoint p) {
    if (p.providerCache() instanceof byte[] cached) {
      return cached;
    }
    byte[] enc = p.encodeUncompressed();
    p.providerCache(enc);
    return enc;
  }

  /** A point from libsecp256k1's 65-byte output, which keeps the array as its cached encoding. */
  private static EcPoint point(byte[] uncompressed65) {
    if (uncompressed65 == null || uncompressed65.length != 65 || uncompressed65[0] != 0x04) {
      throw new IllegalStateException("libsecp256k1 returned a malformed point");
    }
    return EcPoint.trusted(
        new BigInteger(1, uncompressed65, 1, 32),
        new BigInteger(1, uncompressed65, 33, 32),
        uncompressed65);
  }

  private static BigInteger reduce(BigInteger k) {
    if (k == null || k.signum() < 0) {
      throw new IllegalArgumentException("scalar must be non-negative");
    }
    return k.compareTo(N) >= 0 ? k.mod(N) : k;
  }

  @Override
  public String toString() {
    return "NativeSecp256k1[" + description() + "]";
  }
}
