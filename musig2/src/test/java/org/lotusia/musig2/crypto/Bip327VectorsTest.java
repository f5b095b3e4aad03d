package org.lotusia.musig2.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.musig2.crypto.Vectors.hex;
import static org.lotusia.musig2.crypto.Vectors.hexList;
import static org.lotusia.musig2.crypto.Vectors.ints;
import static org.lotusia.musig2.crypto.Vectors.pick;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.lotusia.chain.crypto.Secp256k1Provider;

/**
 * The official BIP327 vector files, and BIP340 verification of every aggregate signature they
 * produce.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.lotusia.musig2.crypto.Providers#all")
class Bip327VectorsTest {
  private final Secp256k1Provider curve;
  private final Bip327MuSig2 musig;
  private final Bip340 bip340;

  Bip327VectorsTest(Secp256k1Provider curve) {
    this.curve = curve;
    this.musig = new Bip327MuSig2(curve);
    this.bip340 = new Bip340(curve);
  }

  /** Asserts the BIP327 error a vector expects. */
  static void expectError(JsonNode error, String comment, ThrowingCallable call) {
    String type = error.get("type").asText();
    if (type.equals("invalid_contribution")) {
      assertThatThrownBy(call)
          .as(comment)
          .isInstanceOfSatisfying(
              InvalidContributionException.class,
              e -> {
                assertThat(e.contribution().name().toLowerCase())
                    .isEqualTo(error.get("contrib").asText());
                if (error.get("signer").isNull()) {
                  assertThat(e.signer()).isEmpty();
                } else {
                  assertThat(e.signer()).hasValue(error.get("signer").asInt());
                }
              });
    } else {
      assertThatThrownBy(call)
          .as(comment)
          .isInstanceOf(IllegalArgumentException.class)
          .isNotInstanceOf(InvalidContributionException.class)
          .hasMessage(error.get("message").asText());
    }
  }

  private static List<Boolean> bools(JsonNode arr) {
    List<Boolean> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.asBoolean()));
    return out;
  }

  @Test
  void keySort() {
    JsonNode v = Vectors.load("bip327/key_sort_vectors.json");
    assertThat(Bip327MuSig2.keySort(hexList(v.get("pubkeys"))))
        .containsExactlyElementsOf(hexList(v.get("sorted_pubkeys")));
  }

  @Test
  void keyAgg() {
    JsonNode v = Vectors.load("bip327/key_agg_vectors.json");
    List<byte[]> keys = hexList(v.get("pubkeys"));
    List<byte[]> tweaks = hexList(v.get("tweaks"));
    for (JsonNode c : v.get("valid_test_cases")) {
      Bip327KeyAggContext ctx = musig.keyAgg(pick(keys, ints(c.get("key_indices"))));
      assertThat(hex(ctx.xOnlyKey())).isEqualToIgnoringCase(c.get("expected").asText());
    }
    int errors = 0;
    for (JsonNode c : v.get("error_test_cases")) {
      List<byte[]> k = pick(keys, ints(c.get("key_indices")));
      List<byte[]> t = pick(tweaks, ints(c.get("tweak_indices")));
      expectError(
          c.get("error"),
          c.get("comment").asText(),
          () -> musig.keyAgg(k, t, bools(c.get("is_xonly"))));
      errors++;
    }
    assertThat(errors).isEqualTo(5);
  }

  @Test
  void nonceGen() {
    JsonNode v = Vectors.load("bip327/nonce_gen_vectors.json");
    for (JsonNode c : v.get("test_cases")) {
      SecretNonce sn =
          musig.nonceGenWithRandomnessForTests(
              hex(c.get("rand_")),
              opt(c, "sk"),
              hex(c.get("pk")),
              opt(c, "aggpk"),
              opt(c, "msg"),
              opt(c, "extra_in"));
      byte[] expSec = hex(c.get("expected_secnonce"));
      assertThat(hex(sn.publicNonce().encode()))
          .isEqualToIgnoringCase(c.get("expected_pubnonce").asText());
      // the scalars are not readable; k*G equality pins them down
      assertThat(curve.mulG(new BigInteger(1, Arrays.copyOfRange(expSec, 0, 32))))
          .isEqualTo(sn.publicNonce().r1());
      assertThat(curve.mulG(new BigInteger(1, Arrays.copyOfRange(expSec, 32, 64))))
          .isEqualTo(sn.publicNonce().r2());
      assertThat(sn.publicKey()).isEqualTo(Arrays.copyOfRange(expSec, 64, 97));
    }
  }

  private static byte[] opt(JsonNode c, String field) {
    return c.get(field).isNull() ? null : hex(c.get(field));
  }

  @Test
  void nonceAgg() {
    JsonNode v = Vectors.load("bip327/nonce_agg_vectors.json");
    List<byte[]> pn = hexList(v.get("pnonces"));
    for (JsonNode c : v.get("valid_test_cases")) {
      assertThat(hex(musig.nonceAgg(pick(pn, ints(c.get("pnonce_indices")))).encode()))
          .isEqualToIgnoringCase(c.get("expected").asText());
    }
    for (JsonNode c : v.get("error_test_cases")) {
      expectError(
          c.get("error"),
          c.get("comment").asText(),
          () -> musig.nonceAgg(pick(pn, ints(c.get("pnonce_indices")))));
    }
  }

  @Test
  void signAndVerify() {
    JsonNode v = Vectors.load("bip327/sign_verify_vectors.json");
    byte[] sk = hex(v.get("sk"));
    List<byte[]> keys = hexList(v.get("pubkeys"));
    List<byte[]> secnonces = hexList(v.get("secnonces"));
    List<byte[]> pnonces = hexList(v.get("pnonces"));
    List<byte[]> aggnonces = hexList(v.get("aggnonces"));
    List<byte[]> msgs = hexList(v.get("msgs"));
    for (JsonNode c : v.get("valid_test_cases")) {
      List<byte[]> k = pick(keys, ints(c.get("key_indices")));
      List<byte[]> n = pick(pnonces, ints(c.get("nonce_indices")));
      byte[] aggnonce = aggnonces.get(c.get("aggnonce_index").asInt());
      assertThat(musig.nonceAgg(n).encode()).isEqualTo(aggnonce);
      byte[] msg = msgs.get(c.get("msg_index").asInt());
      Bip327KeyAggContext ctx = musig.keyAgg(k);
      Bip327SessionValues sv =
          musig.sessionValues(ctx, AggregateNonce.decode(curve, aggnonce), msg);
      byte[] psig = musig.sign(SecretNonce.importBip327ForTests(secnonces.get(0)), sk, ctx, sv);
      assertThat(hex(psig)).isEqualToIgnoringCase(c.get("expected").asText());
      assertThat(
              musig.partialSigVerify(
                  psig, n, k, List.of(), List.of(), msg, c.get("signer_index").asInt()))
          .isTrue();
    }
    for (JsonNode c : v.get("sign_error_test_cases")) {
      List<byte[]> k = pick(keys, ints(c.get("key_indices")));
      byte[] aggnonce = aggnonces.get(c.get("aggnonce_index").asInt());
      byte[] msg = msgs.get(c.get("msg_index").asInt());
      byte[] secnonce = secnonces.get(c.get("secnonce_index").asInt());
      expectError(
          c.get("error"),
          c.get("comment").asText(),
          () -> {
            Bip327KeyAggContext ctx = musig.keyAgg(k);
            Bip327SessionValues sv =
                musig.sessionValues(ctx, AggregateNonce.decode(curve, aggnonce), msg);
            musig.sign(SecretNonce.importBip327ForTests(secnonce), sk, ctx, sv);
          });
    }
    for (JsonNode c : v.get("verify_fail_test_cases")) {
      assertThat(
              musig.partialSigVerify(
                  hex(c.get("sig")),
                  pick(pnonces, ints(c.get("nonce_indices"))),
                  pick(keys, ints(c.get("key_indices"))),
                  List.of(),
                  List.of(),
                  msgs.get(c.get("msg_index").asInt()),
                  c.get("signer_index").asInt()))
          .as(c.get("comment").asText())
          .isFalse();
    }
    for (JsonNode c : v.get("verify_error_test_cases")) {
      expectError(
          c.get("error"),
          c.get("comment").asText(),
          () ->
              musig.partialSigVerify(
                  hex(c.get("sig")),
                  pick(pnonces, ints(c.get("nonce_indices"))),
                  pick(keys, ints(c.get("key_indices"))),
                  List.of(),
                  List.of(),
                  msgs.get(c.get("msg_index").asInt()),
                  c.get("signer_index").asInt()));
    }
  }

  @Test
  void tweak() {
    JsonNode v = Vectors.load("bip327/tweak_vectors.json");
    byte[] sk = hex(v.get("sk"));
    List<byte[]> keys = hexList(v.get("pubkeys"));
    List<byte[]> pnonces = hexList(v.get("pnonces"));
    List<byte[]> tweaks = hexList(v.get("tweaks"));
    byte[] aggnonce = hex(v.get("aggnonce"));
    byte[] msg = hex(v.get("msg"));
    for (JsonNode c : v.get("valid_test_cases")) {
      List<byte[]> k = pick(keys, ints(c.get("key_indices")));
      List<byte[]> n = pick(pnonces, ints(c.get("nonce_indices")));
      List<byte[]> t = pick(tweaks, ints(c.get("tweak_indices")));
      List<Boolean> x = bools(c.get("is_xonly"));
      assertThat(musig.nonceAgg(n).encode()).isEqualTo(aggnonce);
      Bip327KeyAggContext ctx = musig.keyAgg(k, t, x);
      Bip327SessionValues sv =
          musig.sessionValues(ctx, AggregateNonce.decode(curve, aggnonce), msg);
      byte[] psig =
          musig.sign(SecretNonce.importBip327ForTests(hex(v.get("secnonce"))), sk, ctx, sv);
      assertThat(hex(psig))
          .as(c.get("comment").asText())
          .isEqualToIgnoringCase(c.get("expected").asText());
      assertThat(musig.partialSigVerify(psig, n, k, t, x, msg, c.get("signer_index").asInt()))
          .isTrue();
    }
    for (JsonNode c : v.get("error_test_cases")) {
      expectError(
          c.get("error"),
          c.get("comment").asText(),
          () ->
              musig.keyAgg(
                  pick(keys, ints(c.get("key_indices"))),
                  pick(tweaks, ints(c.get("tweak_indices"))),
                  bools(c.get("is_xonly"))));
    }
  }

  @Test
  void sigAggAndBip340() {
    JsonNode v = Vectors.load("bip327/sig_agg_vectors.json");
    List<byte[]> keys = hexList(v.get("pubkeys"));
    List<byte[]> pnonces = hexList(v.get("pnonces"));
    List<byte[]> tweaks = hexList(v.get("tweaks"));
    List<byte[]> psigs = hexList(v.get("psigs"));
    byte[] msg = hex(v.get("msg"));
    for (JsonNode c : v.get("valid_test_cases")) {
      byte[] aggnonce = hex(c.get("aggnonce"));
      assertThat(musig.nonceAgg(pick(pnonces, ints(c.get("nonce_indices")))).encode())
          .isEqualTo(aggnonce);
      Bip327KeyAggContext ctx =
          musig.keyAgg(
              pick(keys, ints(c.get("key_indices"))),
              pick(tweaks, ints(c.get("tweak_indices"))),
              bools(c.get("is_xonly")));
      Bip327SessionValues sv =
          musig.sessionValues(ctx, AggregateNonce.decode(curve, aggnonce), msg);
      byte[] sig = musig.partialSigAgg(pick(psigs, ints(c.get("psig_indices"))), ctx, sv);
      assertThat(hex(sig)).isEqualToIgnoringCase(c.get("expected").asText());
      assertThat(bip340.verify(ctx.xOnlyKey(), msg, sig)).isTrue();
    }
    for (JsonNode c : v.get("error_test_cases")) {
      Bip327KeyAggContext ctx =
          musig.keyAgg(
              pick(keys, ints(c.get("key_indices"))),
              pick(tweaks, ints(c.get("tweak_indices"))),
              bools(c.get("is_xonly")));
      Bip327SessionValues sv =
          musig.sessionValues(ctx, AggregateNonce.decode(curve, hex(c.get("aggnonce"))), msg);
      expectError(
          c.get("error"),
          c.get("comment").asText(),
          () -> musig.partialSigAgg(pick(psigs, ints(c.get("psig_indices"))), ctx, sv));
    }
  }

  @Test
  void deterministicSign() {
    JsonNode v = Vectors.load("bip327/det_sign_vectors.json");
    byte[] sk = hex(v.get("sk"));
    List<byte[]> keys = hexList(v.get("pubkeys"));
    List<byte[]> msgs = hexList(v.get("msgs"));
    for (JsonNode c : v.get("valid_test_cases")) {
      List<byte[]> k = pick(keys, ints(c.get("key_indices")));
      List<byte[]> t = hexList(c.get("tweaks"));
      List<Boolean> x = bools(c.get("is_xonly"));
      byte[] msg = msgs.get(c.get("msg_index").asInt());
      byte[] other = hex(c.get("aggothernonce"));
      Bip327MuSig2.DeterministicSignature r =
          musig.deterministicSign(sk, other, k, t, x, msg, opt(c, "rand"));
      assertThat(hex(r.publicNonce().encode()))
          .isEqualToIgnoringCase(c.get("expected").get(0).asText());
      assertThat(hex(r.partialSignature()))
          .isEqualToIgnoringCase(c.get("expected").get(1).asText());
      Bip327KeyAggContext ctx = musig.keyAgg(k, t, x);
      AggregateNonce agg = musig.nonceAgg(List.of(r.publicNonce().encode(), other));
      Bip327SessionValues sv = musig.sessionValues(ctx, agg, msg);
      assertThat(
              musig.partialVerify(
                  r.partialSignature(), r.publicNonce(), ctx, c.get("signer_index").asInt(), sv))
          .isTrue();
    }
    for (JsonNode c : v.get("error_test_cases")) {
      expectError(
          c.get("error"),
          c.get("comment").asText(),
          () ->
              musig.deterministicSign(
                  sk,
                  hex(c.get("aggothernonce")),
                  pick(keys, ints(c.get("key_indices"))),
                  hexList(c.get("tweaks")),
                  bools(c.get("is_xonly")),
                  msgs.get(c.get("msg_index").asInt()),
                  opt(c, "rand")));
    }
  }
}
