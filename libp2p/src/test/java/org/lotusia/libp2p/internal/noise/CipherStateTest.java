package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.libp2p.internal.noise.CipherState.Implementation;

/** Cipher tests run for both ChaCha20-Poly1305 implementations. */
class CipherStateTest {

  private static byte[] key(int b) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) b);
    return k;
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void withoutKeyMessagesPassUnchanged(Implementation impl) {
    CipherState cs = new CipherState(impl);
    assertThat(cs.hasKey()).isFalse();
    byte[] pt = {1, 2, 3};
    assertThat(cs.encryptWithAd(new byte[0], pt)).isEqualTo(pt);
    assertThat(cs.decryptWithAd(new byte[0], pt)).isEqualTo(pt);
    assertThat(cs.nonce()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void roundTripAdvancesNonceAndBindsAssociatedData(Implementation impl) {
    CipherState a = new CipherState(impl, key(7));
    CipherState b = new CipherState(impl, key(7));
    byte[] ad = {9, 9};
    byte[] ct = a.encryptWithAd(ad, "hello".getBytes());
    assertThat(ct).hasSize(5 + 16);
    assertThat(a.nonce()).isEqualTo(1);
    assertThatThrownBy(() -> b.decryptWithAd(new byte[] {9, 8}, ct))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining("authentication failed");
    assertThat(b.nonce()).as("a failed decryption keeps the nonce").isZero();
    assertThat(new String(b.decryptWithAd(ad, ct))).isEqualTo("hello");
    assertThat(b.nonce()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void sameMessageUnderConsecutiveNoncesDiffers(Implementation impl) {
    CipherState a = new CipherState(impl, key(1));
    byte[] pt = new byte[40];
    byte[] c0 = new byte[56];
    byte[] c1 = new byte[56];
    a.encrypt(pt, 0, 40, c0, 0);
    a.encrypt(pt, 0, 40, c1, 0);
    assertThat(c0).isNotEqualTo(c1);
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void nonceTwoToTheSixtyFourMinusOneIsNeverUsed(Implementation impl) {
    CipherState a = new CipherState(impl, key(3));
    CipherState b = new CipherState(impl, key(3));
    a.setNonce(-2L); // 2^64 - 2, the last usable nonce
    b.setNonce(-2L);
    byte[] ct = new byte[16 + 4];
    a.encrypt(new byte[4], 0, 4, ct, 0);
    assertThat(b.decrypt(ct, 0, ct.length, new byte[4], 0)).isEqualTo(4);
    assertThat(a.nonce()).isEqualTo(-1L);
    assertThatThrownBy(() -> a.encrypt(new byte[4], 0, 4, new byte[20], 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nonce space exhausted");
    assertThatThrownBy(() -> b.decrypt(ct, 0, ct.length, new byte[4], 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nonce space exhausted");
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void shortTransportMessageIsRejected(Implementation impl) {
    CipherState b = new CipherState(impl, key(3));
    assertThatThrownBy(() -> b.decrypt(new byte[15], 0, 15, new byte[0], 0))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining("shorter than the 16-byte tag");
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void keyMustBe32Bytes(Implementation impl) {
    assertThatThrownBy(() -> new CipherState(impl, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }

  @Test
  void lowOrderRemoteKeyIsRejected() {
    X25519KeyPair kp = X25519KeyPair.generate();
    assertThatThrownBy(() -> kp.dh(new byte[32]))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining("low-order");
  }

  @Test
  void truncatedHandshakeMessagesAreRejectedWithTheirNumber() {
    HandshakeState init = new HandshakeState(true, new byte[0], X25519KeyPair.generate());
    HandshakeState resp = new HandshakeState(false, new byte[0], X25519KeyPair.generate());
    assertThatThrownBy(() -> resp.readMessage(new byte[31]))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining("message 1 is 31 bytes");
    HandshakeState resp2 = new HandshakeState(false, new byte[0], X25519KeyPair.generate());
    resp2.readMessage(init.writeMessage(new byte[0]));
    byte[] m2 = resp2.writeMessage(new byte[0]);
    assertThat(m2).hasSize(96);
    assertThatThrownBy(() -> init.readMessage(Arrays.copyOf(m2, 95)))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining("message 2 is 95 bytes");
  }

  @Test
  void writingOutOfTurnIsACallerError() {
    HandshakeState resp = new HandshakeState(false, new byte[0], X25519KeyPair.generate());
    assertThatThrownBy(() -> resp.writeMessage(new byte[0]))
        .isInstanceOf(IllegalStateException.class);
    HandshakeState init = new HandshakeState(true, new byte[0], X25519KeyPair.generate());
    assertThatThrownBy(() -> init.writeMessage(new byte[65535 - 31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceed 65535");
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void destroyForgetsTheKey(Implementation impl) {
    CipherState a = new CipherState(impl, key(5));
    a.encrypt(new byte[3], 0, 3, new byte[19], 0);
    a.destroy();
    assertThat(a.hasKey()).isFalse();
    assertThat(a.encryptWithAd(new byte[0], new byte[] {4, 5})).containsExactly(4, 5);
    assertThatThrownBy(() -> a.encrypt(new byte[3], 0, 3, new byte[19], 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no key");
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void failedTransportDecryptionKeepsTheNonceAndAllowsARetry(Implementation impl) {
    CipherState a = new CipherState(impl, key(6));
    CipherState b = new CipherState(impl, key(6));
    byte[] pt = new byte[1000];
    Arrays.fill(pt, (byte) 3);
    byte[] ct = new byte[1016];
    a.encrypt(pt, 0, 1000, ct, 0);
    byte[] bad = ct.clone();
    bad[500] ^= 1;
    assertThatThrownBy(() -> b.decrypt(bad, 0, bad.length, new byte[1000], 0))
        .isInstanceOf(NoiseFailure.class)
        .hasMessage("ChaCha20-Poly1305 authentication failed for message with nonce 0");
    assertThat(b.nonce()).isZero();
    byte[] back = new byte[1000];
    assertThat(b.decrypt(ct, 0, ct.length, back, 0)).isEqualTo(1000);
    assertThat(back).isEqualTo(pt);
    assertThat(b.nonce()).isEqualTo(1);
  }

  @Test
  void bothImplementationsProduceTheSameMessages() {
    SplittableRandom rnd = new SplittableRandom(42);
    for (Implementation sender : Implementation.values()) {
      Implementation receiver =
          sender == Implementation.JAVA ? Implementation.JDK : Implementation.JAVA;
      byte[] k = new byte[32];
      rnd.nextBytes(k);
      CipherState javaState = new CipherState(Implementation.JAVA, k);
      CipherState jdkState = new CipherState(Implementation.JDK, k);
      CipherState s = sender == Implementation.JAVA ? javaState : jdkState;
      CipherState other = sender == Implementation.JAVA ? jdkState : javaState;
      CipherState r = new CipherState(receiver, k);
      for (int len : new int[] {0, 1, 63, 64, 65, 511, 513, 1000, 8193, 65519}) {
        byte[] pt = new byte[len];
        rnd.nextBytes(pt);
        byte[] ad = new byte[len % 7];
        rnd.nextBytes(ad);
        byte[] ct = s.encryptWithAd(ad, pt);
        assertThat(other.encryptWithAd(ad, pt))
            .as("%s vs %s, %d bytes", sender, receiver, len)
            .isEqualTo(ct);
        assertThat(r.decryptWithAd(ad, ct)).isEqualTo(pt);

        // Transport messages in place, as the Noise codec may hand them over.
        byte[] buf = Arrays.copyOf(pt, len + 16);
        s.encrypt(buf, 0, len, buf, 0);
        other.encrypt(pt, 0, len, new byte[len + 16], 0); // keep the nonces in step
        assertThat(r.decrypt(buf, 0, len + 16, buf, 0)).isEqualTo(len);
        assertThat(Arrays.copyOf(buf, len)).isEqualTo(pt);
      }
    }
  }

  @Test
  void implementationIsChosenByJdkVersionUnlessThePropertySaysOtherwise() {
    assertThat(CipherState.select(null, 17)).isEqualTo(Implementation.JAVA);
    assertThat(CipherState.select(null, 20)).isEqualTo(Implementation.JAVA);
    assertThat(CipherState.select(null, 21)).isEqualTo(Implementation.JDK);
    assertThat(CipherState.select(null, 25)).isEqualTo(Implementation.JDK);
    assertThat(CipherState.select("", 17)).isEqualTo(Implementation.JAVA);
    assertThat(CipherState.select("jdk", 17)).isEqualTo(Implementation.JDK);
    assertThat(CipherState.select("java", 25)).isEqualTo(Implementation.JAVA);
    assertThat(CipherState.select(" JDK ", 17)).isEqualTo(Implementation.JDK);
    assertThatThrownBy(() -> CipherState.select("bouncycastle", 17))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lotus.noise.aead must be 'java' or 'jdk'");
    assertThat(new CipherState().implementation()).isEqualTo(CipherState.DEFAULT);
    assertThat(CipherState.DEFAULT)
        .isEqualTo(
            CipherState.select(
                System.getProperty(CipherState.IMPLEMENTATION_PROPERTY),
                Runtime.version().feature()));
  }
}
