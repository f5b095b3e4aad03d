package org.lotusia.libp2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.libp2p.multiformats.Multibase.hex;
import static org.lotusia.libp2p.multiformats.Multibase.unhex;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeysTest {

  private static final byte[] MSG = "libp2p signing test".getBytes(StandardCharsets.UTF_8);

  /** type name -> {private hex, public hex} from the peer-id spec. */
  private static Map<KeyType, String[]> specVectors() {
    Map<KeyType, String[]> m = new HashMap<>();
    for (String[] row : TestVectors.rows("/vectors/peer-id-keys.txt")) {
      KeyType type = KeyType.valueOf(row[0].toUpperCase(Locale.ROOT));
      String[] pair = m.computeIfAbsent(type, t -> new String[2]);
      pair[row[1].equals("private") ? 0 : 1] = row[2].toLowerCase(Locale.ROOT);
    }
    return m;
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void specVectorsDecodeAndReencode(KeyType type) {
    String[] v = specVectors().get(type);
    assertThat(v).as("spec vector for " + type).isNotNull();
    IdentityPrivateKey priv = Keys.decodePrivateKey(unhex(v[0]));
    assertThat(priv.type()).isEqualTo(type);
    assertThat(hex(priv.encoded())).isEqualTo(v[0]);
    assertThat(hex(priv.publicKey().encoded())).isEqualTo(v[1]);
    IdentityPublicKey pub = Keys.decodePublicKey(unhex(v[1]));
    assertThat(pub).isEqualTo(priv.publicKey()).hasSameHashCodeAs(priv.publicKey());
    assertThat(hex(pub.encoded())).isEqualTo(v[1]);
    byte[] sig = priv.sign(MSG);
    assertThat(pub.verify(MSG, sig)).isTrue();
  }

  @Test
  void specVectorRawForms() {
    Map<KeyType, String[]> v = specVectors();
    assertThat(Keys.decodePublicKey(unhex(v.get(KeyType.ED25519)[1])).raw()).hasSize(32);
    byte[] secp = Keys.decodePublicKey(unhex(v.get(KeyType.SECP256K1)[1])).raw();
    assertThat(secp).hasSize(33);
    assertThat(secp[0]).isIn((byte) 2, (byte) 3);
    // DER SubjectPublicKeyInfo starts with a SEQUENCE.
    assertThat(Keys.decodePublicKey(unhex(v.get(KeyType.ECDSA)[1])).raw()[0])
        .isEqualTo((byte) 0x30);
    assertThat(Keys.decodePublicKey(unhex(v.get(KeyType.RSA)[1])).raw()[0]).isEqualTo((byte) 0x30);
  }

  @Test
  void ed25519Rfc8032Vector1() {
    IdentityPrivateKey k =
        Keys.ed25519FromSeed(
            unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertThat(hex(k.publicKey().raw()))
        .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    assertThat(hex(k.sign(new byte[0])))
        .isEqualTo(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522"
                + "4901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void generateSignVerifyAndRoundTrip(KeyType type) {
    IdentityPrivateKey k = Keys.generate(type);
    assertThat(k.type()).isEqualTo(type);
    byte[] sig = k.sign(MSG);
    IdentityPublicKey pub = k.publicKey();
    assertThat(pub.verify(MSG, sig)).isTrue();
    byte[] other = MSG.clone();
    other[0] ^= 1;
    assertThat(pub.verify(other, sig)).isFalse();
    byte[] badSig = sig.clone();
    badSig[badSig.length - 1] ^= 1;
    assertThat(pub.verify(MSG, badSig)).isFalse();
    assertThat(pub.verify(MSG, new byte[0])).isFalse();
    assertThat(pub.verify(MSG, new byte[3])).isFalse();

    IdentityPrivateKey decoded = Keys.decodePrivateKey(k.encoded());
    assertThat(decoded).isEqualTo(k);
    assertThat(decoded.publicKey()).isEqualTo(pub);
    assertThat(Keys.decodePublicKey(pub.encoded())).isEqualTo(pub);
    assertThat(Keys.publicKeyFromRaw(type, pub.raw())).isEqualTo(pub);
    assertThat(pub.verify(MSG, decoded.sign(MSG))).isTrue();

    IdentityPublicKey stranger = Keys.generate(type).publicKey();
    assertThat(stranger.verify(MSG, sig)).isFalse();
    assertThat(stranger).isNotEqualTo(pub);
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void encodingIsDeterministicProtobuf(KeyType type) {
    IdentityPrivateKey k = Keys.generate(type);
    byte[] enc = k.publicKey().encoded();
    // Field 1 (varint) always written, even for RSA = 0, then field 2 (bytes).
    assertThat(enc[0]).isEqualTo((byte) 0x08);
    assertThat(enc[1]).isEqualTo((byte) type.code());
    assertThat(enc[2]).isEqualTo((byte) 0x12);
    assertThat(k.encoded()[0]).isEqualTo((byte) 0x08);
    assertThat(k.encoded()[1]).isEqualTo((byte) type.code());
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void privateToStringHidesSecret(KeyType type) {
    IdentityPrivateKey k = Keys.generate(type);
    String s = k.toString();
    assertThat(s).contains(type.name());
    byte[] enc = k.encoded();
    // The encoded private key (minus the public part) never appears.
    assertThat(s.toLowerCase(Locale.ROOT)).doesNotContain(hex(enc).substring(4, 36));
  }

  @Test
  void keyTypeCodes() {
    for (KeyType t : KeyType.values()) {
      assertThat(KeyType.fromCode(t.code())).isEqualTo(t);
    }
    assertThat(KeyType.RSA.code()).isZero();
    assertThat(KeyType.ED25519.code()).isEqualTo(1);
    assertThat(KeyType.SECP256K1.code()).isEqualTo(2);
    assertThat(KeyType.ECDSA.code()).isEqualTo(3);
    assertThatThrownBy(() -> KeyType.fromCode(4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown key type 4");
  }

  @Test
  void seedMustBe32Bytes() {
    assertThatThrownBy(() -> Keys.ed25519FromSeed(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", // empty
        "0801", // no Data
        "1200", // no Type
        "08051200", // unknown key type 5
        "0801120000", // truncated / trailing garbage
        "0801120100", // Ed25519 of 1 byte
        "080112011a0100", // unknown field 3
        "0802122100" + "00000000000000000000000000000000000000000000000000000000000000000000"
      })
  void malformedPublicKeysRejected(String hexInput) {
    assertThatThrownBy(() -> Keys.decodePublicKey(unhex(hexInput)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedPublicKeyMessagesNameTheProblem() {
    assertThatThrownBy(() -> Keys.decodePublicKey(unhex("0801"))).hasMessageContaining("Data");
    assertThatThrownBy(() -> Keys.decodePublicKey(unhex("1200"))).hasMessageContaining("Type");
    assertThatThrownBy(() -> Keys.decodePublicKey(unhex("08051200")))
        .hasMessageContaining("unknown");
    assertThatThrownBy(() -> Keys.decodePublicKey(unhex("08011203010203")))
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> Keys.decodePublicKey(unhex("08011220" + "11".repeat(32) + "1801")))
        .hasMessageContaining("unknown fields");
    assertThatThrownBy(() -> Keys.decodePublicKey(new byte[KeyProtobuf.MAX_ENCODED_LENGTH + 1]))
        .hasMessageContaining("exceeds");
  }

  @Test
  void secp256k1BadPointAndScalar() {
    byte[] notOnCurve = new byte[33];
    notOnCurve[0] = 2;
    notOnCurve[32] = 7; // x = 7: 7^3 + 7 = 350 is not a square mod p
    assertThatThrownBy(() -> Keys.publicKeyFromRaw(KeyType.SECP256K1, notOnCurve))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("curve point");
    assertThatThrownBy(() -> Keys.decodePrivateKey(unhex("08021220" + "00".repeat(32))))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> Keys.decodePrivateKey(unhex("08021220" + "ff".repeat(32))))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> Keys.decodePrivateKey(unhex("08021201" + "01")))
        .hasMessageContaining("32 bytes");
  }

  @Test
  void secp256k1UncompressedIsNormalised() {
    IdentityPrivateKey k = Keys.generate(KeyType.SECP256K1);
    Secp256k1Keys.Pub pub = (Secp256k1Keys.Pub) k.publicKey();
    byte[] uncompressed = Secp256k1Keys.DOMAIN.getCurve().decodePoint(pub.raw()).getEncoded(false);
    assertThat(Keys.publicKeyFromRaw(KeyType.SECP256K1, uncompressed)).isEqualTo(pub);
  }

  @Test
  void ed25519LegacyPrivateForm() {
    IdentityPrivateKey k = Keys.generateEd25519();
    byte[] data64 = java.util.Arrays.copyOfRange(k.encoded(), 4, 68);
    byte[] data96 = new byte[96];
    System.arraycopy(data64, 0, data96, 0, 64);
    System.arraycopy(data64, 32, data96, 64, 32);
    byte[] legacy = KeyProtobuf.encodePrivate(KeyType.ED25519, data96);
    assertThat(Keys.decodePrivateKey(legacy)).isEqualTo(k);
    data96[95] ^= 1;
    byte[] broken = KeyProtobuf.encodePrivate(KeyType.ED25519, data96);
    assertThatThrownBy(() -> Keys.decodePrivateKey(broken))
        .hasMessageContaining("two different public");
    data64[63] ^= 1;
    byte[] mismatch = KeyProtobuf.encodePrivate(KeyType.ED25519, data64);
    assertThatThrownBy(() -> Keys.decodePrivateKey(mismatch))
        .hasMessageContaining("does not match");
    byte[] shortKey = KeyProtobuf.encodePrivate(KeyType.ED25519, new byte[32]);
    assertThatThrownBy(() -> Keys.decodePrivateKey(shortKey)).hasMessageContaining("64");
  }
}
