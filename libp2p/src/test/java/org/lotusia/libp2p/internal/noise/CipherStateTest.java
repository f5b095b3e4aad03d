package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CipherStateTest {

  private static byte[] key(int b) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) b);
    return k;
  }

  @Test
  void withoutKeyMessagesPassUnchanged() {
    CipherState cs = new CipherState();
    assertThat(cs.hasKey()).isFalse();
    byte[] pt = {1, 2, 3};
    assertThat(cs.encryptWithAd(new byte[0], pt)).isEqualTo(pt);
    assertThat(cs.decryptWithAd(new byte[0], pt)).isEqualTo(pt);
    assertThat(cs.nonce()).isZero();
  }

  @Test
  void roundTripAdvancesNonceAndBindsAssociatedData() {
    CipherState a = new CipherState(key(7));
    CipherState b = new CipherState(key(7));
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

  @Test
  void sameMessageUnderConsecutiveNoncesDiffers() {
    CipherState a = new CipherState(key(1));
    byte[] pt = new byte[40];
    byte[] c0 = new byte[56];
    byte[] c1 = new byte[56];
    a.encrypt(pt, 0, 40, c0, 0);
    a.encrypt(pt, 0, 40, c1, 0);
    assertThat(c0).isNotEqualTo(c1);
  }

  @Test
  void nonceTwoToTheSixtyFourMinusOneIsNeverUsed() {
    CipherState a = new CipherState(key(3));
    CipherState b = new CipherState(key(3));
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

  @Test
  void shortTransportMessageIsRejected() {
    CipherState b = new CipherState(key(3));
    assertThatThrownBy(() -> b.decrypt(new byte[15], 0, 15, new byte[0], 0))
        .isInstanceOf(NoiseFailure.class)
        .hasMessageContaining("shorter than the 16-byte tag");
  }

  @Test
  void keyMustBe32Bytes() {
    assertThatThrownBy(() -> new CipherState(new byte[31]))
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
}
