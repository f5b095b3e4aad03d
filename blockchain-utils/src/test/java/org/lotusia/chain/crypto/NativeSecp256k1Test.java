package org.lotusia.chain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The libsecp256k1 provider: that it loads where it must, how it is chosen, and that every edge
 * case of its arithmetic (the ones it hands to BouncyCastle and the ones it computes itself) gives
 * BouncyCastle's result.
 */
class NativeSecp256k1Test {

  private static final BouncyCastleSecp256k1 BC = BouncyCastleSecp256k1.instance();
  private static final BigInteger N = Secp256k1.N;

  /** Counts the native calls, to prove which path an input took. */
  private final AtomicInteger recoveries = new AtomicInteger();
  private final AtomicInteger tweakMuls = new AtomicInteger();
  private NativeSecp256k1 ec;

  @BeforeEach
  void counting() {
    assumeTrue(NativeSecp256k1.isAvailable() || Providers.nativeRequired(), "no native library here");
    NativeSecp256k1.Loaded l = NativeSecp256k1.probe(() -> new CountingLib(AcinqLibSecp256k1.load()));
    assertThat(l.failure()).isNull();
    ec = l.provider();
    recoveries.set(0);
    tweakMuls.set(0);
  }

  @Test
  void loadsOnLinuxX8664AndIsTheDefaultThere() throws Exception {
    assumeTrue(Providers.nativeRequired(), "checked on Linux x86-64 only");
    assertThat(NativeSecp256k1.unavailableReason()).isEmpty();
    // the version from the jar name equals the build-time one (used where the name is lost)
    java.util.Properties built = new java.util.Properties();
    try (java.io.InputStream in =
        NativeSecp256k1.class.getResourceAsStream("secp256k1-kmp.properties")) {
      built.load(in);
    }
    assertThat(built.getProperty("version")).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(NativeSecp256k1.instance().description())
        .isEqualTo("libsecp256k1 (ACINQ secp256k1-kmp " + built.getProperty("version") + ")");
    assumeTrue(System.getProperty(Secp256k1.PROVIDER_PROPERTY) == null, "default not fixed");
    assertThat(Secp256k1.defaultProvider()).isSameAs(NativeSecp256k1.instance());
    Secp256k1Choice c = Secp256k1.defaultProviderChoice();
    assertThat(c.implementation()).isEqualTo("native");
    assertThat(c.basis()).isEqualTo("auto");
    assertThat(c.toString()).startsWith("native (libsecp256k1 (ACINQ secp256k1-kmp 0.");
  }

