package org.lotusia.musig2.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.musig2.crypto.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.Secp256k1Provider;
import org.lotusia.chain.taproot.LotusTaproot;

/**
 * Every value of the lotus-sdk vector file (musig2-lotus-vectors.json) is reproduced, on every
 * secp256k1 provider that can be selected here.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.lotusia.musig2.crypto.Providers#all")
class LotusVectorsTest {
  private static final JsonNode V = Vectors.load("lotus/musig2-lotus-vectors.json");
  private final Secp256k1Provider curve;
  private final LotusMuSig2 musig;

  LotusVectorsTest(Secp256k1Provider curve) {
    this.curve = curve;
    this.musig = new LotusMuSig2(curve);
  }

  private static byte[] sk(String name) {
    return hex(V.get("privateKeys").get(name));
  }

  private static byte[] pk(String name) {
    return hex(V.get("publicKeys").get(name));
  }

  @Test
  void publicKeysDeriveFromPrivateKeys() {
    for (String n : List.of("A", "B", "C")) {
      assertThat(curve.mulG(new BigInteger(1, sk(n))).encodeCompressed()).isEqualTo(pk(n));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"vec_2of2_deterministic", "vec_2of2_R_nonQR", "vec_2of2_R_QR", "vec_taproot_2of2"})
  void fullSessionReproducesEveryValue(String name) {
    JsonNode v = V.get(name);
    byte[] msg = hex(v.get("message"));
    byte[] extra = v.get("extraInput").isNull() ? null : hex(v.get("extraInput"));

    // key aggregation
    JsonNode ka = v.get("keyAgg");
    LotusKeyAggContext ctx = musig.keyAgg(Vectors.hexList(ka.get("inputOrder")));
    assertThat(ctx.publicKeys()).containsExactlyElementsOf(Vectors.hexList(ka.get("sorted")));
    assertThat(hex(ctx.listHash())).isEqualTo(ka.get("L").asText());
    for (int i = 0; i < ctx.size(); i++) {
      assertThat(hex(ctx.coefficient(i))).isEqualTo(ka.get("coefficients").get(i).asText());
    }
    assertThat(hex(ctx.aggregateKey().encodeCompressed())).isEqualTo(ka.get("Q").asText());

    LotusKeyAggContext signCtx = ctx;
    if (v.has("taproot")) {
      JsonNode t = v.get("taproot");
      assertThat(hex(ctx.aggregateKey().encodeCompressed()))
          .isEqualTo(t.get("internalKey").asText());
      assertThat(
              hex(Scalars.to32(LotusTaproot.tweak(ctx.aggregateKey(), hex(t.get("merkleRoot"))))))
          .isEqualTo(t.get("tweak").asText());
      signCtx = musig.taproot(ctx);
      assertThat(hex(signCtx.taprootTweak())).isEqualTo(t.get("tweak").asText());
      assertThat(hex(signCtx.signingKey().encodeCompressed()))
          .isEqualTo(t.get("commitment").asText());
      assertThat(hex(LotusMuSig2Taproot.outputScript(signCtx).bytes()))
          .isEqualTo(t.get("scriptPubKey").asText());
    }

    // nonce generation: lotus-sdk's deterministic construction (vectors only)
    List<SecretNonce> secret = new ArrayList<>();
    List<PublicNonce> pub = new ArrayList<>();
    List<String> signerOfIndex = new ArrayList<>(List.of("", ""));
    for (JsonNode ng : v.get("nonceGen")) {
      String s = ng.get("signer").asText();
      int idx = ng.get("sortedIndex").asInt();
      assertThat(ctx.indexOf(pk(s))).isEqualTo(idx);
      signerOfIndex.set(idx, s);
      byte[] sessionData =
          Points.concat(
              sk(s),
              ctx.aggregateKey().encodeCompressed(),
              msg,
              extra == null ? new byte[32] : extra);
      assertThat(hex(sessionData)).isEqualTo(ng.get("sessionData").asText());
      assertThat(hex(TaggedHasher.AUX.hash(sessionData))).isEqualTo(ng.get("auxHash").asText());
      SecretNonce sn = musig.nonceGenDeterministic(sk(s), ctx, msg, extra);
      PublicNonce pn = sn.publicNonce();
      assertThat(hex(pn.r1().encodeCompressed())).isEqualTo(ng.get("R1").asText());
      assertThat(hex(pn.r2().encodeCompressed())).isEqualTo(ng.get("R2").asText());
      assertThat(curve.mulG(new BigInteger(1, hex(ng.get("k1"))))).isEqualTo(pn.r1());
      assertThat(curve.mulG(new BigInteger(1, hex(ng.get("k2"))))).isEqualTo(pn.r2());
      secret.add(sn);
      pub.add(pn);
    }

    AggregateNonce agg = musig.nonceAgg(pub);
    assertThat(hex(agg.r1().encodeCompressed())).isEqualTo(v.get("aggNonce").get("R1").asText());
    assertThat(hex(agg.r2().encodeCompressed())).isEqualTo(v.get("aggNonce").get("R2").asText());

    LotusSessionValues sv = musig.sessionValues(signCtx, agg, msg);
    JsonNode im = v.get("intermediate");
    assertThat(
            hex(
                Points.concat(
                    signCtx.signingKey().encodeCompressed(),
                    agg.r1().encodeCompressed(),
                    agg.r2().encodeCompressed(),
                    msg)))
        .isEqualTo(im.get("nonceCoefInput").asText());
    assertThat(hex(Scalars.to32(sv.nonceCoefficient()))).isEqualTo(im.get("b").asText());
    assertThat(hex(sv.finalNonce().encodeCompressed())).isEqualTo(im.get("R").asText());
    assertThat(sv.finalNonce().hasSquareY())
        .isEqualTo(im.get("R_y_isQuadraticResidue").asBoolean());
    assertThat(sv.negateNonce()).isEqualTo(!im.get("R_y_isQuadraticResidue").asBoolean());
    assertThat(
            hex(
                Points.concat(
                    sv.finalNonce().xOnly(), signCtx.signingKey().encodeCompressed(), msg)))
        .isEqualTo(im.get("challengeInput").asText());
    assertThat(hex(Scalars.to32(sv.challenge()))).isEqualTo(im.get("e").asText());

    // partial signatures, in sorted order
    byte[][] psigs = new byte[2][];
    for (JsonNode ps : v.get("partialSigs")) {
      String s = ps.get("signer").asText();
      int idx = ps.get("sortedIndex").asInt();
      int genPos = signerPosition(v, s);
      byte[] psig = musig.partialSign(secret.get(genPos), sk(s), signCtx, sv);
      assertThat(hex(psig)).isEqualTo(ps.get("s").asText());
      assertThat(musig.partialVerify(psig, pub.get(genPos), signCtx, idx, sv))
          .isEqualTo(ps.get("verifies").asBoolean());
      psigs[idx] = psig;
    }
    byte[] sig = musig.aggregate(List.of(psigs), signCtx, sv);
    assertThat(hex(sig)).isEqualTo(v.get("finalSignature").asText());
    assertThat(LotusSchnorr.verify(sig, signCtx.signingKey(), msg))
        .isEqualTo(v.get("schnorrVerify").asBoolean());
    if (v.has("finalSignatureTxFormat")) {
      assertThat(hex(LotusMuSig2Taproot.keyPathSignature(sig)))
          .isEqualTo(v.get("finalSignatureTxFormat").asText());
      // the untweaked key must not verify a Taproot signature
      assertThat(LotusSchnorr.verify(sig, ctx.aggregateKey(), msg)).isFalse();
    }
  }

  private static int signerPosition(JsonNode v, String signer) {
    int i = 0;
    for (JsonNode ng : v.get("nonceGen")) {
      if (ng.get("signer").asText().equals(signer)) {
        return i;
      }
      i++;
    }
    throw new AssertionError("no nonce for " + signer);
  }

  @Test
  void duplicateKeyGetsCoefficientOne() {
    JsonNode v = V.get("keyAgg_duplicate");
    LotusKeyAggContext ctx = musig.keyAgg(Vectors.hexList(v.get("inputOrder")));
    assertThat(ctx.publicKeys()).containsExactlyElementsOf(Vectors.hexList(v.get("sorted")));
    assertThat(hex(ctx.listHash())).isEqualTo(v.get("L").asText());
    assertThat(hex(ctx.coefficient(0))).isEqualTo(v.get("coefficients").get(0).asText());
    assertThat(hex(ctx.coefficient(1))).isEqualTo(v.get("coefficients").get(1).asText());
    assertThat(hex(ctx.aggregateKey().encodeCompressed())).isEqualTo(v.get("Q").asText());
  }

  @Test
  void bip327KeysThroughLotusKeyAgg() {
    List<byte[]> keys = Vectors.hexList(Vectors.load("bip327/key_agg_vectors.json").get("pubkeys"));
    for (JsonNode c : V.get("bip327_keyagg_inputs_through_lotus")) {
      LotusKeyAggContext ctx = musig.keyAgg(Vectors.pick(keys, Vectors.ints(c.get("indices"))));
      assertThat(hex(ctx.aggregateKey().encodeCompressed())).isEqualTo(c.get("lotusQ").asText());
    }
  }

  @Test
  void bip327NonceSumsThroughLotusNonceAgg() {
    JsonNode sv = Vectors.load("bip327/sign_verify_vectors.json");
    List<byte[]> pn = Vectors.hexList(sv.get("pnonces"));
    List<PublicNonce> three = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      three.add(PublicNonce.decode(curve, pn.get(i), i));
    }
    assertThat(hex(musig.nonceAgg(three).encode()))
        .isEqualTo(V.get("bip327_nonceagg_012").asText());
    assertThat(V.get("bip327_nonceagg_03").asText()).startsWith("throws");
    List<PublicNonce> inf =
        List.of(PublicNonce.decode(curve, pn.get(0), 0), PublicNonce.decode(curve, pn.get(3), 3));
    assertThatThrownBy(() -> musig.nonceAgg(inf))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("infinity");
  }

  @Test
  void singleKeyLotusSchnorrMatchesChain() {
    JsonNode v = V.get("lotusSchnorr_single");
    byte[] sig = LotusSchnorr.sign(hex(v.get("sk")), hex(v.get("msg")));
    assertThat(hex(sig)).isEqualTo(v.get("sig").asText());
    EcPoint p = curve.mulG(new BigInteger(1, hex(v.get("sk"))));
    assertThat(musig.verify(sig, p, hex(v.get("msg")))).isEqualTo(v.get("verify").asBoolean());
  }
}
