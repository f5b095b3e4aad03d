package org.lotusia.libp2p.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.libp2p.multiformats.Multibase.hex;
import static org.lotusia.libp2p.multiformats.Multibase.unhex;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;

class EnvelopeTest {

  private static final IdentityPrivateKey KEY =
      Keys.ed25519FromSeed(
          unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

  @Test
  void signedBytesLayout() {
    byte[] b = Envelope.signedBytes("test-domain", new byte[] {0x03, 0x01}, HELLO);
    assertThat(hex(b))
        .isEqualTo(
            "0b"
                + hex("test-domain".getBytes(StandardCharsets.UTF_8))
                + "020301"
                + "05"
                + hex(HELLO));
    byte[] big = new byte[300];
    byte[] withBig = Envelope.signedBytes("d", new byte[0], big);
    assertThat(hex(withBig).substring(0, 10)).isEqualTo("016400ac02");
    assertThatThrownBy(() -> Envelope.signedBytes("", new byte[0], new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("domain must not be empty");
  }

  @Test
  void knownAnswerEncoding() {
    Envelope e = Envelope.seal(KEY, "test-domain", new byte[] {0x03, 0x01}, HELLO);
    byte[] sig = KEY.sign(Envelope.signedBytes("test-domain", new byte[] {0x03, 0x01}, HELLO));
    assertThat(e.signature()).isEqualTo(sig);
    String expected =
        "0a24"
            + "08011220d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
            + "12020301"
            + "1a05"
            + hex(HELLO)
            + "2a40"
            + hex(sig);
    assertThat(hex(e.toBytes())).isEqualTo(expected);
    Envelope back = Envelope.open(unhex(expected), "test-domain");
    assertThat(back).isEqualTo(e).hasSameHashCodeAs(e);
    assertThat(back.payload()).isEqualTo(HELLO);
    assertThat(back.payloadType()).containsExactly(0x03, 0x01);
    assertThat(back.peerId()).isEqualTo(PeerId.fromPublicKey(KEY.publicKey()));
    assertThat(back.toString()).contains(back.peerId().toString());
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void sealOpenEveryKeyType(KeyType type) {
    IdentityPrivateKey k = Keys.generate(type);
    Envelope e = Envelope.seal(k, "my-domain", new byte[] {1}, HELLO);
    Envelope opened = Envelope.open(e.toBytes(), "my-domain");
    assertThat(opened.publicKey()).isEqualTo(k.publicKey());
    assertThat(opened.verify("other-domain")).isFalse();
    assertThatThrownBy(() -> Envelope.open(e.toBytes(), "other-domain"))
        .hasMessageContaining("does not verify for domain 'other-domain'");
  }

  @Test
  void emptyPayloadRoundTrips() {
    Envelope e = Envelope.seal(KEY, "d", new byte[0], new byte[0]);
    assertThat(Envelope.open(e.toBytes(), "d").payload()).isEmpty();
  }

  @Test
  void tamperingIsDetected() {
    byte[] bytes = Envelope.seal(KEY, "d", new byte[] {0x03, 0x01}, HELLO).toBytes();
    // Flip a byte of the payload ("hello" starts after 0a24 <36> 12020301 1a05).
    byte[] tampered = bytes.clone();
    tampered[2 + 36 + 4 + 2] ^= 1;
    assertThatThrownBy(() -> Envelope.open(tampered, "d")).hasMessageContaining("does not verify");
    // Swapping in another signer's key fails too.
    IdentityPrivateKey other = Keys.generateEd25519();
    byte[] swapped = bytes.clone();
    System.arraycopy(other.publicKey().raw(), 0, swapped, 6, 32);
    assertThatThrownBy(() -> Envelope.open(swapped, "d")).hasMessageContaining("does not verify");
  }

  @Test
  void malformedEnvelopesRejected() {
    assertThatThrownBy(() -> Envelope.open(unhex("ff"), "d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed envelope");
    assertThatThrownBy(() -> Envelope.open(unhex("1a0568656c6c6f2a0101"), "d"))
        .hasMessageContaining("no public key");
    assertThatThrownBy(
            () ->
                Envelope.open(
                    unhex("0a24" + hex(KEY.publicKey().encoded()) + "1a0568656c6c6f"), "d"))
        .hasMessageContaining("no signature");
    assertThatThrownBy(() -> Envelope.open(unhex("0a0408011200" + "2a0101"), "d"))
        .hasMessageContaining("public key is invalid");
    assertThatThrownBy(() -> Envelope.open(unhex("0a020801" + "2a0101"), "d"))
        .hasMessageContaining("malformed envelope");
    byte[] big = Envelope.seal(KEY, "d", new byte[0], new byte[2000]).toBytes();
    assertThatThrownBy(() -> Envelope.open(big, "d", 1000))
        .hasMessageContaining("exceeds the limit of 1000");
    assertThat(Envelope.open(big, "d", big.length).payload()).hasSize(2000);
  }
}
