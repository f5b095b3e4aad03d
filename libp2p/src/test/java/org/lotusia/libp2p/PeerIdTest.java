package org.lotusia.libp2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.libp2p.multiformats.Multibase.unhex;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.crypto.TestVectors;
import org.lotusia.libp2p.multiformats.Base58Btc;
import org.lotusia.libp2p.multiformats.Cid;
import org.lotusia.libp2p.multiformats.Multibase;
import org.lotusia.libp2p.multiformats.Multihash;

class PeerIdTest {

  @Test
  void knownPeerIds() {
    List<String[]> rows = TestVectors.rows("/vectors/peer-id-known.txt");
    assertThat(rows).isNotEmpty();
    for (String[] row : rows) {
      PeerId id =
          switch (row[0]) {
            case "pub-b64" ->
                PeerId.fromPublicKey(Keys.decodePublicKey(Base64.getDecoder().decode(row[1])));
            case "priv-b64" -> {
              byte[] encoded = Base64.getDecoder().decode(row[1]);
              IdentityPrivateKey key = Keys.decodePrivateKey(encoded);
              assertThat(key.encoded()).isEqualTo(encoded);
              yield PeerId.fromPublicKey(key.publicKey());
            }
            case "mh-hex" -> PeerId.fromBytes(unhex(row[1]));
            default -> throw new IllegalStateException(row[0]);
          };
      assertThat(id.toBase58()).as(row[1]).isEqualTo(row[2]);
      assertThat(PeerId.parse(row[2])).isEqualTo(id);
    }
  }

