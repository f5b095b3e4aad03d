package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** X25519 on BoringSSL (where it loads) and on BouncyCastle: RFC 7748 answers, agreement, refusals. */
class X25519KeyPairTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void theNativeImplementationIsUsedWhereTheLibraryLoads() {
    assertThat(NativeX25519.get() != null).isEqualTo(AeadImplementation.NATIVE.isAvailable());
  }

  @Test
  void rfc7748DiffieHellmanVector() {
    // RFC 7748 section 6.1.
    X25519KeyPair alice =
        X25519KeyPair.fromPrivateKey(
            HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    X25519KeyPair bob =
        X25519KeyPair.fromPrivateKey(
            HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
    assertThat(HEX.formatHex(alice.publicKey()))
        .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    assertThat(HEX.formatHex(bob.publicKey()))
        .isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    assertThat(HEX.formatHex(alice.dh(bob.publicKey()))).isEqualTo(shared);
    assertThat(HEX.formatHex(bob.dh(alice.publicKey()))).isEqualTo(shared);
    assertThat(HEX.formatHex(alice.dhJava(bob.publicKey()))).isEqualTo(shared);
  }

  @Test
  void generatedKeyPairsHaveThePublicKeyBouncyCastleComputes() {
    for (int i = 0; i < 100; i++) {
      X25519KeyPair kp = X25519KeyPair.generate();
      byte[] expected = new byte[32];
      org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(kp.privateKey(), 0, expected, 0);
      assertThat(kp.publicKey()).as("pair %d", i).isEqualTo(expected);
      assertThat(X25519KeyPair.fromPrivateKey(kp.privateKey()).publicKey()).isEqualTo(expected);
    }
  }

  @Test
  void nativeAndBouncyCastleAgreeOnRandomKeysIncludingTheMaskedTopBit() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 200; i++) {
      byte[] sk = new byte[32];
      rnd.nextBytes(sk);
      X25519KeyPair kp = X25519KeyPair.fromPrivateKey(sk);
      byte[] u = X25519KeyPair.generate().publicKey();
      if (i % 2 == 1) {
        u[31] |= (byte) 0x80; // must be ignored (RFC 7748 section 5)
      }
      assertThat(kp.dh(u)).as("key %d", i).isEqualTo(kp.dhJava(u));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
      })
  void lowOrderPublicKeysAreRefusedByBoth(String hex) {
    X25519KeyPair kp = X25519KeyPair.generate();
    byte[] u = HEX.parseHex(hex);
    assertThatThrownBy(() -> kp.dh(u))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining("low-order");
    assertThatThrownBy(() -> kp.dhJava(u))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining("low-order");
  }
}
