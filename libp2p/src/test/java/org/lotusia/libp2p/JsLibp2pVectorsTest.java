package org.lotusia.libp2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.libp2p.multiformats.Multibase.hex;
import static org.lotusia.libp2p.multiformats.Multibase.unhex;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.crypto.TestVectors;
import org.lotusia.libp2p.record.Envelope;
import org.lotusia.libp2p.record.PeerRecord;

/**
 * Byte-for-byte agreement with encodings and signatures produced by js-libp2p (see the resource
 * header).
 */
class JsLibp2pVectorsTest {

  private static final List<Multiaddr> RECORD_ADDRS =
      List.of(
          Multiaddr.parse("/ip4/192.0.2.1/tcp/4001"),
          Multiaddr.parse("/ip6/2001:db8::7/udp/4001/quic-v1"),
          Multiaddr.parse("/dns4/example.com/tcp/443/wss"));

  private final List<String[]> rows = TestVectors.rows("/vectors/js-libp2p-vectors.txt");

  private byte[] message() {
    return unhex(rows.stream().filter(r -> r[0].equals("message")).findFirst().orElseThrow()[1]);
  }

  private Map<String, IdentityPrivateKey> keys() {
    Map<String, IdentityPrivateKey> keys = new HashMap<>();
    for (String[] r : rows) {
      if (r[0].equals("key")) {
        keys.put(r[1], Keys.decodePrivateKey(unhex(r[2])));
      }
    }
    assertThat(keys).hasSize(4);
    return keys;
  }

  @Test
  void keysAndPeerIds() {
    for (String[] r : rows) {
      if (!r[0].equals("key")) {
        continue;
      }
      IdentityPrivateKey k = Keys.decodePrivateKey(unhex(r[2]));
      assertThat(k.type()).isEqualTo(KeyType.valueOf(r[1].toUpperCase(Locale.ROOT)));
      assertThat(hex(k.encoded())).as(r[1]).isEqualTo(r[2]);
      if (k.type() == KeyType.ECDSA) {
        // js-libp2p encodes ECDSA public keys as a SEC 1 structure without the private scalar
        // instead of
        // the spec's SubjectPublicKeyInfo (our encoding matches the spec vector); we do not accept
        // it.
        assertThat(r[3]).startsWith("080312573055020101");
        assertThatThrownBy(() -> Keys.decodePublicKey(unhex(r[3])))
            .isInstanceOf(IllegalArgumentException.class);
        continue;
      }
      assertThat(hex(k.publicKey().encoded())).isEqualTo(r[3]);
      if (!r[4].equals("-")) {
        PeerId id = PeerId.fromPublicKey(k.publicKey());
        assertThat(id.toBase58()).isEqualTo(r[4]);
        assertThat(id.toCid()).isEqualTo(r[5]);
        assertThat(PeerId.parse(r[5])).isEqualTo(id);
      }
    }
  }

  @Test
  void signatures() {
    byte[] msg = message();
    Map<String, IdentityPrivateKey> keys = keys();
    for (String[] r : rows) {
      if (!r[0].equals("sig")) {
        continue;
      }
      IdentityPrivateKey k = keys.get(r[1]);
      byte[] jsSig = unhex(r[2]);
      assertThat(k.publicKey().verify(msg, jsSig)).as(r[1]).isTrue();
      if (k.type() == KeyType.ECDSA) {
        // js-libp2p signs ECDSA with WebCrypto (random nonce, raw r||s); ours is DER per the spec.
        assertThat(jsSig).hasSize(64);
      } else {
        // Ed25519, RFC 6979 low-S secp256k1 and PKCS#1 v1.5 RSA are deterministic: identical bytes.
        assertThat(hex(k.sign(msg))).as(r[1]).isEqualTo(r[2]);
      }
    }
  }

  @Test
  void signedPeerRecords() {
    Map<String, IdentityPrivateKey> keys = keys();
    int seen = 0;
    for (String[] r : rows) {
      if (!r[0].equals("envelope")) {
        continue;
      }
      IdentityPrivateKey k = keys.get(r[1]);
      PeerId id = PeerId.fromPublicKey(k.publicKey());
      PeerRecord expected = new PeerRecord(id, 1234567890123L, RECORD_ADDRS);
      PeerRecord opened = PeerRecord.open(unhex(r[2]));
      assertThat(opened).as(r[1]).isEqualTo(expected);
      assertThat(hex(expected.seal(k).toBytes())).as(r[1]).isEqualTo(r[2]);
      assertThat(Envelope.open(unhex(r[2]), PeerRecord.DOMAIN).peerId()).isEqualTo(id);
      seen++;
    }
    assertThat(seen).isEqualTo(3);
  }

  @Test
  void multiaddrs() {
    int seen = 0;
    for (String[] r : rows) {
      if (!r[0].equals("multiaddr")) {
        continue;
      }
      Multiaddr m = Multiaddr.parse(r[1]);
      assertThat(hex(m.toBytes())).as(r[1]).isEqualTo(r[2]);
      assertThat(Multiaddr.fromBytes(unhex(r[2]))).isEqualTo(m);
      assertThat(Multiaddr.parse(r[3])).isEqualTo(m);
      seen++;
    }
    assertThat(seen).isEqualTo(10);
  }
}