  @Test
  void specVectorKeysGiveExpectedMultihashKinds() {
    for (String[] row : TestVectors.rows("/vectors/peer-id-keys.txt")) {
      if (!row[1].equals("public")) {
        continue;
      }
      byte[] encoded = unhex(row[2]);
      PeerId id = PeerId.fromPublicKey(Keys.decodePublicKey(encoded));
      KeyType type = KeyType.valueOf(row[0].toUpperCase(Locale.ROOT));
      if (type == KeyType.ED25519 || type == KeyType.SECP256K1) {
        assertThat(id.toBytes()[0]).isEqualTo((byte) 0x00);
        assertThat(id.publicKey()).contains(Keys.decodePublicKey(encoded));
      } else {
        assertThat(id.toBytes()).isEqualTo(Multihash.sha256(encoded).toBytes());
        assertThat(id.publicKey()).isEmpty();
      }
      if (type == KeyType.ED25519) {
        assertThat(id.toBase58()).startsWith("12D3KooW");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N",
        "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA"
      })
  void specExamplesRoundTrip(String text) {
    PeerId id = PeerId.parse(text);
    assertThat(id.toBase58()).isEqualTo(text).isEqualTo(id.toString());
    assertThat(PeerId.parse(id.toCid())).isEqualTo(id);
    assertThat(id.toCid()).startsWith("bafz");
  }

  @Test
  void cidFormsNameTheSamePeer() {
    PeerId fromCid = PeerId.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    assertThat(fromCid.toCid())
        .isEqualTo("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    assertThat(fromCid.toBase58()).startsWith("Qm");
    PeerId ed = PeerId.parse("12D3KooW9pte76rpnggcLYkFaawuTEs5DC5axHkg3cK3cewGxxHd");
    assertThat(ed.toCid())
        .isEqualTo("bafzaajaiaejcaabcornvmd5g5bolzmcr6smsje7owdd3xk7lojqydmthdt47iqmi");
    assertThat(PeerId.parse("bafzaajaiaejcaabcornvmd5g5bolzmcr6smsje7owdd3xk7lojqydmthdt47iqmi"))
        .isEqualTo(ed);
    // Other multibases of the same CID are accepted.
    String b58Cid =
        Cid.v1(Cid.LIBP2P_KEY, Multihash.decode(ed.toBytes())).toString(Multibase.Base.BASE58BTC);
    assertThat(PeerId.parse(b58Cid)).isEqualTo(ed);
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void fromPublicKeyRoundTrips(KeyType type) {
    IdentityPrivateKey k = Keys.generate(type);
    PeerId id = PeerId.fromPublicKey(k.publicKey());
    assertThat(PeerId.parse(id.toBase58())).isEqualTo(id);
    assertThat(PeerId.parse(id.toCid())).isEqualTo(id);
    assertThat(PeerId.fromBytes(id.toBytes())).isEqualTo(id).hasSameHashCodeAs(id);
    assertThat(id.matches(k.publicKey())).isTrue();
    assertThat(id.matches(Keys.generate(type).publicKey())).isFalse();
    boolean inline = k.publicKey().encoded().length <= PeerId.MAX_INLINE_KEY_LENGTH;
    assertThat(id.publicKey().isPresent()).isEqualTo(inline);
    assertThat(inline).isEqualTo(type == KeyType.ED25519 || type == KeyType.SECP256K1);
    if (inline) {
      assertThat(PeerId.parse(id.toBase58()).publicKey()).contains(k.publicKey());
    }
  }

  @Test
  void orderingAndEquality() {
    List<PeerId> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ids.add(PeerId.fromPublicKey(Keys.generateEd25519().publicKey()));
    }
    TreeSet<PeerId> sorted = new TreeSet<>(ids);
    assertThat(sorted).hasSize(50);
    PeerId prev = null;
    for (PeerId p : sorted) {
      if (prev != null) {
        assertThat(java.util.Arrays.compareUnsigned(prev.toBytes(), p.toBytes())).isNegative();
      }
      prev = p;
    }
    PeerId a = ids.get(0);
    assertThat(a).isEqualTo(PeerId.parse(a.toString())).isNotEqualTo(ids.get(1)).isNotEqualTo("x");
    assertThat(a.compareTo(PeerId.fromBytes(a.toBytes()))).isZero();
  }

  @Test
  void toBytesIsACopy() {
    PeerId id = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    byte[] b = id.toBytes();
    b[5] ^= 1;
    assertThat(id.toBytes()).isNotEqualTo(b);
  }

  @Test
  void malformedTextRejected() {
    assertThatThrownBy(() -> PeerId.parse(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to");
    assertThatThrownBy(() -> PeerId.parse("1".repeat(200))).hasMessageContaining("1 to 128");
    assertThatThrownBy(() -> PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx50"))
        .hasMessageContaining("invalid base58 character '0'");
    assertThatThrownBy(() -> PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5"))
        .hasMessageContaining("invalid peer ID");
    assertThatThrownBy(() -> PeerId.parse("xyz"))
        .hasMessageContaining("unsupported multibase prefix 'x'");
    // A raw-codec CID is not a peer ID.
    String rawCid = Cid.v1(Cid.RAW, Multihash.sha256(new byte[] {1})).toString();
    assertThatThrownBy(() -> PeerId.parse(rawCid)).hasMessageContaining("libp2p-key");
    // Base58Btc of an identity multihash that does not hold a key.
    String garbage = Base58Btc.encode(Multihash.identity(new byte[] {1, 2, 3}).toBytes());
    assertThatThrownBy(() -> PeerId.parse(garbage)).hasMessageContaining("valid public key");
  }

  @Test
  void malformedBytesRejected() {
    assertThatThrownBy(() -> PeerId.fromBytes(new byte[0]))
        .hasMessageContaining("truncated varint");
    assertThatThrownBy(() -> PeerId.fromBytes(unhex("1220")))
        .hasMessageContaining("declares a 32-byte digest");
    assertThatThrownBy(() -> PeerId.fromBytes(unhex("1301ff")))
        .hasMessageContaining("unsupported multihash");
    assertThatThrownBy(() -> PeerId.fromBytes(Multihash.identity(new byte[43]).toBytes()))
        .hasMessageContaining("more than the 42");
    byte[] good = PeerId.fromPublicKey(Keys.generateEd25519().publicKey()).toBytes();
    byte[] extra = java.util.Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> PeerId.fromBytes(extra)).hasMessageContaining("bytes follow");
  }
}