  @Test
  void mulAddUsesOneRecoveryAndMatchesBouncyCastleOnRandomInputs() {
    Random rnd = new Random(101);
    for (int i = 0; i < 200; i++) {
      BigInteger a = new BigInteger(256 + (i % 3) * 40, rnd); // some scalars above n
      BigInteger b = new BigInteger(256, rnd);
      EcPoint q = BC.mulG(new BigInteger(256, rnd).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE));
      assertThat(ec.mulAdd(a, b, q)).isEqualTo(BC.mulAdd(a, b, q));
    }
    assertThat(recoveries.get()).isEqualTo(200);
  }

  @Test
  void mulAddEdgeCases() {
    Random rnd = new Random(102);
    EcPoint q = BC.mulG(BigInteger.valueOf(77));
    BigInteger a = new BigInteger(255, rnd);
    BigInteger b = new BigInteger(255, rnd);
    // a = 0 (mod n): b*Q by the constant-time multiplication, no recovery
    for (BigInteger zero : new BigInteger[] {BigInteger.ZERO, N, N.shiftLeft(1)}) {
      assertThat(ec.mulAdd(zero, b, q)).isEqualTo(BC.mulAdd(zero, b, q)).isEqualTo(BC.mul(q, b));
      assertThat(ec.mulAdd(a, zero, q)).isEqualTo(BC.mulG(a));
      assertThat(ec.mulAdd(zero, zero, q)).isEqualTo(EcPoint.INFINITY);
    }
    assertThat(recoveries.get()).isZero();
    assertThat(tweakMuls.get()).isEqualTo(3);
    // Q at infinity
    assertThat(ec.mulAdd(a, b, EcPoint.INFINITY)).isEqualTo(BC.mulG(a));
    assertThat(ec.mulAdd(BigInteger.ZERO, b, EcPoint.INFINITY)).isEqualTo(EcPoint.INFINITY);
    // scalars one below n and n + 1
    BigInteger nm1 = N.subtract(BigInteger.ONE);
    assertThat(ec.mulAdd(nm1, nm1, q)).isEqualTo(BC.mulAdd(nm1, nm1, q));
    assertThat(ec.mulAdd(N.add(BigInteger.ONE), BigInteger.ONE, q))
        .isEqualTo(BC.add(Secp256k1.G, q));
    // a result at infinity: Q = 77*G, a = -77*b, so a*G + b*Q = 0 (recovery refuses; BC answers)
    BigInteger cancel = N.subtract(b.multiply(BigInteger.valueOf(77)).mod(N));
    assertThat(ec.mulAdd(cancel, b, q)).isEqualTo(EcPoint.INFINITY);
    // Q = G and Q = -G: R is G itself; results 2aG and 0
    assertThat(ec.mulAdd(a, a, Secp256k1.G)).isEqualTo(BC.mulG(a.shiftLeft(1)));
    assertThat(ec.mulAdd(a, a, Secp256k1.G.negate())).isEqualTo(EcPoint.INFINITY);
    // negative scalars are refused, as by BC
    assertThatThrownBy(() -> ec.mulAdd(BigInteger.ONE.negate(), b, q))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scalar must be non-negative");
    assertThatThrownBy(() -> ec.mulAdd(a, BigInteger.ONE.negate(), q))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mulAddWithQxAtOrAboveTheOrderFallsBackToBouncyCastle() {
    // x in [n, p): about one point in 2^128 has it, so none is ever a hash-derived key; find one.
    BigInteger x = N;
    EcPoint high = null;
    while (high == null) {
      try {
        high = BC.liftX(Secp256k1.toBytes32(x));
      } catch (IllegalArgumentException notOnCurve) {
        x = x.add(BigInteger.ONE);
      }
    }
    assertThat(high.x()).isGreaterThanOrEqualTo(N);
    Random rnd = new Random(103);
    for (EcPoint q : new EcPoint[] {high, high.negate()}) {
      BigInteger a = new BigInteger(256, rnd);
      BigInteger b = new BigInteger(256, rnd);
      assertThat(ec.mulAdd(a, b, q)).isEqualTo(BC.mulAdd(a, b, q));
      // and the point itself works in every other operation
      assertThat(ec.mul(q, b)).isEqualTo(BC.mul(q, b));
      assertThat(ec.add(q, Secp256k1.G)).isEqualTo(BC.add(q, Secp256k1.G));
      assertThat(ec.decode(q.encodeCompressed())).isEqualTo(q);
    }
    assertThat(recoveries.get()).isZero();
  }

  @Test
  void mulGMulAndAddEdgeCases() {
    BigInteger nm1 = N.subtract(BigInteger.ONE);
    for (BigInteger k : new BigInteger[] {BigInteger.ONE, BigInteger.TWO, nm1, N.add(BigInteger.ONE),
        BigInteger.ONE.shiftLeft(300)}) {
      assertThat(ec.mulG(k)).isEqualTo(BC.mulG(k));
    }
    assertThat(ec.mulG(BigInteger.ZERO)).isEqualTo(EcPoint.INFINITY);
    assertThat(ec.mulG(N)).isEqualTo(EcPoint.INFINITY);
    EcPoint p = BC.mulG(BigInteger.valueOf(12345));
    assertThat(ec.mul(p, nm1)).isEqualTo(p.negate());
    assertThat(ec.mul(p, N)).isEqualTo(EcPoint.INFINITY);
    assertThat(ec.mul(p, BigInteger.ZERO)).isEqualTo(EcPoint.INFINITY);
    assertThat(ec.mul(EcPoint.INFINITY, BigInteger.TEN)).isEqualTo(EcPoint.INFINITY);
    assertThat(ec.add(p, p.negate())).isEqualTo(EcPoint.INFINITY);
    assertThat(ec.add(p, p)).isEqualTo(BC.mulG(BigInteger.valueOf(24690)));
    assertThat(ec.add(p, EcPoint.INFINITY)).isSameAs(p);
    assertThat(ec.add(EcPoint.INFINITY, p)).isSameAs(p);
    assertThat(ec.add(EcPoint.INFINITY, EcPoint.INFINITY)).isEqualTo(EcPoint.INFINITY);
    assertThatThrownBy(() -> ec.mulG(BigInteger.ONE.negate()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ec.mul(p, BigInteger.ONE.negate()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decodeAndLiftXRefuseWhatBouncyCastleRefusesWithTheSameMessage() {
    byte[] g65 = Secp256k1.G.encodeUncompressed();
    byte[] hybrid = g65.clone();
    hybrid[0] = (byte) (Secp256k1.G.hasEvenY() ? 0x06 : 0x07); // libsecp256k1 alone would take it
    byte[] xTooBig = new byte[33];
    xTooBig[0] = 0x02;
    System.arraycopy(Secp256k1.toBytes32(Secp256k1.P), 0, xTooBig, 1, 32);
    byte[] noY = new byte[33];
    noY[0] = 0x03;
    noY[32] = 5;
    byte[] offCurve = g65.clone();
    offCurve[64] ^= 1;
    byte[] xAboveP = g65.clone();
    System.arraycopy(Secp256k1.toBytes32(Secp256k1.P.add(BigInteger.ONE)), 0, xAboveP, 1, 32);
    byte[][] bad = {null, new byte[0], new byte[32], new byte[33], new byte[64], new byte[65],
        hybrid, xTooBig, noY, offCurve, xAboveP};
    for (byte[] enc : bad) {
      Throwable fromBc = catchThrowable(() -> BC.decode(enc));
      Throwable fromNative = catchThrowable(() -> ec.decode(enc));
      assertThat(fromNative).isInstanceOf(IllegalArgumentException.class);
      assertThat(fromNative.getMessage()).isEqualTo(fromBc.getMessage());
    }
    for (byte[] x : new byte[][] {Secp256k1.toBytes32(Secp256k1.P), Secp256k1.toBytes32(BigInteger.valueOf(5)),
        new byte[31], null}) {
      Throwable fromBc = catchThrowable(() -> BC.liftX(x));
      Throwable fromNative = catchThrowable(() -> ec.liftX(x));
      assertThat(fromNative).isInstanceOf(IllegalArgumentException.class);
      assertThat(fromNative.getMessage()).isEqualTo(fromBc.getMessage());
    }
    Random rnd = new Random(104);
    for (int i = 0; i < 50; i++) {
      EcPoint p = BC.mulG(new BigInteger(256, rnd).add(BigInteger.ONE));
      assertThat(ec.decode(p.encodeCompressed())).isEqualTo(p);
      assertThat(ec.decode(p.encodeUncompressed())).isEqualTo(p);
      assertThat(ec.liftX(p.xOnly())).isEqualTo(BC.liftX(p.xOnly()));
    }
  }

  @Test
  void ecdsaSignaturesEqualBouncyCastlesAndVerificationAgrees() {
    Random rnd = new Random(105);
    byte[][] digests = {new byte[32], Secp256k1.toBytes32(N), Secp256k1.toBytes32(
        BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE))};
    for (int i = 0; i < 40; i++) {
      BigInteger d = new BigInteger(256, rnd).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      byte[] digest = i < digests.length ? digests[i] : new byte[32];
      if (i >= digests.length) {
        rnd.nextBytes(digest);
      }
      BigInteger[] rs = ec.ecdsaSign(d, digest);
      assertThat(rs).isEqualTo(BC.ecdsaSign(d, digest));
      EcPoint q = BC.mulG(d);
      BigInteger r = rs[0];
      BigInteger s = rs[1];
      Object[][] cases = {{r, s}, {r, N.subtract(s)}, {BigInteger.ZERO, s}, {r, BigInteger.ZERO},
          {r.add(N), s}, {r, s.add(N)}, {r, s.add(BigInteger.ONE)}};
      for (Object[] c : cases) {
        BigInteger cr = (BigInteger) c[0];
        BigInteger cs = (BigInteger) c[1];
        assertThat(ec.ecdsaVerify(cr, cs, q, digest)).isEqualTo(BC.ecdsaVerify(cr, cs, q, digest));
      }
      assertThat(ec.ecdsaVerify(r, s, q, digest)).isTrue();
      assertThat(ec.ecdsaVerify(r, s, EcPoint.INFINITY, digest)).isFalse();
      assertThat(ec.ecdsaVerify(r, s, q, new byte[31])).isFalse();
    }
    assertThatThrownBy(() -> ec.ecdsaSign(N, new byte[32])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ec.ecdsaSign(BigInteger.ONE, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void threadsSharingPointsAndTheContextGetBouncyCastlesResults() throws Exception {
    NativeSecp256k1 shared = NativeSecp256k1.instance();
    Random rnd = new Random(106);
    int m = 16;
    EcPoint[] points = new EcPoint[m]; // decoded natively: every thread passes the same cached array
    BigInteger[] a = new BigInteger[m];
    BigInteger[] b = new BigInteger[m];
    EcPoint[] expected = new EcPoint[m];
    for (int i = 0; i < m; i++) {
      points[i] = shared.decode(BC.mulG(new BigInteger(250, rnd).add(BigInteger.ONE)).encodeCompressed());
      a[i] = new BigInteger(256, rnd);
      b[i] = new BigInteger(256, rnd);
      expected[i] = BC.mulAdd(a[i], b[i], points[i]);
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        done.add(pool.submit(() -> {
          int wrong = 0;
          for (int j = 0; j < 300; j++) {
            int i = (j + offset) % m;
            if (!shared.mulAdd(a[i], b[i], points[i]).equals(expected[i])
                || !shared.add(points[i], points[(i + 1) % m])
                    .equals(BC.add(points[i], points[(i + 1) % m]))) {
              wrong++;
            }
          }
          return wrong;
        }));
      }
      for (java.util.concurrent.Future<Integer> f : done) {
        assertThat(f.get(2, java.util.concurrent.TimeUnit.MINUTES)).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aLibraryThatFailsToLoadIsReportedNotThrown() {
    NativeSecp256k1.Loaded l =
        NativeSecp256k1.probe(
            () -> {
              throw new UnsatisfiedLinkError("no secp256k1-jni in java.library.path");
            });
    assertThat(l.provider()).isNull();
    assertThat(l.failure()).isEqualTo("UnsatisfiedLinkError: no secp256k1-jni in java.library.path");
    NativeSecp256k1.Loaded missingJar =
        NativeSecp256k1.probe(
            () -> {
              throw new NoClassDefFoundError("fr/acinq/secp256k1/Secp256k1");
            });
    assertThat(missingJar.failure()).isEqualTo("NoClassDefFoundError: fr/acinq/secp256k1/Secp256k1");
  }

  @Test
  void aLibraryThatComputesWrongPointsIsRefusedBySelfTest() {
    LibSecp256k1 real = AcinqLibSecp256k1.load();
    NativeSecp256k1.Loaded l =
        NativeSecp256k1.probe(
            () ->
                new CountingLib(real) {
                  @Override
                  public byte[] ecdsaRecover(byte[] sig, byte[] digest, int recid) {
                    return real.ecdsaRecover(sig, digest, recid ^ 1); // the wrong R
                  }
                });
    assertThat(l.provider()).isNull();
    assertThat(l.failure())
        .isEqualTo("IllegalStateException: self-test: a*G + b*Q differs from BouncyCastle");
  }

  @Test
  void selectionFollowsThePropertyAndFallsBack() {
    NativeSecp256k1.Loaded ok = new NativeSecp256k1.Loaded(ec, null);
    NativeSecp256k1.Loaded missing = new NativeSecp256k1.Loaded(null, "UnsatisfiedLinkError: x");
    ProviderSelection auto = ProviderSelection.select(null, () -> ok);
    assertThat(auto.provider()).isSameAs(ec);
    assertThat(auto.choice().basis()).isEqualTo("auto");
    ProviderSelection fallback = ProviderSelection.select("auto", () -> missing);
    assertThat(fallback.provider()).isSameAs(BC);
    assertThat(fallback.choice().implementation()).isEqualTo("bouncycastle");
    assertThat(fallback.choice().unavailable()).isEqualTo(Map.of("native", "UnsatisfiedLinkError: x"));
    assertThat(fallback.choice().toString())
        .startsWith("bouncycastle (BouncyCastle")
        .endsWith("auto; native unavailable: UnsatisfiedLinkError: x");
    ProviderSelection forced = ProviderSelection.select(" Native ", () -> ok);
    assertThat(forced.provider()).isSameAs(ec);
    assertThat(forced.choice().basis()).isEqualTo("property");
    // bouncycastle never loads native code
    ProviderSelection bc =
        ProviderSelection.select("bouncycastle", () -> {
          throw new AssertionError("native loaded although bouncycastle was asked for");
        });
    assertThat(bc.provider()).isSameAs(BC);
    assertThat(bc.choice().basis()).isEqualTo("property");
    ProviderSelection unavailable = ProviderSelection.select("native", () -> missing);
    for (int i = 0; i < 2; i++) { // the same reason every time
      assertThatThrownBy(unavailable::provider)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("lotus.secp256k1=native, but the native secp256k1 library is not available: "
              + "UnsatisfiedLinkError: x");
    }
    assertThatThrownBy(() -> ProviderSelection.select("fast", () -> ok).choice())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lotus.secp256k1=fast is not one of native, bouncycastle, auto");
  }

  private static Throwable catchThrowable(Runnable r) {
    try {
      r.run();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  /** Delegates to the real library and counts the calls whose use the tests check. */
  private class CountingLib implements LibSecp256k1 {
    private final LibSecp256k1 inner;

    CountingLib(LibSecp256k1 inner) {
      this.inner = inner;
    }

    @Override
    public byte[] pubkeyCreate(byte[] secretKey32) {
      return inner.pubkeyCreate(secretKey32);
    }

    @Override
    public byte[] pubkeyParse(byte[] encoded) {
      return inner.pubkeyParse(encoded);
    }

    @Override
    public byte[] pubkeyTweakMul(byte[] point, byte[] tweak32) {
      tweakMuls.incrementAndGet();
      return inner.pubkeyTweakMul(point, tweak32);
    }

    @Override
    public byte[] pubkeyCombine(byte[][] points) {
      return inner.pubkeyCombine(points);
    }

    @Override
    public byte[] ecdsaRecover(byte[] sig, byte[] digest32, int recoveryId) {
      recoveries.incrementAndGet();
      return inner.ecdsaRecover(sig, digest32, recoveryId);
    }

    @Override
    public byte[] ecdsaSign(byte[] digest32, byte[] secretKey32) {
      return inner.ecdsaSign(digest32, secretKey32);
    }

    @Override
    public boolean ecdsaVerify(byte[] sig, byte[] digest32, byte[] point) {
      return inner.ecdsaVerify(sig, digest32, point);
    }

    @Override
    public String description() {
      return inner.description();
    }
  }
}
