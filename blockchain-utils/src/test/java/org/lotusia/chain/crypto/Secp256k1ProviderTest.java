package org.lotusia.chain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Known answers and properties, on every provider that can be selected here. */
@ParameterizedClass(name = "{0}")
@MethodSource("org.lotusia.chain.crypto.Providers#all")
class Secp256k1ProviderTest {

  private static final HexFormat HEX = HexFormat.of();

  @Parameter Secp256k1Provider ec;

  @Test
  void knownPublicKeys() {
    assertThat(HEX.formatHex(ec.mulG(new BigInteger("11".repeat(32), 16)).encodeCompressed()))
        .isEqualTo("034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa");
    assertThat(HEX.formatHex(ec.mulG(new BigInteger("22".repeat(32), 16)).encodeCompressed()))
        .isEqualTo("02466d7fcae563e5cb09a0d1870bb580344804617879a14949cf22285f1bae3f27");
    assertThat(HEX.formatHex(ec.mulG(new BigInteger("33".repeat(32), 16)).encodeCompressed()))
        .isEqualTo("023c72addb4fdf09af94f0c94d7fe92a386a7e70cf8a1d85916386bb2535c7b1b1");
    assertThat(ec.mulG(BigInteger.ONE)).isEqualTo(Secp256k1.G);
    assertThat(ec.mulG(Secp256k1.N)).isEqualTo(EcPoint.INFINITY);
  }

  @Test
  void arithmeticMatchesNaiveReference() {
    Random rnd = new Random(7);
    for (int i = 0; i < 20; i++) {
      BigInteger a = new BigInteger(256, rnd);
      BigInteger b = new BigInteger(256, rnd);
      EcPoint q = ec.mulG(new BigInteger(200, rnd).add(BigInteger.ONE));
      BigInteger[] qRef = {q.x(), q.y()};
      BigInteger[] expect =
          RefEc.add(RefEc.mul(RefEc.G, a.mod(RefEc.N)), RefEc.mul(qRef, b.mod(RefEc.N)));
      EcPoint got = ec.mulAdd(a, b, q);
      assertThat(got.x()).isEqualTo(expect[0]);
      assertThat(got.y()).isEqualTo(expect[1]);
      assertThat(ec.add(ec.mulG(a), ec.mul(q, b))).isEqualTo(got);
      assertThat(ec.add(q, q.negate())).isEqualTo(EcPoint.INFINITY);
      assertThat(got.hasSquareY()).isEqualTo(RefEc.isSquare(got.y()));
      assertThat(got.hasEvenY()).isEqualTo(!got.y().testBit(0));
    }
  }

