package org.lotusia.chain.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.Secp256k1;

class ScriptTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void lokadIdentityBurnExample() {
    byte[] alice =
        HEX.parseHex("034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa");
    Script s = Scripts.lokad(new byte[] {0x4c, 0x54, 0x4d, 0x53}, new byte[] {1}, alice);
    assertThat(s.toHex())
        .isEqualTo(
            "6a044c544d53010121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa");
    assertThat(s.size()).isEqualTo(42);
    LokadData d = LokadData.parse(s).orElseThrow();
    assertThat(new String(d.prefix(), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("LTMS");
    assertThat(d.version()).isEqualTo(1);
    assertThat(d.payload()).isEqualTo(alice);
    assertThat(s.chronikScript()).isEqualTo(new ChronikScript("other", s.bytes()));
    // OP_1 as version carries no data: version -1, as lotus-sdk's BurnVerifier sees it.
    Script opVersion =
        new ScriptBuilder().op(Opcodes.OP_RETURN).data(new byte[4]).smallInt(1).data(alice).build();
    assertThat(LokadData.parse(opVersion).orElseThrow().version()).isEqualTo(-1);
    assertThat(LokadData.parse(Scripts.p2pkh(new byte[20]))).isEmpty();
  }

  @Test
  void templatesAndChronikPayloads() {
    byte[] h = new byte[20];
    h[0] = 7;
    byte[] key = Secp256k1.G.encodeCompressed();
    assertThat(Scripts.p2pkh(h).chronikScript()).isEqualTo(new ChronikScript("p2pkh", h));
    assertThat(Scripts.p2sh(h).toHex()).isEqualTo("a914" + HEX.formatHex(h) + "87");
    assertThat(Scripts.p2sh(h).chronikScript()).isEqualTo(new ChronikScript("p2sh", h));
    assertThat(Scripts.p2pk(key).chronikScript()).isEqualTo(new ChronikScript("p2pk", key));
    byte[] unc = Secp256k1.G.encodeUncompressed();
    assertThat(Scripts.p2pk(unc).type()).isEqualTo(ScriptType.P2PK);
    assertThat(Scripts.p2pk(unc).p2pkPublicKey()).isEqualTo(unc);
    Script tr = Scripts.p2tr(key, new byte[32]);
    assertThat(tr.size()).isEqualTo(69);
    assertThat(tr.type()).isEqualTo(ScriptType.P2TR);
    assertThat(tr.taprootState()).isPresent();
    assertThat(tr.chronikScript()).isEqualTo(new ChronikScript("p2tr-commitment", key));
    assertThat(Scripts.p2tr(key).taprootState()).isEmpty();
    assertThat(tr.chronikStateScript()).contains(new ChronikScript("p2tr-state", new byte[32]));
    assertThat(Scripts.p2tr(key).chronikStateScript()).isEmpty();
    assertThat(Scripts.p2pkh(h).chronikStateScript()).isEmpty();
    Script other = Script.fromHex("51");
    assertThat(other.type()).isEqualTo(ScriptType.OTHER);
    assertThat(other.chronikScript().payloadHex()).isEqualTo("51");
    assertThatThrownBy(() -> Scripts.p2pkh(new byte[19])).hasMessageContaining("20 bytes");
    assertThatThrownBy(() -> Scripts.p2tr(new byte[33])).hasMessageContaining("02/03");
    assertThatThrownBy(() -> Scripts.opReturn(new byte[250])).hasMessageContaining("limit is 223");
  }

  @Test
  void dataOutRules() {
    assertThat(Scripts.opReturn(new byte[220]).isDataOut()).isTrue();
    assertThat(Script.of(concat(new byte[] {0x6a, 0x4c, (byte) 221}, new byte[221])).isDataOut())
        .isFalse();
    assertThat(Script.fromHex("6a76").isDataOut()).isFalse();
    assertThat(Script.fromHex("6a51").isDataOut()).isTrue();
    assertThat(Script.fromHex("6a05aa").isDataOut()).isFalse();
  }

  @Test
  void minimalPushesAndParseRoundTrip() {
    Random rnd = new Random(99);
    int[] sizes = {0, 1, 75, 76, 255, 256, 65535, 65536};
    for (int size : sizes) {
      byte[] d = new byte[size];
      rnd.nextBytes(d);
      Script s = new ScriptBuilder().data(d).build();
      int expectedOp =
          size == 0 ? 0 : size < 76 ? size : size <= 255 ? 0x4c : size <= 65535 ? 0x4d : 0x4e;
      assertThat(s.chunks()).hasSize(1);
      assertThat(s.chunks().get(0).opcode()).isEqualTo(expectedOp);
      assertThat(s.chunks().get(0).data()).isEqualTo(size == 0 ? null : d);
    }
    assertThat(new ScriptBuilder().data(new byte[] {5}).build().toHex()).isEqualTo("0105");
    for (int i = 0; i < 500; i++) {
      ScriptBuilder b = new ScriptBuilder();
      List<ScriptChunk> expected = new ArrayList<>();
      int n = rnd.nextInt(8);
      for (int k = 0; k < n; k++) {
        if (rnd.nextBoolean()) {
          byte[] d = new byte[1 + rnd.nextInt(300)];
          rnd.nextBytes(d);
          b.data(d);
          int op = d.length < 76 ? d.length : 0x4c + (d.length > 255 ? 1 : 0);
          expected.add(new ScriptChunk(op, d));
        } else {
          int op = 0x4f + rnd.nextInt(0xff - 0x4f + 1);
          b.op(op);
          expected.add(new ScriptChunk(op, null));
        }
      }
      Script s = b.build();
      assertThat(s.chunks()).isEqualTo(expected);
      assertThat(Script.fromHex(s.toHex())).isEqualTo(s);
    }
  }

  @Test
  void truncatedPushesAreReported() {
    assertThatThrownBy(() -> Script.fromHex("05aabb").chunks())
        .hasMessageContaining("truncated push at offset 0");
    assertThatThrownBy(() -> Script.fromHex("6a4d01").chunks())
        .hasMessageContaining("truncated push length at offset 1");
    assertThat(Script.fromHex("4e").tryChunks()).isEmpty();
    Random rnd = new Random(5);
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[rnd.nextInt(40)];
      rnd.nextBytes(junk);
      Script s = Script.of(junk);
      s.tryChunks();
      s.type();
      s.chronikScript();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
