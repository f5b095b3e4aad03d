package org.lotusia.libp2p.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.libp2p.multiformats.Multibase.hex;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.multiformats.Varint;

class PeerRecordTest {

  private static final Multiaddr A1 = Multiaddr.parse("/ip4/192.0.2.0/tcp/42");
  private static final Multiaddr A2 = Multiaddr.parse("/ip6/2001:db8::1/udp/4001/quic-v1");

  @Test
  void knownAnswerPayload() {
    IdentityPrivateKey k = Keys.generateEd25519();
    PeerId id = PeerId.fromPublicKey(k.publicKey());
    PeerRecord r = new PeerRecord(id, 1570215229L, List.of(A1, A2));
    byte[] idBytes = id.toBytes();
    String expected =
        "0a"
            + hex(Varint.encode(idBytes.length))
            + hex(idBytes)
            + "10"
            + hex(Varint.encode(1570215229L))
            + "1a"
            + hex(Varint.encode(A1.toBytes().length + 2))
            + "0a"
            + hex(Varint.encode(A1.toBytes().length))
            + hex(A1.toBytes())
            + "1a"
            + hex(Varint.encode(A2.toBytes().length + 2))
            + "0a"
            + hex(Varint.encode(A2.toBytes().length))
            + hex(A2.toBytes());
    assertThat(hex(r.encode())).isEqualTo(expected);
    assertThat(PeerRecord.decode(r.encode(), 10)).isEqualTo(r);
    assertThat(PeerRecord.payloadType()).containsExactly(0x03, 0x01);
    assertThat(PeerRecord.DOMAIN).isEqualTo("libp2p-peer-record");
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void sealAndOpen(KeyType type) {
    IdentityPrivateKey k = Keys.generate(type);
    PeerRecord r = new PeerRecord(PeerId.fromPublicKey(k.publicKey()), -1L, List.of(A1));
    Envelope e = r.seal(k);
    assertThat(e.payloadType()).containsExactly(0x03, 0x01);
    assertThat(e.verify(PeerRecord.DOMAIN)).isTrue();
    PeerRecord opened = PeerRecord.open(e.toBytes());
    assertThat(opened).isEqualTo(r);
    assertThat(Long.toUnsignedString(opened.seq())).isEqualTo("18446744073709551615");
  }

  @Test
  void wrongSignerRejected() {
    IdentityPrivateKey alice = Keys.generateEd25519();
    IdentityPrivateKey mallory = Keys.generateEd25519();
    PeerRecord aliceRecord =
        new PeerRecord(PeerId.fromPublicKey(alice.publicKey()), 1, List.of(A1));
    assertThatThrownBy(() -> aliceRecord.seal(mallory))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot sign a record of peer");
    Envelope forged =
        Envelope.seal(mallory, PeerRecord.DOMAIN, PeerRecord.payloadType(), aliceRecord.encode());
    assertThatThrownBy(() -> PeerRecord.open(forged.toBytes()))
        .hasMessageContaining("signed by another peer");
    Envelope wrongDomain =
        Envelope.seal(alice, "other", PeerRecord.payloadType(), aliceRecord.encode());
    assertThatThrownBy(() -> PeerRecord.open(wrongDomain.toBytes()))
        .hasMessageContaining("does not verify");
    Envelope wrongType =
        Envelope.seal(alice, PeerRecord.DOMAIN, new byte[] {0x03, 0x02}, aliceRecord.encode());
    assertThatThrownBy(() -> PeerRecord.open(wrongType.toBytes()))
        .hasMessageContaining("payload type");
  }

  @Test
  void limitsAndMalformedPayloads() {
    IdentityPrivateKey k = Keys.generateEd25519();
    PeerId id = PeerId.fromPublicKey(k.publicKey());
    List<Multiaddr> many = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      many.add(Multiaddr.parse("/ip4/10.0." + (i / 256) + "." + (i % 256) + "/tcp/1"));
    }
    PeerRecord big = new PeerRecord(id, 1, many);
    assertThatThrownBy(() -> PeerRecord.open(big.seal(k).toBytes()))
        .hasMessageContaining("300 addresses, more than the limit of 256");
    assertThat(PeerRecord.fromEnvelope(big.seal(k), 300).addresses()).hasSize(300);
    assertThatThrownBy(() -> PeerRecord.decode(new byte[] {(byte) 0xff}, 10))
        .hasMessageContaining("malformed peer record");
    assertThatThrownBy(() -> PeerRecord.decode(new byte[] {0x0a, 0x01, 0x00}, 10))
        .hasMessageContaining("invalid peer ID");
    assertThatThrownBy(() -> PeerRecord.decode(new byte[0], 10))
        .hasMessageContaining("invalid peer ID");
  }

  @Test
  void undecodableAddressesAreSkipped() {
    IdentityPrivateKey k = Keys.generateEd25519();
    PeerId id = PeerId.fromPublicKey(k.publicKey());
    byte[] good = new PeerRecord(id, 7, List.of(A1)).encode();
    // Append an AddressInfo holding /memory/... (code 777, unsupported here) and one truncated
    // address.
    byte[] unknown = {0x1a, 0x05, 0x0a, 0x03, (byte) 0x89, 0x06, 0x01};
    byte[] truncated = {0x1a, 0x04, 0x0a, 0x02, 0x04, 0x7f};
    byte[] payload = new byte[good.length + unknown.length + truncated.length];
    System.arraycopy(good, 0, payload, 0, good.length);
    System.arraycopy(unknown, 0, payload, good.length, unknown.length);
    System.arraycopy(truncated, 0, payload, good.length + unknown.length, truncated.length);
    Envelope e = Envelope.seal(k, PeerRecord.DOMAIN, PeerRecord.payloadType(), payload);
    PeerRecord r = PeerRecord.open(e.toBytes());
    assertThat(r.addresses()).containsExactly(A1);
    assertThat(r.seq()).isEqualTo(7);
  }
}
