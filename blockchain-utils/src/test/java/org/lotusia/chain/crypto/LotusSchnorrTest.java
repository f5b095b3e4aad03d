package org.lotusia.chain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The lotus-sdk vectors and properties, signed and verified on every provider here. */
@ParameterizedClass(name = "{0}")
@MethodSource("org.lotusia.chain.crypto.Providers#all")
class LotusSchnorrTest {

  @Parameter Secp256k1Provider ec;

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] ALICE = HEX.parseHex("11".repeat(32));
  private static final String ALICE_PUB =
      "034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa";

  @Test
  void ownershipProofVectorV5() throws Exception {
    byte[] msg = Hashes.sha256(HEX.parseHex("a1".repeat(32) + "11".repeat(32) + "00"));
    assertThat(HEX.formatHex(msg))
        .isEqualTo("d0287a8540e0ef4160c7ada587a9aed1dee46a7271abeddb99d94d6af191e7b3");
    byte[] sig = sign(ALICE, msg);
    assertThat(HEX.formatHex(sig))
        .isEqualTo(
            "39aaae03f959a815ebd01021cb1dd21795b63e74f859c65de4b0cb9bbb12ca49"
                + "e15c5725c19e31c246e4eb71b3e11d508be62472de17077980c6a6679c50f16d");
    assertThat(verify(sig, HEX.parseHex(ALICE_PUB), msg)).isTrue();
    assertThat(RefEc.schnorrVerify(sig, HEX.parseHex(ALICE_PUB), msg)).isTrue();
  }

  @Test
  void poolAnnouncementVectorV4() {
    byte[] msg = HEX.parseHex("83049831c721a2078e9fa6212f49072a46c039fddf2f1b5a265b0a4f71be94b7");
    byte[] data = HEX.parseHex("a1".repeat(32) + "31303030303030" + "31373030303030303030303030");
    assertThat(Hashes.sha256(data)).isEqualTo(msg);
    byte[] sig = sign(ALICE, msg);
    assertThat(HEX.formatHex(sig))
        .isEqualTo(
            "ec7c7a04327ad44bed7284d1a9d892d16b3462c86b86d0d62924f734700671b8"
                + "3c9958e310eeea5920b7a1a6f7342a65e0219c6f482236d165bb73c70754045c");
  }

  @Test
  void settlementSignatureV8VerifiesAgainstCommitment() throws Exception {
    byte[] sig =
        HEX.parseHex(
            "d509c26ca6833efe5233496d7209a44375c6b76ec8b0ab02199d7aa67cfdb876"
                + "c4f47fa75b4d53bdde93968450f3c7cde3d0d3bcb982540b7bdecfa97c2acfaa");
    byte[] c = HEX.parseHex("02c517f6ac806f209f7a5672e245497182b3b39cdf23b9494d2b1719caaeb189d4");
    byte[] m = HEX.parseHex("a99f524133dc5b174b80ebc0df5a9f5b801e879740ea4b4d458a1fa1362b62b3");
    assertThat(verify(sig, c, m)).isTrue();
    assertThat(RefEc.schnorrVerify(sig, c, m)).isTrue();
    m[0] ^= 1;
    assertThat(verify(sig, c, m)).isFalse();
  }

  @Test
  void randomSignaturesVerifyIndependentlyAndTamperingFails() throws Exception {
    Random rnd = new Random(42);
    for (int i = 0; i < 40; i++) {
      BigInteger d =
          new BigInteger(256, rnd).mod(Secp256k1.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      byte[] msg = new byte[32];
      rnd.nextBytes(msg);
      byte[] sig = LotusSchnorr.sign(ec, d, msg);
      EcPoint p = ec.mulG(d);
      byte[] pub = p.encodeCompressed();
      assertThat(verify(sig, p, msg)).isTrue();
      assertThat(RefEc.schnorrVerify(sig, pub, msg)).isTrue();
      // The nonce point R must have a square y (the Bitcoin-ABC rule).
      EcPoint r =
          ec.decode(concat((byte) 2, java.util.Arrays.copyOf(sig, 32)));
      assertThat(r.hasSquareY() || r.negate().hasSquareY()).isTrue();
      byte[] bad = sig.clone();
      bad[rnd.nextInt(64)] ^= (byte) (1 << rnd.nextInt(8));
      assertThat(verify(bad, p, msg))
          .isEqualTo(RefEc.schnorrVerify(bad, pub, msg))
          .isFalse();
    }
  }

  @Test
  void rejectsOutOfRangeValuesWithoutThrowing() {
    byte[] msg = new byte[32];
    byte[] pub = HEX.parseHex(ALICE_PUB);
    byte[] sig = sign(ALICE, msg);
    byte[] highR = sig.clone();
    System.arraycopy(Secp256k1.toBytes32(Secp256k1.P), 0, highR, 0, 32);
    assertThat(verify(highR, pub, msg)).isFalse();
    byte[] highS = sig.clone();
    System.arraycopy(Secp256k1.toBytes32(Secp256k1.N), 0, highS, 32, 32);
    assertThat(verify(highS, pub, msg)).isFalse();
    assertThat(verify(new byte[63], pub, msg)).isFalse();
    assertThat(verify(sig, new byte[33], msg)).isFalse();
    assertThat(verify(sig, pub, new byte[31])).isFalse();
    assertThatThrownBy(() -> sign(new byte[32], msg))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sign(ALICE, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signaturesThatHitTheArithmeticEdgesAreRefused() throws Exception {
    BigInteger d = new BigInteger(1, ALICE);
    EcPoint p = ec.mulG(d);
    byte[] pub = p.encodeCompressed();
    byte[] msg = Hashes.sha256(new byte[] {1, 2, 3});
    byte[] rx = Secp256k1.G.xOnly();
    // s = 0: R = -e*P (the provider's a = 0 path)
    byte[] zeroS = java.util.Arrays.copyOf(rx, 64);
    assertThat(verify(zeroS, p, msg)).isEqualTo(RefEc.schnorrVerify(zeroS, pub, msg)).isFalse();
    // s = e*d: R = s*G - e*P is infinity
    BigInteger e = LotusSchnorr.challenge(rx, pub, msg);
    byte[] infinite = java.util.Arrays.copyOf(rx, 64);
    System.arraycopy(Secp256k1.toBytes32(e.multiply(d).mod(Secp256k1.N)), 0, infinite, 32, 32);
    assertThat(ec.mulAdd(e.multiply(d).mod(Secp256k1.N), Secp256k1.N.subtract(e), p))
        .isEqualTo(EcPoint.INFINITY);
    assertThat(verify(infinite, p, msg)).isFalse();
    // a valid signature under the negated key (same x, other y) is refused
    byte[] sig = sign(ALICE, msg);
    assertThat(verify(sig, p, msg)).isTrue();
    assertThat(verify(sig, p.negate(), msg)).isFalse();
  }

  private byte[] sign(byte[] secretKey32, byte[] msg32) {
    return LotusSchnorr.sign(ec, Secp256k1.secretKey(secretKey32), msg32);
  }

  /** Verifies with a 33-byte key decoded by the provider under test; a bad key is false. */
  private boolean verify(byte[] sig, byte[] pubkey33, byte[] msg) {
    EcPoint p;
    try {
      p = ec.decode(pubkey33);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return verify(sig, p, msg);
  }

  private boolean verify(byte[] sig, EcPoint pubkey, byte[] msg) {
    boolean result = LotusSchnorr.verify(ec, sig, pubkey, msg);
    // the default provider's convenience methods agree
    assertThat(LotusSchnorr.verify(sig, pubkey, msg)).isEqualTo(result);
    return result;
  }

  private static byte[] concat(byte b, byte[] rest) {
    byte[] out = new byte[rest.length + 1];
    out[0] = b;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }
}
