package org.lotusia.chain.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.encoding.Base58;
import org.lotusia.chain.encoding.ByteWriter;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;

class XAddressTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void referenceExampleDecodes() {
    XAddress a = XAddress.decode("lotus_16PSJKGRWd8BeuPqFCHBfV6MVMg67LeaohpVeL5M4");
    assertThat(a.network()).isEqualTo(Network.MAINNET);
    assertThat(a.type()).isEqualTo(XAddress.TYPE_SCRIPT_PUB_KEY);
    assertThat(HEX.formatHex(a.payload()))
        .isEqualTo("76a914465bc3e057a620fa3231e3601a07443ee1680a6a88ac");
    byte[] body = Base58.decode("16PSJKGRWd8BeuPqFCHBfV6MVMg67LeaohpVeL5M4");
    assertThat(HEX.formatHex(Arrays.copyOfRange(body, body.length - 4, body.length)))
        .isEqualTo("4142e8a3");
  }

  @Test
  void errorsSayWhatIsWrong() {
    String good = "lotus_16PSJKGRWd8BeuPqFCHBfV6MVMg67LeaohpVeL5M4";
    assertThatThrownBy(() -> XAddress.decode("bitcoin" + good.substring(5)))
        .hasMessageContaining("bad prefix");
    assertThatThrownBy(() -> XAddress.decode("lotusX" + good.substring(6)))
        .hasMessageContaining("bad network character");
    assertThatThrownBy(() -> XAddress.decode("lotusabc"))
        .hasMessageContaining("bad network character");
    assertThatThrownBy(
            () -> XAddress.decode("lotus_" + good.substring(6, 20) + "0" + good.substring(21)))
        .hasMessageContaining("invalid Base58 character '0'");
    char last = good.charAt(good.length() - 1);
    String flipped = good.substring(0, good.length() - 1) + (last == '4' ? '5' : '4');
    assertThatThrownBy(() -> XAddress.decode(flipped)).hasMessageContaining("bad checksum");
    assertThatThrownBy(() -> XAddress.decode("lotus_1111")).hasMessageContaining("bad length");
    assertThatThrownBy(() -> XAddress.decode("lotus_" + "2".repeat(200)))
        .hasMessageContaining("bad length");
    assertThatThrownBy(() -> XAddress.decode("")).hasMessageContaining("bad length");
    // Unknown type byte with a correct checksum.
    String type5 = encodeRaw('_', 5, new byte[20]);
    assertThatThrownBy(() -> XAddress.decode(type5)).hasMessageContaining("unknown address type 5");
    // Type 0 with a payload that is not a P2PKH/P2SH script.
    String shortPayload = encodeRaw('_', 0, new byte[7]);
    assertThatThrownBy(() -> XAddress.decode(shortPayload)).hasMessageContaining("bad length");
  }

  @Test
  void legacyChecksumAndFullTaprootScriptPayloadAreAccepted() {
    byte[] script = Scripts.p2pkh(new byte[20]).bytes();
    ByteWriter w = new ByteWriter();
    w.varBytes("lotus".getBytes(StandardCharsets.US_ASCII)).u8('T').u8(0).varBytes(script);
    byte[] legacyCheck = Arrays.copyOf(Hashes.sha256(w.toByteArray()), 4);
    byte[] body = concat(new byte[] {0}, script, legacyCheck);
    XAddress a = XAddress.decode("lotusT" + Base58.encode(body));
    assertThat(a.network()).isEqualTo(Network.TESTNET);
    assertThat(a.payload()).isEqualTo(script);

    byte[] c = Secp256k1.G.encodeCompressed();
    String full = encodeRaw('R', 2, Scripts.p2tr(c).bytes());
    XAddress t = XAddress.decode(full);
    assertThat(t.payload()).isEqualTo(c);
    assertThat(t.network()).isEqualTo(Network.REGTEST);
  }

  @Test
  void randomRoundTripsOnAllNetworks() {
    Random rnd = new Random(1234);
    for (int i = 0; i < 300; i++) {
      Network net = Network.values()[rnd.nextInt(3)];
      byte[] h = new byte[20];
      rnd.nextBytes(h);
      Script script =
          switch (rnd.nextInt(3)) {
            case 0 -> Scripts.p2pkh(h);
            case 1 -> Scripts.p2sh(h);
            default ->
                Scripts.p2tr(
                    Secp256k1.defaultProvider().mulG(new BigInteger(1, h)).encodeCompressed());
          };
      XAddress a = XAddress.fromScript(script, net);
      String s = a.encode();
      assertThat(s).startsWith("lotus" + net.addressChar());
      XAddress back = XAddress.decode(s);
      assertThat(back).isEqualTo(a);
      assertThat(back.toScript()).isEqualTo(script);
    }
  }

  @Test
  void scriptsWithoutAddressAreRejected() {
    assertThatThrownBy(() -> XAddress.fromScript(Scripts.opReturn(new byte[] {1}), Network.MAINNET))
        .hasMessageContaining("no XAddress");
    assertThatThrownBy(
            () ->
                XAddress.fromScript(
                    Scripts.p2tr(Secp256k1.G.encodeCompressed(), new byte[32]), Network.MAINNET))
        .hasMessageContaining("state");
  }

  private static String encodeRaw(char net, int type, byte[] payload) {
    byte[] head = ("lotus" + net).getBytes(StandardCharsets.US_ASCII);
    byte[] check = Arrays.copyOf(Hashes.sha256(head, new byte[] {(byte) type}, payload), 4);
    return "lotus" + net + Base58.encode(concat(new byte[] {(byte) type}, payload, check));
  }

  private static byte[] concat(byte[]... parts) {
    ByteWriter w = new ByteWriter();
    for (byte[] p : parts) {
      w.bytes(p);
    }
    return w.toByteArray();
  }
}
