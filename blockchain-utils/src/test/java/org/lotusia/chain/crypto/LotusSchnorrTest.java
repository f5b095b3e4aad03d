package org.lotusia.chain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LotusSchnorrTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] ALICE = HEX.parseHex("11".repeat(32));
  private static final String ALICE_PUB =
      "034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa";

  @Test
  void ownershipProofVectorV5() throws Exception {
    byte[] msg = Hashes.sha256(HEX.parseHex("a1".repeat(32) + "11".repeat(32) + "00"));
    assertThat(HEX.formatHex(msg))
        .isEqualTo("d0287a8540e0ef4160c7ada587a9aed1dee46a7271abeddb99d94d6af191e7b3");
    byte[] sig = LotusSchnorr.sign(ALICE, msg);
    assertThat(HEX.formatHex(sig))
        .isEqualTo(
            "39aaae03f959a815ebd01021cb1dd21795b63e74f859c65de4b0cb9bbb12ca49"
                + "e15c5725c19e31c246e4eb71b3e11d508be62472de17077980c6a6679c50f16d");
    assertThat(LotusSchnorr.verify(sig, HEX.parseHex(ALICE_PUB), msg)).isTrue();
    assertThat(RefEc.schnorrVerify(sig, HEX.parseHex(ALICE_PUB), msg)).isTrue();
  }

  @Test
  void poolAnnouncementVectorV4() {
    byte[] msg = HEX.parseHex("83049831c721a2078e9fa6212f49072a46c039fddf2f1b5a265b0a4f71be94b7");
    byte[] data = HEX.parseHex("a1".repeat(32) + "31303030303030" + "31373030303030303030303030");
    assertThat(Hashes.sha256(data)).isEqualTo(msg);
    byte[] sig = LotusSchnorr.sign(ALICE, msg);
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
    assertThat(LotusSchnorr.verify(sig, c, m)).isTrue();
    assertThat(RefEc.schnorrVerify(sig, c, m)).isTrue();
    m[0] ^= 1;
    assertThat(LotusSchnorr.verify(sig, c, m)).isFalse();
  }

  @Test
  void randomSignaturesVerifyIndependentlyAndTamperingFails() throws Exception {
    Random rnd = new Random(42);
    for (int i = 0; i < 40; i++) {
      BigInteger d =
          new BigInteger(256, rnd).mod(Secp256k1.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      byte[] msg = new byte[32];
      rnd.nextBytes(msg);
      byte[] sig = LotusSchnorr.sign(d, msg);
      EcPoint p = Secp256k1.defaultProvider().mulG(d);
      byte[] pub = p.encodeCompressed();
      assertThat(LotusSchnorr.verify(sig, p, msg)).isTrue();
      assertThat(RefEc.schnorrVerify(sig, pub, msg)).isTrue();
      // The nonce point R must have a square y (the Bitcoin-ABC rule).
      EcPoint r =
          Secp256k1.defaultProvider().decode(concat((byte) 2, java.util.Arrays.copyOf(sig, 32)));
      assertThat(r.hasSquareY() || r.negate().hasSquareY()).isTrue();
      byte[] bad = sig.clone();
      bad[rnd.nextInt(64)] ^= (byte) (1 << rnd.nextInt(8));
      assertThat(LotusSchnorr.verify(bad, p, msg))
          .isEqualTo(RefEc.schnorrVerify(bad, pub, msg))
          .isFalse();
    }
  }

  @Test
  void rejectsOutOfRangeValuesWithoutThrowing() {
    byte[] msg = new byte[32];
    byte[] pub = HEX.parseHex(ALICE_PUB);
    byte[] sig = LotusSchnorr.sign(ALICE, msg);
    byte[] highR = sig.clone();
    System.arraycopy(Secp256k1.toBytes32(Secp256k1.P), 0, highR, 0, 32);
    assertThat(LotusSchnorr.verify(highR, pub, msg)).isFalse();
    byte[] highS = sig.clone();
    System.arraycopy(Secp256k1.toBytes32(Secp256k1.N), 0, highS, 32, 32);
    assertThat(LotusSchnorr.verify(highS, pub, msg)).isFalse();
    assertThat(LotusSchnorr.verify(new byte[63], pub, msg)).isFalse();
    assertThat(LotusSchnorr.verify(sig, new byte[33], msg)).isFalse();
    assertThat(LotusSchnorr.verify(sig, pub, new byte[31])).isFalse();
    assertThatThrownBy(() -> LotusSchnorr.sign(new byte[32], msg))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LotusSchnorr.sign(ALICE, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] concat(byte b, byte[] rest) {
    byte[] out = new byte[rest.length + 1];
    out[0] = b;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }
}
