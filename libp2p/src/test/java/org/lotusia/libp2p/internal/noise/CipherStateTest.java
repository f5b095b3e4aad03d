package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cipher tests run for every ChaCha20-Poly1305 implementation that can be selected on this
 * platform (native where Conscrypt loads, the JDK's, and the project's own).
 */
class CipherStateTest {

  /** The implementations available here; the native one is missing where its library does not load. */
  static Stream<AeadImplementation> implementations() {
    List<AeadImplementation> all =
        Stream.of(AeadImplementation.values()).filter(AeadImplementation::isAvailable).toList();
    assertThat(all).contains(AeadImplementation.JAVA, AeadImplementation.JDK);
    return all.stream();
  }

  private static byte[] key(int b) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) b);
    return k;
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void withoutKeyMessagesPassUnchanged(AeadImplementation impl) {
    CipherState cs = new CipherState(impl);
    assertThat(cs.hasKey()).isFalse();
    byte[] pt = {1, 2, 3};
    assertThat(cs.encryptWithAd(new byte[0], pt)).isEqualTo(pt);
    assertThat(cs.decryptWithAd(new byte[0], pt)).isEqualTo(pt);
    assertThat(cs.nonce()).isZero();
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void roundTripAdvancesNonceAndBindsAssociatedData(AeadImplementation impl) {
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
  @MethodSource("implementations")
  void sameMessageUnderConsecutiveNoncesDiffers(AeadImplementation impl) {
    CipherState a = new CipherState(impl, key(1));
    byte[] pt = new byte[40];
    byte[] c0 = new byte[56];
    byte[] c1 = new byte[56];
    a.encrypt(pt, 0, 40, c0, 0);
    a.encrypt(pt, 0, 40, c1, 0);
    assertThat(c0).isNotEqualTo(c1);
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void nonceTwoToTheSixtyFourMinusOneIsNeverUsed(AeadImplementation impl) {
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
  @MethodSource("implementations")
  void shortTransportMessageIsRejected(AeadImplementation impl) {
    CipherState b = new CipherState(impl, key(3));
    assertThatThrownBy(() -> b.decrypt(new byte[15], 0, 15, new byte[0], 0))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining("shorter than the 16-byte tag");
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void keyMustBe32Bytes(AeadImplementation impl) {
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
  @MethodSource("implementations")
  void destroyForgetsTheKey(AeadImplementation impl) {
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
  @MethodSource("implementations")
  void failedTransportDecryptionKeepsTheNonceAndAllowsARetry(AeadImplementation impl) {
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
  void everyPairOfImplementationsAgreesOnEveryMessage() {
    List<AeadImplementation> impls = implementations().toList();
    SplittableRandom rnd = new SplittableRandom(42);
    for (AeadImplementation sender : impls) {
      for (AeadImplementation receiver : impls) {
        byte[] k = new byte[32];
        rnd.nextBytes(k);
        CipherState s = new CipherState(sender, k);
        CipherState reference = new CipherState(AeadImplementation.JAVA, k);
        CipherState r = new CipherState(receiver, k);
        for (int len : new int[] {0, 1, 63, 64, 65, 511, 513, 1000, 8193, 65519}) {
          byte[] pt = new byte[len];
          rnd.nextBytes(pt);
          byte[] ad = new byte[len % 7];
          rnd.nextBytes(ad);
          byte[] ct = s.encryptWithAd(ad, pt);
          assertThat(reference.encryptWithAd(ad, pt))
              .as("%s vs java, %d bytes", sender, len)
              .isEqualTo(ct);
          assertThat(r.decryptWithAd(ad, ct)).as("%s -> %s", sender, receiver).isEqualTo(pt);

          // Transport messages in place, as the Noise codec may hand them over.
          byte[] buf = Arrays.copyOf(pt, len + 16);
          s.encrypt(buf, 0, len, buf, 0);
          byte[] expected = new byte[len + 16];
          reference.encrypt(pt, 0, len, expected, 0);
          assertThat(buf).isEqualTo(expected);
          assertThat(r.decrypt(buf, 0, len + 16, buf, 0)).isEqualTo(len);
          assertThat(Arrays.copyOf(buf, len)).isEqualTo(pt);

          // Direct buffers, as the codec uses them with the native implementation.
          ByteBuffer in = ByteBuffer.allocateDirect(len).put(pt).flip();
          ByteBuffer sealed = ByteBuffer.allocateDirect(len + 16);
          assertThat(s.encrypt(in, sealed)).isEqualTo(len + 16);
          reference.encrypt(pt, 0, len, expected, 0);
          byte[] sealedBytes = new byte[len + 16];
          sealed.clear().get(sealedBytes);
          assertThat(sealedBytes).as("%s direct, %d bytes", sender, len).isEqualTo(expected);
          ByteBuffer opened = ByteBuffer.allocateDirect(len);
          assertThat(r.decrypt(sealed.clear(), opened)).isEqualTo(len);
          byte[] back = new byte[len];
          opened.clear().get(back);
          assertThat(back).isEqualTo(pt);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void forgedDirectBufferMessageIsRejectedAndKeepsTheNonce(AeadImplementation impl) {
    CipherState a = new CipherState(impl, key(8));
    CipherState b = new CipherState(impl, key(8));
    ByteBuffer sealed = ByteBuffer.allocateDirect(116);
    a.encrypt(ByteBuffer.allocateDirect(100), sealed);
    sealed.put(7, (byte) (sealed.get(7) ^ 0x40));
    assertThatThrownBy(() -> b.decrypt(sealed.clear(), ByteBuffer.allocateDirect(100)))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining("authentication failed");
    assertThat(b.nonce()).isZero();
  }

  @Test
  void aStateOnTheProcessWideSelectionUsesItsCurrentImplementation() {
    CipherState s = new CipherState(key(2));
    assertThat(s.implementation()).isEqualTo(AeadSelection.global().current());
    byte[] ct = s.encryptWithAd(new byte[0], new byte[] {1, 2, 3});
    assertThat(new CipherState(AeadImplementation.JAVA, key(2)).decryptWithAd(new byte[0], ct))
        .containsExactly(1, 2, 3);
  }
}
