package org.lotusia.chain.burn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.chronik.ChronikNetwork;
import org.lotusia.chain.chronik.Tx;
import org.lotusia.chain.chronik.ChronikTxOutput;
import org.lotusia.chain.script.LokadData;
import org.lotusia.chain.script.Script;

/** Known-answer tests of the SwapSig and LTMS burn formats (lotus-chain vectors V1, V2, 2.2). */
class BurnFormatsTest {

  static final HexFormat HEX = HexFormat.of();
  static final String POOL = "a1".repeat(32);
  static final String V1_SCRIPT = "6a0c535741505349475f4255524e20" + POOL + "0101";
  static final String ALICE = "034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa";
  static final String ALICE_LTMS = "6a044c544d530101" + "21" + ALICE;

  @Test
  void swapSigScriptMatchesVectorV1() {
    assertThat(HEX.formatHex(SwapSigBurn.script(POOL))).isEqualTo(V1_SCRIPT);
    assertThat(SwapSigBurn.script(POOL)).hasSize(49);
    assertThat(HEX.formatHex(SwapSigBurn.scriptWithoutPoolId()))
        .isEqualTo("6a0c535741505349475f4255524e0101");
    assertThat(SwapSigBurn.script(POOL.toUpperCase())).isEqualTo(SwapSigBurn.script(POOL));
    assertThatThrownBy(() -> SwapSigBurn.script("a1".repeat(31) + "zz"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SwapSigBurn.script("a1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void swapSigBurnAmountsMatchVectorV2() {
    assertThat(SwapSigBurn.burnAmount(10_000)).isEqualTo(100);
    assertThat(SwapSigBurn.burnAmount(100_000)).isEqualTo(100);
    assertThat(SwapSigBurn.burnAmount(1_000_000)).isEqualTo(1000);
    assertThat(SwapSigBurn.burnAmount(10_000_000)).isEqualTo(10_000);
    assertThat(SwapSigBurn.burnAmount(100_000_000)).isEqualTo(10_000);
    assertThat(SwapSigBurn.burnAmount(1_000_000, 0.005)).isEqualTo(5000);
    assertThat(SwapSigBurn.burnAmount(10_000_000, 0.005)).isEqualTo(10_000);
    assertThatThrownBy(() -> SwapSigBurn.burnAmount(1000, 0.02))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SwapSigBurn.burnAmount(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void swapSigParseAndFind() {
    assertThat(SwapSigBurn.parse(HEX.parseHex(V1_SCRIPT))).contains(new SwapSigBurn(POOL, 1));
    assertThat(SwapSigBurn.parse(SwapSigBurn.scriptWithoutPoolId()))
        .contains(new SwapSigBurn(null, 1));
    assertThat(SwapSigBurn.parse(HEX.parseHex(V1_SCRIPT + "0101"))).isPresent();
    assertThat(SwapSigBurn.parse(HEX.parseHex("6a0c535741505349475f4255524f0101"))).isEmpty();
    assertThat(SwapSigBurn.parse(HEX.parseHex(ALICE_LTMS))).isEmpty();
    // no LOKAD prefix in the SwapSig format
    assertThat(LokadData.parse(Script.of(HEX.parseHex(V1_SCRIPT)))).isEmpty();
    // not push-only after OP_RETURN, or truncated: not a burn
    assertThat(SwapSigBurn.parse(HEX.parseHex(V1_SCRIPT + "ac"))).isEmpty();
    assertThat(SwapSigBurn.parse(HEX.parseHex(V1_SCRIPT.substring(0, 40)))).isEmpty();

    // vector V7 setup tx outputs: P2TR, burn, change
    Tx setup =
        new Tx(
            "2cf9ee0c67d7980b644544457b8788bbb5e73970f0c57da058de8c28e157f504",
            2,
            List.of(),
            List.of(
                new ChronikTxOutput(
                    1_000_000,
                    "62512102c517f6ac806f209f7a5672e245497182b3b39cdf23b9494d2b1719caaeb189d4",
                    null),
                new ChronikTxOutput(1000, V1_SCRIPT, null),
                new ChronikTxOutput(98_677, "76a914fc7250a211deddc70ee5a2738de5f07817351cef88ac", null)),
            0,
            null,
            0,
            295,
            false,
            ChronikNetwork.XPI);
    assertThat(SwapSigBurn.find(setup, 1000, POOL.toUpperCase())).hasValue(1);
    assertThat(SwapSigBurn.find(setup, 1001, POOL)).isEmpty();
    assertThat(SwapSigBurn.find(setup, 1000, "b2".repeat(32))).isEmpty();
    assertThat(SwapSigBurn.policy(1000, POOL, 1).formatCheck().test(HEX.parseHex(V1_SCRIPT)))
        .isTrue();
    assertThat(
            SwapSigBurn.policy(1000, "b2".repeat(32), 1)
                .formatCheck()
                .test(HEX.parseHex(V1_SCRIPT)))
        .isFalse();
  }

  @Test
  void ltmsScriptMatchesReferenceExample() {
    byte[] script = LtmsIdentityBurn.script(HEX.parseHex(ALICE));
    assertThat(HEX.formatHex(script)).isEqualTo(ALICE_LTMS);
    assertThat(script).hasSize(42);
    LtmsIdentityBurn parsed = LtmsIdentityBurn.parse(script).orElseThrow();
    assertThat(parsed).isEqualTo(new LtmsIdentityBurn(1, ALICE, ""));
    LokadData lokad = LokadData.parse(Script.of(script)).orElseThrow();
    assertThat(HEX.formatHex(lokad.prefix())).isEqualTo("4c544d53");
    assertThat(lokad.version()).isEqualTo(1);
    assertThat(lokad.payload()).hasSize(33);
    assertThat(BurnVerifier.hasLokadPrefix(script, HEX.parseHex("4c544d53"))).isTrue();
    assertThat(BurnVerifier.hasLokadPrefix(script, HEX.parseHex("4c544d54"))).isFalse();
  }

  @Test
  void publicKeyParsingChecksTheCurve() {
    assertThat(BurnVerifier.parsePublicKeyFromLokad(HEX.parseHex(ALICE + "ff")))
        .hasValueSatisfying(k -> assertThat(HEX.formatHex(k)).isEqualTo(ALICE));
    // x = 5 has no point on secp256k1: right prefix and length, but not a curve point
    String offCurve = "02" + "00".repeat(31) + "05";
    assertThat(BurnVerifier.parsePublicKeyFromLokad(HEX.parseHex(offCurve))).isEmpty();
    assertThat(LtmsIdentityBurn.parse(HEX.parseHex("6a044c544d53010121" + offCurve))).isEmpty();
    assertThat(BurnVerifier.parsePublicKeyFromLokad(HEX.parseHex("04" + ALICE.substring(2))))
        .isEmpty();
    assertThat(BurnVerifier.parsePublicKeyFromLokad(HEX.parseHex(ALICE.substring(0, 64))))
        .isEmpty();
    assertThat(BurnVerifier.parsePublicKeyFromLokad(null)).isEmpty();
    assertThatThrownBy(() -> LtmsIdentityBurn.script(HEX.parseHex(offCurve)))
        .isInstanceOf(IllegalArgumentException.class);
    // version as opcode OP_1 (0x51) is not an explicit push: no version, so not LTMS
    assertThat(LtmsIdentityBurn.parse(HEX.parseHex("6a044c544d535121" + ALICE))).isEmpty();
  }

  @Test
  void identityIdsMatchVectors() {
    String t = "1234567890abcdef".repeat(4);
    assertThat(BurnVerifier.deriveIdentityId(t, 0))
        .isEqualTo("18d3ed98e85b56077bc268ad49664c1d0efb628596b4933d8159fff5388dc1df");
    assertThat(BurnVerifier.deriveIdentityId(t, 1))
        .isEqualTo("ff833d3470ee978f26b80b2580ad35730d4e9a8682a097ffb317038695d63f59");
    assertThat(BurnVerifier.deriveIdentityId("bb".repeat(32), 0))
        .isEqualTo("e72b7a0a66855a891ba3cbe9fc6d1eebb3ea7fa329739421b7eda9c69f3595a8");
    assertThatThrownBy(() -> BurnVerifier.deriveIdentityId(t, 256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0..255");
    assertThatThrownBy(() -> BurnVerifier.deriveIdentityId("xyz", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