  @Test
  void sumOfMultipliesMatchesTheReferenceAndTheDefault() {
    Random rnd = new Random(17);
    // the interface's default: products added one by one
    Secp256k1Provider plain =
        new Secp256k1Provider() {
          @Override
          public EcPoint mulG(BigInteger k) {
            return ec.mulG(k);
          }

          @Override
          public EcPoint mul(EcPoint p, BigInteger k) {
            return ec.mul(p, k);
          }

          @Override
          public EcPoint add(EcPoint a, EcPoint b) {
            return ec.add(a, b);
          }

          @Override
          public EcPoint mulAdd(BigInteger a, BigInteger b, EcPoint q) {
            return ec.mulAdd(a, b, q);
          }

          @Override
          public EcPoint decode(byte[] encoded) {
            return ec.decode(encoded);
          }

          @Override
          public EcPoint liftX(byte[] x32) {
            return ec.liftX(x32);
          }

          @Override
          public BigInteger[] ecdsaSign(BigInteger secretKey, byte[] digest32) {
            return ec.ecdsaSign(secretKey, digest32);
          }

          @Override
          public boolean ecdsaVerify(BigInteger r, BigInteger s, EcPoint pk, byte[] digest32) {
            return ec.ecdsaVerify(r, s, pk, digest32);
          }
        };
    for (int m : new int[] {1, 2, 3, 50}) {
      EcPoint[] ps = new EcPoint[m];
      BigInteger[] ks = new BigInteger[m];
      BigInteger[] expect = null;
      for (int i = 0; i < m; i++) {
        BigInteger d = new BigInteger(250, rnd).add(BigInteger.ONE);
        ps[i] = ec.mulG(d);
        // scalars of 256 bits, some at or above n (taken modulo n)
        ks[i] = i == 1 ? Secp256k1.N.add(BigInteger.TWO) : new BigInteger(256, rnd);
        BigInteger[] term = RefEc.mul(RefEc.G, d.multiply(ks[i]).mod(RefEc.N));
        expect = expect == null ? term : RefEc.add(expect, term);
      }
      EcPoint got = ec.sumOfMultiplies(ps, ks);
      assertThat(got.x()).as("m=%d", m).isEqualTo(expect[0]);
      assertThat(got.y()).as("m=%d", m).isEqualTo(expect[1]);
      assertThat(plain.sumOfMultiplies(ps, ks)).isEqualTo(got);
    }
    EcPoint p = ec.mulG(BigInteger.TEN);
    // terms that vanish: infinity, a zero scalar, n; a sum that cancels to infinity
    assertThat(ec.sumOfMultiplies(new EcPoint[0], new BigInteger[0])).isEqualTo(EcPoint.INFINITY);
    assertThat(ec.sumOfMultiplies(new EcPoint[] {EcPoint.INFINITY, p, p},
        new BigInteger[] {BigInteger.TWO, BigInteger.ZERO, Secp256k1.N}))
        .isEqualTo(EcPoint.INFINITY);
    assertThat(ec.sumOfMultiplies(new EcPoint[] {p, p.negate()},
        new BigInteger[] {BigInteger.TWO, BigInteger.TWO})).isEqualTo(EcPoint.INFINITY);
    assertThat(ec.sumOfMultiplies(new EcPoint[] {EcPoint.INFINITY, p},
        new BigInteger[] {BigInteger.ONE, BigInteger.TWO})).isEqualTo(ec.mul(p, BigInteger.TWO));
    for (Secp256k1Provider ec : List.of(ec, plain)) {
      assertThatThrownBy(() -> ec.sumOfMultiplies(new EcPoint[] {p}, new BigInteger[0]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("one scalar per point: 1 points, 0 scalars");
      assertThatThrownBy(() -> ec.sumOfMultiplies(new EcPoint[] {p},
          new BigInteger[] {BigInteger.ONE.negate()}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("scalar 0 is negative");
      assertThatThrownBy(() -> ec.sumOfMultiplies(new EcPoint[] {null},
          new BigInteger[] {BigInteger.ONE}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("point or scalar 0 is null");
    }
  }

  @Test
  void encodeDecodeRoundTrip() {
    Random rnd = new Random(11);
    for (int i = 0; i < 50; i++) {
      EcPoint p = ec.mulG(new BigInteger(256, rnd).add(BigInteger.ONE));
      assertThat(ec.decode(p.encodeCompressed())).isEqualTo(p);
      assertThat(ec.decode(p.encodeUncompressed())).isEqualTo(p);
      EcPoint lifted = ec.liftX(p.xOnly());
      assertThat(lifted.hasEvenY()).isTrue();
      assertThat(lifted.equals(p) || lifted.equals(p.negate())).isTrue();
      assertThat(p.hashCode()).isEqualTo(ec.decode(p.encodeCompressed()).hashCode());
    }
  }

  @Test
  void decodeErrorsSayWhatIsWrong() {
    byte[] g = Secp256k1.G.encodeCompressed();
    byte[] badPrefix = g.clone();
    badPrefix[0] = 0x05;
    assertThatThrownBy(() -> ec.decode(badPrefix)).hasMessageContaining("bad prefix");
    assertThatThrownBy(() -> ec.decode(new byte[32])).hasMessageContaining("bad length");
    byte[] offCurve = new byte[33];
    offCurve[0] = 0x02;
    offCurve[32] = 5; // x = 5: 125 + 7 = 132 is not a square mod p
    assertThatThrownBy(() -> ec.decode(offCurve)).hasMessageContaining("not on curve");
    byte[] unc = Secp256k1.G.encodeUncompressed();
    unc[64] ^= 1;
    assertThatThrownBy(() -> ec.decode(unc)).hasMessageContaining("not on curve");
    assertThatThrownBy(() -> ec.liftX(Secp256k1.toBytes32(Secp256k1.P)))
        .hasMessageContaining("not on curve");
  }

  @Test
  void ecdsaSignaturesVerifyWithBouncyCastleSigner() {
    X9ECParameters x9 = CustomNamedCurves.getByName("secp256k1");
    ECDomainParameters dom = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
    Random rnd = new Random(3);
    for (int i = 0; i < 30; i++) {
      BigInteger d = new BigInteger(255, rnd).add(BigInteger.ONE);
      byte[] digest = new byte[32];
      rnd.nextBytes(digest);
      BigInteger[] rs = ec.ecdsaSign(d, digest);
      assertThat(rs[1]).isLessThanOrEqualTo(Secp256k1.HALF_N);
      EcPoint q = ec.mulG(d);
      ECDSASigner verifier = new ECDSASigner();
      verifier.init(
          false, new ECPublicKeyParameters(x9.getCurve().decodePoint(q.encodeCompressed()), dom));
      assertThat(verifier.verifySignature(digest, rs[0], rs[1])).isTrue();
      assertThat(ec.ecdsaVerify(rs[0], rs[1], q, digest)).isTrue();
      assertThat(ec.ecdsaVerify(rs[0], Secp256k1.N.subtract(rs[1]), q, digest)).isTrue();
      digest[0] ^= 1;
      assertThat(ec.ecdsaVerify(rs[0], rs[1], q, digest)).isFalse();
    }
  }

  @Test
  void derRoundTripAndStrictness() {
    Random rnd = new Random(21);
    for (int i = 0; i < 500; i++) {
      BigInteger r =
          new BigInteger(1 + rnd.nextInt(256), rnd)
              .mod(Secp256k1.N.subtract(BigInteger.ONE))
              .add(BigInteger.ONE);
      BigInteger s =
          new BigInteger(1 + rnd.nextInt(256), rnd)
              .mod(Secp256k1.N.subtract(BigInteger.ONE))
              .add(BigInteger.ONE);
      EcdsaSignature sig = new EcdsaSignature(r, s);
      byte[] der = sig.toDer();
      assertThat(EcdsaSignature.fromDer(der)).isEqualTo(sig);
      assertThat(sig.normalize().isLowS()).isTrue();
    }
    // Non-minimal R (extra leading zero) and negative S are rejected.
    assertThatThrownBy(
            () -> EcdsaSignature.fromDer(HEX.parseHex("3007020200010201010000".substring(0, 18))))
        .hasMessageContaining("non-minimal R");
    assertThatThrownBy(() -> EcdsaSignature.fromDer(HEX.parseHex("3006020101020180")))
        .hasMessageContaining("negative S");
    assertThatThrownBy(() -> EcdsaSignature.fromDer(HEX.parseHex("3106020101020101")))
        .hasMessageContaining("SEQUENCE");
  }

  @Test
  void hashesAndTaggedHash() {
    byte[] alice =
        HEX.parseHex("034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa");
    assertThat(HEX.formatHex(Hashes.hash160(alice)))
        .isEqualTo("fc7250a211deddc70ee5a2738de5f07817351cef");
    byte[] q = HEX.parseHex("026ec2d50eca7fdcf8e074762d8a0b50a75e766b5779c2250d85938531994c91aa");
    assertThat(HEX.formatHex(TaggedHash.hash("TapTweak", q, new byte[32])))
        .isEqualTo("d4d649d18ca701cf7186e41f15e1ef3f200773c838238a56cde052ca6308d0b9");
    // Cached prefix gives the same result on repeated calls.
    assertThat(TaggedHash.hash("TapTweak", q, new byte[32]))
        .isEqualTo(TaggedHash.hash("TapTweak", q, new byte[32]));
    byte[] tag = Hashes.sha256("TapTweak".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(TaggedHash.hash("TapTweak", q)).isEqualTo(Hashes.sha256(tag, tag, q));
    assertThat(Hashes.sha256d(new byte[0])).isEqualTo(Hashes.sha256(Hashes.sha256(new byte[0])));
  }

  @Test
  void jacobiMatchesEuler() {
    Random rnd = new Random(5);
    List<BigInteger> values =
        new java.util.ArrayList<>(
            List.of(
                BigInteger.ZERO,
                BigInteger.ONE,
                BigInteger.TWO,
                BigInteger.valueOf(3),
                Secp256k1.P.subtract(BigInteger.ONE),
                Secp256k1.P.subtract(BigInteger.TWO),
                BigInteger.ONE.shiftLeft(64),
                BigInteger.ONE.shiftLeft(128).add(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(255),
                Secp256k1.P.shiftRight(1)));
    for (int i = 0; i < 5000; i++) {
      BigInteger a = new BigInteger(1 + rnd.nextInt(256), rnd).mod(Secp256k1.P);
      values.add(a);
      values.add(a.multiply(a).mod(Secp256k1.P));
    }
    for (BigInteger a : values) {
      int expected = a.signum() == 0 ? 0 : RefEc.isSquare(a) ? 1 : -1;
      assertThat(Jacobi.symbolModP(a)).as("jacobi(%s)", a).isEqualTo(expected);
    }
    // The generic BigInteger path against small odd moduli, checked with Euler's criterion for
    // primes.
    for (int p : new int[] {3, 5, 7, 11, 13, 101, 65537}) {
      BigInteger bp = BigInteger.valueOf(p);
      for (int a = 0; a < Math.min(p, 300); a++) {
        BigInteger ba = BigInteger.valueOf(a);
        BigInteger euler = ba.modPow(bp.subtract(BigInteger.ONE).shiftRight(1), bp);
        int expected = a == 0 ? 0 : euler.equals(BigInteger.ONE) ? 1 : -1;
        assertThat(Jacobi.symbol(ba, bp)).isEqualTo(expected);
      }
    }
    assertThat(Jacobi.symbol(BigInteger.valueOf(2), BigInteger.valueOf(15))).isEqualTo(1);
    assertThat(Jacobi.symbol(BigInteger.valueOf(7), BigInteger.valueOf(15))).isEqualTo(-1);
    assertThat(Jacobi.symbol(BigInteger.valueOf(5), BigInteger.valueOf(15))).isZero();
  }
}
