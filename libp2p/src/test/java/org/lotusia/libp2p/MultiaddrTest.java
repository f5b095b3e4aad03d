package org.lotusia.libp2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.libp2p.multiformats.Multibase.hex;
import static org.lotusia.libp2p.multiformats.Multibase.unhex;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Multiaddr.Component;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.TestVectors;

class MultiaddrTest {

  @Test
  void validVectorsParseAndRoundTrip() {
    List<String[]> rows = TestVectors.rows("/vectors/multiaddr-valid.txt");
    assertThat(rows).hasSizeGreaterThan(50);
    for (String[] row : rows) {
      Multiaddr m = Multiaddr.parse(row[0]);
      String canonical = row.length > 1 ? row[1] : row[0];
      assertThat(m.toString()).as(row[0]).isEqualTo(canonical);
      assertThat(Multiaddr.parse(m.toString())).isEqualTo(m);
      assertThat(Multiaddr.fromBytes(m.toBytes())).isEqualTo(m).hasSameHashCodeAs(m);
      assertThat(Multiaddr.fromBytes(m.toBytes()).toString()).isEqualTo(canonical);
      assertThat(Multiaddr.of(m.components())).isEqualTo(m);
    }
  }

  @Test
  void invalidVectorsRejected() {
    List<String[]> rows = TestVectors.rows("/vectors/multiaddr-invalid.txt");
    assertThat(rows).hasSizeGreaterThan(40);
    for (String[] row : rows) {
      String text = row[0].equals("<empty>") ? "" : row[0];
      assertThatThrownBy(() -> Multiaddr.parse(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void binaryVectors() {
    for (String[] row : TestVectors.rows("/vectors/multiaddr-binary.txt")) {
      Multiaddr m = Multiaddr.parse(row[0]);
      assertThat(hex(m.toBytes())).as(row[0]).isEqualTo(row[1]);
      assertThat(Multiaddr.fromBytes(unhex(row[1])).toString()).isEqualTo(row[0]);
    }
  }

  @Test
  void errorMessagesNameTheBadPart() {
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/tcp/abc"))
        .hasMessageStartingWith("invalid /tcp port 'abc'")
        .hasMessageEndingWith("in '/ip4/1.2.3.4/tcp/abc'");
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/udp/70000"))
        .hasMessageContaining("invalid /udp port '70000' (expected 0 to 65535)");
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/300.1.1.1"))
        .hasMessageContaining("invalid /ip4 address '300.1.1.1'");
    assertThatThrownBy(() -> Multiaddr.parse("/ip6/1::2::3"))
        .hasMessageContaining("invalid /ip6 address '1::2::3'");
    assertThatThrownBy(() -> Multiaddr.parse("/foo/1"))
        .hasMessageContaining("unknown protocol 'foo' in '/foo/1'");
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/tcp"))
        .hasMessageContaining("missing value for /tcp in '/ip4/1.2.3.4/tcp'");
    assertThatThrownBy(() -> Multiaddr.parse("ip4/1.2.3.4"))
        .hasMessageContaining("must start with '/'");
    assertThatThrownBy(() -> Multiaddr.parse("/")).hasMessageContaining("empty multiaddr");
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4//tcp/1"))
        .hasMessageContaining("empty protocol name");
    String longBad = "/dns/" + "a".repeat(250) + "/tcp/x";
    assertThatThrownBy(() -> Multiaddr.parse(longBad))
        .hasMessageContaining("port 'x'")
        .hasMessageContaining("...' (" + longBad.length() + " characters)");
    assertThatThrownBy(() -> Multiaddr.parse("/p2p/QmBad0"))
        .hasMessageContaining("invalid /p2p")
        .hasMessageContaining("base58");
    assertThatThrownBy(() -> Multiaddr.parse("/dns4/a%2Fb/tcp/1/dns/" + "x".repeat(256)))
        .hasMessageContaining("longer than 255 bytes");
  }

  @Test
  void malformedBinaryRejected() {
    assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[0]))
        .hasMessageContaining("empty binary multiaddr");
    assertThatThrownBy(() -> Multiaddr.fromBytes(unhex("047f0000")))
        .hasMessageContaining("/ip4 needs 4 value bytes");
    assertThatThrownBy(() -> Multiaddr.fromBytes(unhex("047f0000010601")))
        .hasMessageContaining("at byte 5")
        .hasMessageContaining("/tcp needs 2");
    assertThatThrownBy(() -> Multiaddr.fromBytes(unhex("ff7f")))
        .hasMessageContaining("unknown protocol code");
    assertThatThrownBy(() -> Multiaddr.fromBytes(unhex("8000")))
        .hasMessageContaining("not minimally encoded");
    assertThatThrownBy(() -> Multiaddr.fromBytes(unhex("3605616263")))
        .hasMessageContaining("only 3 remain");
    assertThatThrownBy(() -> Multiaddr.fromBytes(unhex("3600")))
        .hasMessageContaining("name is empty");
    assertThatThrownBy(() -> Multiaddr.fromBytes(unhex("3603612f62")))
        .hasMessageContaining("contains '/'");
    assertThatThrownBy(() -> Multiaddr.fromBytes(unhex("3602c328"))).hasMessageContaining("UTF-8");
    // go-multiaddr's invalid /p2p bytes vector
    assertThatThrownBy(
            () ->
                Multiaddr.fromBytes(
                    unhex(
                        "a503221221c05877cbae039d70a5e600ea02c6f9f2942439285c9e344e26f8d280c850fad6")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multiaddr.fromBytes(unhex("d203" + "03" + "000202")))
        .hasMessageContaining("certificate hash");
  }

  @Test
  void lengthLimitsAreEnforced() {
    byte[] big = Multiaddr.parse("/dns/" + "a".repeat(200) + "/dns/" + "b".repeat(200)).toBytes();
    assertThat(Multiaddr.fromBytes(big, big.length).toBytes()).isEqualTo(big);
    assertThatThrownBy(() -> Multiaddr.fromBytes(big, big.length - 1))
        .hasMessageContaining("exceeds the limit");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 210; i++) {
      sb.append("/ip4/1.2.3.4");
    }
    assertThatThrownBy(() -> Multiaddr.parse(sb.toString()))
        .hasMessageContaining("exceeds the limit of 1024");
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4".repeat(500)))
        .hasMessageContaining("characters");
    assertThat(Multiaddr.parse(sb.toString(), 4096).components()).hasSize(210);
  }

  @Test
  void componentsAndAccessors() {
    Multiaddr m = Multiaddr.parse("/ip4/192.0.2.42/tcp/443/wss");
    assertThat(m.components())
        .containsExactly(
            new Component(MultiaddrProtocol.IP4, "192.0.2.42"),
            new Component(MultiaddrProtocol.TCP, "443"),
            Component.of(MultiaddrProtocol.WSS));
    assertThat(m.components().get(1).valueBytes()).containsExactly(0x01, 0xbb);
    assertThat(m.components().get(0).toString()).isEqualTo("/ip4/192.0.2.42");
    assertThat(m.has(MultiaddrProtocol.TCP)).isTrue();
    assertThat(m.has(MultiaddrProtocol.UDP)).isFalse();
    assertThat(m.valueOf(MultiaddrProtocol.TCP)).contains("443");
    assertThat(m.valueOf(MultiaddrProtocol.UDP)).isEmpty();
    assertThatThrownBy(() -> m.components().add(Component.of(MultiaddrProtocol.WS)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new Component(MultiaddrProtocol.WS, "x"))
        .hasMessageContaining("takes no value");
    assertThatThrownBy(() -> new Component(MultiaddrProtocol.TCP, "x"))
        .hasMessageContaining("invalid /tcp port");
    assertThat(new Component(MultiaddrProtocol.IP6, "0:0::1").value()).isEqualTo("::1");
    assertThat(MultiaddrProtocol.forName("ipfs")).isEqualTo(MultiaddrProtocol.P2P);
    assertThat(MultiaddrProtocol.forCode(461)).isEqualTo(MultiaddrProtocol.QUIC_V1);
    assertThat(MultiaddrProtocol.forCode(99999)).isNull();
    assertThat(MultiaddrProtocol.P2P.valueSize()).isEqualTo(-1);
    assertThat(MultiaddrProtocol.IP6.valueSize()).isEqualTo(16);
  }

  @Test
  void encapsulateAndDecapsulate() {
    Multiaddr base = Multiaddr.parse("/ip4/127.0.0.1/udp/1234");
    Multiaddr both = base.encapsulate(Multiaddr.parse("/udp/5678"));
    assertThat(both.toString()).isEqualTo("/ip4/127.0.0.1/udp/1234/udp/5678");
    assertThat(both.toBytes()).isEqualTo(Multiaddr.parse(both.toString()).toBytes());
    assertThat(both.decapsulate(Multiaddr.parse("/udp/5678"))).isEqualTo(base);
    assertThat(base.decapsulate(Multiaddr.parse("/ip4/127.0.0.1"))).isEqualTo(Multiaddr.EMPTY);
    assertThat(Multiaddr.EMPTY.isEmpty()).isTrue();
    assertThat(Multiaddr.EMPTY.toString()).isEqualTo("/");
    // go-multiaddr decapsulate cases
    String[][] cases = {
      {"/ip4/1.2.3.4/tcp/1234", "/ip4/1.2.3.4", "/"},
      {"/ip4/1.2.3.4", "/ip4/1.2.3.4/tcp/1234", "/ip4/1.2.3.4"},
      {"/ip4/1.2.3.5/tcp/1234", "/ip4/5.3.2.1", "/ip4/1.2.3.5/tcp/1234"},
      {"/ip4/1.2.3.5/udp/1234/quic-v1", "/udp/1234", "/ip4/1.2.3.5"},
      {"/ip4/1.2.3.6/udp/1234/quic-v1", "/udp/1234/quic-v1", "/ip4/1.2.3.6"},
      {"/ip4/1.2.3.7/tcp/1234", "/ws", "/ip4/1.2.3.7/tcp/1234"},
      {"/dnsaddr/wss.com/tcp/4001", "/ws", "/dnsaddr/wss.com/tcp/4001"},
      {"/dnsaddr/wss.com/tcp/4001/ws", "/wss", "/dnsaddr/wss.com/tcp/4001/ws"},
      {"/dnsaddr/wss.com/ws", "/wss", "/dnsaddr/wss.com/ws"},
      {"/dnsaddr/wss.com/ws", "/dnsaddr/wss.com", "/"},
      {"/dnsaddr/wss.com/tcp/4001/wss", "/wss", "/dnsaddr/wss.com/tcp/4001"},
    };
    for (String[] c : cases) {
      assertThat(Multiaddr.parse(c[0]).decapsulate(Multiaddr.parse(c[1])).toString())
          .as(c[0] + " - " + c[1])
          .isEqualTo(c[2]);
    }
    Multiaddr circuit =
        Multiaddr.parse(
            "/ip4/1.2.3.4/tcp/1/p2p-circuit/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN");
    assertThat(circuit.decapsulate(MultiaddrProtocol.P2P_CIRCUIT).toString())
        .isEqualTo("/ip4/1.2.3.4/tcp/1");
    assertThat(circuit.decapsulate(MultiaddrProtocol.UDP)).isSameAs(circuit);
    assertThat(base.encapsulate(Component.of(MultiaddrProtocol.QUIC_V1)).toString())
        .isEqualTo("/ip4/127.0.0.1/udp/1234/quic-v1");
  }

  @Test
  void peerIdHelpers() {
    PeerId id = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    PeerId relay = PeerId.parse("QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN");
    Multiaddr tcp = Multiaddr.parse("/ip4/1.2.3.4/tcp/4001");
    assertThat(tcp.peerId()).isEmpty();
    Multiaddr withId = tcp.withPeerId(id);
    assertThat(withId.toString()).isEqualTo("/ip4/1.2.3.4/tcp/4001/p2p/" + id);
    assertThat(withId.peerId()).contains(id);
    assertThat(withId.withPeerId(id)).isSameAs(withId);
    assertThatThrownBy(() -> withId.withPeerId(relay)).hasMessageContaining("different peer ID");
    assertThat(withId.withoutPeerId()).isEqualTo(tcp);
    assertThat(tcp.withoutPeerId()).isSameAs(tcp);
    Multiaddr circuit =
        tcp.withPeerId(relay)
            .encapsulate(Component.of(MultiaddrProtocol.P2P_CIRCUIT))
            .withPeerId(id);
    assertThat(circuit.peerId()).contains(id);
    assertThat(circuit.withoutPeerId().peerId()).contains(relay);
    assertThat(circuit.withoutPeerId().withoutPeerId()).isEqualTo(circuit.withoutPeerId());
    assertThat(Multiaddr.parse("/ipfs/" + relay).peerId()).contains(relay);
    assertThat(Multiaddr.parse("/p2p/" + id.toCid()).toString()).isEqualTo("/p2p/" + id.toBase58());
  }

  @Test
  void randomRoundTrips() {
    SplittableRandom rnd = new SplittableRandom(11);
    PeerId id = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    for (int i = 0; i < 500; i++) {
      List<Component> comps = new ArrayList<>();
      int n = rnd.nextInt(1, 6);
      for (int j = 0; j < n; j++) {
        comps.add(randomComponent(rnd, id));
      }
      Multiaddr m = Multiaddr.of(comps);
      assertThat(Multiaddr.parse(m.toString())).isEqualTo(m);
      assertThat(Multiaddr.fromBytes(m.toBytes())).isEqualTo(m);
      assertThat(Multiaddr.fromBytes(m.toBytes()).components()).isEqualTo(comps);
    }
  }

  private static Component randomComponent(SplittableRandom rnd, PeerId id) {
    MultiaddrProtocol[] all = MultiaddrProtocol.values();
    MultiaddrProtocol p = all[rnd.nextInt(all.length)];
    String value =
        switch (p.kind()) {
          case NONE -> "";
          case IP4 ->
              rnd.nextInt(256)
                  + "."
                  + rnd.nextInt(256)
                  + "."
                  + rnd.nextInt(256)
                  + "."
                  + rnd.nextInt(256);
          case IP6 -> {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 8; k++) {
              sb.append(k == 0 ? "" : ":")
                  .append(Integer.toHexString(rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(65536)));
            }
            yield sb.toString();
          }
          case PORT -> Integer.toString(rnd.nextInt(65536));
          case BYTE -> Integer.toString(rnd.nextInt(256));
          case NAME -> "host" + rnd.nextInt(1000) + ".example";
          case PEER_ID -> id.toBase58();
          case CERTHASH -> "uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g";
        };
    return new Component(p, value);
  }

  @Test
  void ipv6TextAgreesWithTheJdk() throws Exception {
    SplittableRandom rnd = new SplittableRandom(5);
    for (int i = 0; i < 2000; i++) {
      byte[] addr = new byte[16];
      for (int g = 0; g < 8; g++) {
        if (rnd.nextInt(3) != 0) {
          addr[2 * g] = (byte) rnd.nextInt(256);
          addr[2 * g + 1] = (byte) rnd.nextInt(256);
        }
      }
      Multiaddr m =
          Multiaddr.of(
              new Component(
                  MultiaddrProtocol.IP6, java.net.InetAddress.getByAddress(addr).getHostAddress()));
      String text = m.components().get(0).value();
      assertThat(m.components().get(0).valueBytes()).isEqualTo(addr);
      // The JDK parses IPv6 literals without name resolution and agrees on the bytes.
      assertThat(java.net.InetAddress.getByName(text).getAddress()).as(text).isEqualTo(addr);
      assertThat(text).doesNotContain(":::").isEqualTo(text.toLowerCase(java.util.Locale.ROOT));
    }
  }

  @Test
  void equalityIsByBytes() {
    Multiaddr a = Multiaddr.parse("/ip6/2001:db8::1/tcp/1");
    Multiaddr b = Multiaddr.parse("/ip6/2001:0DB8:0:0::0:1/tcp/1/");
    assertThat(a)
        .isEqualTo(b)
        .hasSameHashCodeAs(b)
        .isNotEqualTo(Multiaddr.parse("/ip6/2001:db8::1/udp/1"));
    byte[] bytes = a.toBytes();
    bytes[0] ^= 1;
    assertThat(a.toBytes()).isNotEqualTo(bytes);
    assertThat(a).isNotEqualTo("x");
  }
}
