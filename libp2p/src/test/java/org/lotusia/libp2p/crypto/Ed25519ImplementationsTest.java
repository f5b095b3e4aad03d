package org.lotusia.libp2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.internal.noise.NativeAead;

/**
 * Ed25519 on BoringSSL (where it loads) and on BouncyCastle: the same signatures, and the same
 * verification decisions on valid signatures, on the edge cases of the ed25519-speccheck vectors,
 * on small-order and non-canonical keys, and on a signature valid only up to a small-order
 * component.
 */
class Ed25519ImplementationsTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger P =
      BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  private static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  @Test
  void theNativeImplementationIsUsedWhereTheLibraryLoads() {
    assertThat(NativeEd25519.get() != null).isEqualTo(NativeAead.provider() != null);
    if (System.getProperty("os.name").equals("Linux")
        && System.getProperty("os.arch").equals("amd64")) {
      assertThat(NativeEd25519.get()).as("BoringSSL's Ed25519 on Linux x86-64").isNotNull();
    }
  }

  @Test
  void rfc8032Vector2SignsAndVerifiesOnBoth() {
    Ed25519Keys.Priv k =
        (Ed25519Keys.Priv)
            Keys.ed25519FromSeed(
                HEX.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
    byte[] msg = {0x72};
    String expected =
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
            + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";
    assertThat(HEX.formatHex(k.publicKey().raw()))
        .isEqualTo("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    assertThat(HEX.formatHex(k.sign(msg))).isEqualTo(expected);
    assertThat(HEX.formatHex(k.signBouncyCastle(msg))).isEqualTo(expected);
    Ed25519Keys.Pub pub = decode(k.publicKey().raw());
    assertThat(pub.verify(msg, HEX.parseHex(expected))).isTrue();
    assertThat(pub.verifyBouncyCastle(msg, HEX.parseHex(expected))).isTrue();
  }

  @Test
  void bothSignAlikeAndAgreeOnRandomKeysMessagesAndChangedSignatures() {
    SplittableRandom rnd = new SplittableRandom(25519);
    for (int i = 0; i < 200; i++) {
      byte[] seed = new byte[32];
      rnd.nextBytes(seed);
      byte[] msg = new byte[rnd.nextInt(300)];
      rnd.nextBytes(msg);
      Ed25519Keys.Priv k = (Ed25519Keys.Priv) Keys.ed25519FromSeed(seed);
      byte[] sig = k.sign(msg);
      assertThat(sig).as("signature %d", i).isEqualTo(k.signBouncyCastle(msg));
      Ed25519Keys.Pub pub = decode(k.publicKey().raw());
      assertThat(pub.verify(msg, sig)).as("valid %d", i).isTrue();
      byte[] changed = sig.clone();
      changed[rnd.nextInt(64)] ^= (byte) (1 << rnd.nextInt(8));
      assertThat(pub.verify(msg, changed)).as("changed %d", i).isFalse();
      assertThat(pub.verifyBouncyCastle(msg, changed)).as("changed %d", i).isFalse();
    }
  }

  /**
   * The twelve cases of ed25519-speccheck (small-order and mixed-order keys and R, S at or above
   * the group order, non-canonical encodings): every one decided as BouncyCastle decides it.
   */
  @Test
  void specCheckEdgeCasesAreDecidedAsBouncyCastleDecidesThem() {
    StringBuilder decisions = new StringBuilder();
    for (String[] c : SPECCHECK) {
      Ed25519Keys.Pub pub = decode(HEX.parseHex(c[1]));
      byte[] msg = HEX.parseHex(c[0]);
      byte[] sig = HEX.parseHex(c[2]);
      boolean bc = pub.verifyBouncyCastle(msg, sig);
      assertThat(pub.verify(msg, sig)).as("case %d", decisions.length()).isEqualTo(bc);
      decisions.append(bc ? 'V' : 'X');
    }
    assertThat(decisions.toString()).isEqualTo("XXVVVVXXXXXX");
  }

  /** Case 0 is why keys are filtered first: BoringSSL alone accepts it (a small-order key). */
  @Test
  void boringSslAloneAcceptsASmallOrderKeyThatTheFilterRefuses() {
    NativeEd25519 nat = NativeEd25519.get();
    if (nat == null) {
      return; // nothing to filter without the native library
    }
    String[] c = SPECCHECK[0];
    byte[] key = HEX.parseHex(c[1]);
    assertThat(nat.verify(nat.publicKey(key), HEX.parseHex(c[0]), HEX.parseHex(c[2]))).isTrue();
    assertThat(Ed25519Keys.strictKeyEncoding(key)).isFalse();
  }

  @Test
  void smallOrderAndNonCanonicalKeysAreFilteredAndBouncyCastleRefusesThemToo() {
    BigInteger order8 =
        new BigInteger(1, reverse(HEX.parseHex(SPECCHECK[0][1]))).clearBit(255); // a y of order 8
    BigInteger[] refused = {
      BigInteger.ZERO, BigInteger.ONE, P.subtract(BigInteger.ONE), order8, P.subtract(order8)
    };
    int count = 0;
    for (BigInteger y : refused) {
      for (boolean sign : new boolean[] {false, true}) {
        assertFiltered(y, sign);
        count++;
      }
    }
    for (int i = 0; i < 19; i++) { // y from p to 2^255 - 1: the non-canonical encodings
      assertFiltered(P.add(BigInteger.valueOf(i)), i % 2 == 0);
      count++;
    }
    assertThat(count).isEqualTo(29);
    SplittableRandom rnd = new SplittableRandom(8);
    for (int i = 0; i < 100; i++) {
      byte[] seed = new byte[32];
      rnd.nextBytes(seed);
      assertThat(Ed25519Keys.strictKeyEncoding(Keys.ed25519FromSeed(seed).publicKey().raw()))
          .isTrue();
    }
  }

  private static void assertFiltered(BigInteger y, boolean signBit) {
    byte[] a = encode(y, signBit);
    assertThat(Ed25519Keys.strictKeyEncoding(a)).as("y = %s", y.toString(16)).isFalse();
    assertThat(Ed25519.validatePublicKeyPartial(a, 0)).as("y = %s", y.toString(16)).isFalse();
  }

  /**
   * A key with an order-2 component, A' = A + (0, -1), and signatures made with A's secret scalar:
   * when k is odd, [S]B - [k]A' - R is the point of order 2. BoringSSL checks the equation exactly
   * and refuses each; BouncyCastle checks it up to the cofactor, as RFC 8032 permits, and accepts.
   * Each is decided as BouncyCastle decides it, so by BouncyCastle after BoringSSL refused it.
   */
  @Test
  void signaturesValidOnlyUpToASmallOrderComponentAreDecidedAsBouncyCastleDecidesThem()
      throws Exception {
    byte[] seed = HEX.parseHex("0101010101010101010101010101010101010101010101010101010101010101");
    byte[] nonceSeed =
        HEX.parseHex("0202020202020202020202020202020202020202020202020202020202020202");
    BigInteger a = secretScalar(seed);
    BigInteger r = secretScalar(nonceSeed);
    byte[] rBytes = Keys.ed25519FromSeed(nonceSeed).publicKey().raw(); // R = [r]B
    byte[] aBytes = Keys.ed25519FromSeed(seed).publicKey().raw();
    BigInteger y = new BigInteger(1, reverse(aBytes)).clearBit(255);
    boolean xNegative = (aBytes[31] & 0x80) != 0;
    byte[] mixed = encode(P.subtract(y), !xNegative); // (-x, -y) = A + (0, -1)
    Ed25519Keys.Pub pub = decode(mixed);
    assertThat(Ed25519Keys.strictKeyEncoding(mixed)).isTrue();

    int odd = 0;
    for (int i = 0; i < 64; i++) {
      byte[] msg = {(byte) i};
      BigInteger k = new BigInteger(1, reverse(sha512(rBytes, mixed, msg))).mod(L);
      byte[] s = reverse(pad32(r.add(k.multiply(a)).mod(L)));
      byte[] sig = new byte[64];
      System.arraycopy(rBytes, 0, sig, 0, 32);
      System.arraycopy(s, 0, sig, 32, 32);
      boolean bc = pub.verifyBouncyCastle(msg, sig);
      assertThat(pub.verify(msg, sig)).as("message %d", i).isEqualTo(bc);
      NativeEd25519 nat = NativeEd25519.get();
      if (nat != null) {
        assertThat(nat.verify(nat.publicKey(mixed), msg, sig)).isEqualTo(!k.testBit(0));
      }
      assertThat(bc).as("message %d", i).isTrue();
      odd += k.testBit(0) ? 1 : 0;
    }
    assertThat(odd).isBetween(16, 48);
  }

  private static Ed25519Keys.Pub decode(byte[] raw) {
    return (Ed25519Keys.Pub) Ed25519Keys.decodePublic(raw);
  }

  /** RFC 8032's secret scalar of a seed: the first half of SHA-512(seed), clamped. */
  private static BigInteger secretScalar(byte[] seed) throws NoSuchAlgorithmException {
    byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
    byte[] s = java.util.Arrays.copyOf(h, 32);
    s[0] &= (byte) 248;
    s[31] &= 127;
    s[31] |= 64;
    return new BigInteger(1, reverse(s));
  }

  private static byte[] sha512(byte[]... parts) throws NoSuchAlgorithmException {
    MessageDigest d = MessageDigest.getInstance("SHA-512");
    for (byte[] p : parts) {
      d.update(p);
    }
    return d.digest();
  }

  /** The 32-byte little-endian encoding of y with x's sign in the top bit. */
  private static byte[] encode(BigInteger y, boolean signBit) {
    byte[] out = reverse(pad32(y));
    if (signBit) {
      out[31] |= (byte) 0x80;
    }
    return out;
  }

  private static byte[] pad32(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, 32 - n, n);
    return out;
  }

  private static byte[] reverse(byte[] b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[b.length - 1 - i];
    }
    return out;
  }

  /** ed25519-speccheck's cases 0 to 11: message, public key, signature. */
  private static final String[][] SPECCHECK = {
    {
      "8c93255d71dcab10e8f379c26200f3c7bd5f09d9bc3068d3ef4edeb4853022b6",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"
          + "0000000000000000000000000000000000000000000000000000000000000000"
    },
    {
      "9bd9f44f4dcc75bd531b56b2cd280b0bb38fc1cd6d1230e14861d861de092e79",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
      "f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43"
          + "a5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04"
    },
    {
      "aebf3f2601a0c8c5d39cc7d8911642f740b78168218da8471772b35f9d35b9ab",
      "f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"
          + "8c4bd45aecaca5b24fb97bc10ac27ac8751a7dfe1baff8b953ec9f5833ca260e"
    },
    {
      "9bd9f44f4dcc75bd531b56b2cd280b0bb38fc1cd6d1230e14861d861de092e79",
      "cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d",
      "9046a64750444938de19f227bb80485e92b83fdb4b6506c160484c016cc1852f"
          + "87909e14428a7a1d62e9f22f3d3ad7802db02eb2e688b6c52fcd6648a98bd009"
    },
    {
      "e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec4011eaccd55b53f56c",
      "cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d",
      "160a1cb0dc9c0258cd0a7d23e94d8fa878bcb1925f2c64246b2dee1796bed512"
          + "5ec6bc982a269b723e0668e540911a9a6a58921d6925e434ab10aa7940551a09"
    },
    {
      "e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec4011eaccd55b53f56c",
      "cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d",
      "21122a84e0b5fca4052f5b1235c80a537878b38f3142356b2c2384ebad4668b7"
          + "e40bc836dac0f71076f9abe3a53f9c03c1ceeeddb658d0030494ace586687405"
    },
    {
      "85e241a07d148b41e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec40",
      "442aad9f089ad9e14647b1ef9099a1ff4798d78589e66f28eca69c11f582a623",
      "e96f66be976d82e60150baecff9906684aebb1ef181f67a7189ac78ea23b6c0e"
          + "547f7690a0e2ddcd04d87dbc3490dc19b3b3052f7ff0538cb68afb369ba3a514"
    },
    {
      "85e241a07d148b41e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec40",
      "442aad9f089ad9e14647b1ef9099a1ff4798d78589e66f28eca69c11f582a623",
      "8ce5b96c8f26d0ab6c47958c9e68b937104cd36e13c33566acd2fe8d38aa1942"
          + "7e71f98a473474f2f13f06f97c20d58cc3f54b8bd0d272f42b695dd7e89a8c22"
    },
    {
      "9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41",
      "f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
          + "03be9678ac102edcd92b0210bb34d7428d12ffc5df5f37e359941266a4e35f0f"
    },
    {
      "9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41",
      "f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
          + "ca8c5b64cd208982aa38d4936621a4775aa233aa0505711d8fdcfdaa943d4908"
    },
    {
      "e96b7021eb39c1a163b6da4e3093dcd3f21387da4cc4572be588fafae23c155b",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "a9d55260f765261eb9b84e106f665e00b867287a761990d7135963ee0a7d59dc"
          + "a5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04"
    },
    {
      "39a591f5321bbe07fd5a23dc2f39d025d74526615746727ceefd6e82ae65c06f",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "a9d55260f765261eb9b84e106f665e00b867287a761990d7135963ee0a7d59dc"
          + "a5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04"
    }
  };
}
