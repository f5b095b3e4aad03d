package org.lotusia.libp2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.libp2p.multiformats.Multibase.hex;
import static org.lotusia.libp2p.multiformats.Multibase.unhex;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MultihashCidTest {

  @Test
  void sha256Multihash() {
    Multihash mh = Multihash.sha256("foo".getBytes(StandardCharsets.UTF_8));
    // sha256("foo") = 2c26b46b...
    assertThat(hex(mh.toBytes()))
        .isEqualTo("12202c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae");
    assertThat(mh.code()).isEqualTo(Multihash.SHA2_256);
    assertThat(mh.digest()).hasSize(32);
    assertThat(Multihash.decode(mh.toBytes())).isEqualTo(mh).hasSameHashCodeAs(mh);
    assertThat(mh.encodedLength()).isEqualTo(34);
    assertThat(mh.toString()).isEqualTo(Base58Btc.encode(mh.toBytes()));
  }

  @Test
  void identityMultihashAndRandomRoundTrips() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 200; i++) {
      byte[] data = new byte[rnd.nextInt(0, 300)];
      rnd.nextBytes(data);
      Multihash id = Multihash.identity(data);
      assertThat(id.digest()).isEqualTo(data);
      assertThat(Multihash.decode(id.toBytes())).isEqualTo(id);
      assertThat(Multihash.of(Multihash.IDENTITY, data)).isEqualTo(id);
      Multihash sha = Multihash.sha256(data);
      assertThat(Multihash.of(Multihash.SHA2_256, sha.digest())).isEqualTo(sha);
      assertThat(Cid.fromBytes(Cid.v1(Cid.RAW, sha).toBytes())).isEqualTo(Cid.v1(Cid.RAW, sha));
      assertThat(Cid.parse(Cid.v1(Cid.LIBP2P_KEY, id).toString()))
          .isEqualTo(Cid.v1(Cid.LIBP2P_KEY, id));
    }
    assertThat(hex(Multihash.identity(new byte[] {1, 2}).toBytes())).isEqualTo("00020102");
  }

  @Test
  void malformedMultihashes() {
    assertThatThrownBy(() -> Multihash.decode(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated varint");
    assertThatThrownBy(() -> Multihash.decode(unhex("12")))
        .hasMessageContaining("truncated varint");
    assertThatThrownBy(() -> Multihash.decode(unhex("1221" + "00".repeat(33))))
        .hasMessageContaining("must be 32 bytes");
    assertThatThrownBy(() -> Multihash.decode(unhex("1220" + "00".repeat(31))))
        .hasMessageContaining("declares a 32-byte digest but 31");
    assertThatThrownBy(() -> Multihash.decode(unhex("1120" + "00".repeat(32))))
        .hasMessageContaining("unsupported multihash code 0x11");
    assertThatThrownBy(() -> Multihash.decode(unhex("ffffffffffffffff7f00")))
        .hasMessageContaining("unsupported multihash code");
    assertThatThrownBy(() -> Multihash.of(Multihash.SHA2_256, new byte[5]))
        .hasMessageContaining("32 bytes");
  }

  @Test
  void cidV1Vectors() {
    // CIDv1 raw of "hello world" (sha2-256), a well-known example.
    Cid c = Cid.parse("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
    assertThat(c.version()).isEqualTo(1);
    assertThat(c.codec()).isEqualTo(Cid.RAW);
    assertThat(c.multihash())
        .isEqualTo(Multihash.sha256("hello world".getBytes(StandardCharsets.UTF_8)));
    assertThat(c.toString())
        .isEqualTo("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
    assertThat(Cid.parse(c.toString(Multibase.Base.BASE58BTC))).isEqualTo(c);
    assertThat(Cid.parse(c.toString(Multibase.Base.BASE16))).isEqualTo(c);
    assertThat(Cid.parse(c.toString(Multibase.Base.BASE64URL))).isEqualTo(c).hasSameHashCodeAs(c);
  }

  @Test
  void cidV0() {
    String v0 = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
    Cid c = Cid.parse(v0);
    assertThat(c.version()).isZero();
    assertThat(c.codec()).isEqualTo(Cid.DAG_PB);
    assertThat(c.toString()).isEqualTo(v0);
    assertThat(Cid.fromBytes(c.toBytes())).isEqualTo(c);
    assertThat(c.toBytes()).hasSize(34);
    assertThat(Cid.v1(Cid.DAG_PB, c.multihash()).toString()).startsWith("bafybei");
    assertThatThrownBy(() -> Cid.v0(Multihash.identity(new byte[3])))
        .hasMessageContaining("sha2-256");
  }

  @Test
  void malformedCids() {
    assertThatThrownBy(() -> Cid.parse(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> Cid.parse("!abc"))
        .hasMessageContaining("unsupported multibase prefix");
    assertThatThrownBy(() -> Cid.fromBytes(unhex("0255" + "00020102")))
        .hasMessageContaining("version 2");
    assertThatThrownBy(() -> Cid.fromBytes(unhex("0171" + "00020102")))
        .hasMessageContaining("codec 0x71");
    assertThatThrownBy(() -> Cid.fromBytes(unhex("01"))).hasMessageContaining("truncated");
    assertThatThrownBy(() -> Cid.fromBytes(unhex("0155"))).hasMessageContaining("truncated");
    assertThatThrownBy(() -> Cid.fromBytes(unhex("015500030102")))
        .hasMessageContaining("declares a 3-byte");
    assertThatThrownBy(() -> Cid.v1(0x99, Multihash.identity(new byte[1])))
        .hasMessageContaining("0x99");
  }
}
