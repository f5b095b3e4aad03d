package org.lotusia.musig2.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.taproot.LotusTaproot;

/**
 * The API edges made consistent without breaking code written against the old names: the old names
 * still work, give the same answers, and are marked deprecated so compilers point to the new ones.
 */
class ApiEdgesTest {

  private static final byte[] MSG = new byte[32];
  private final TestSigners signers = new TestSigners(2, new Random(11));

  @Test
  @SuppressWarnings("deprecation") // compares the deprecated order with the new one
  void partialVerifyTakesItsParametersInPartialSignsOrderAndTheOldOrderStillWorks() throws Exception {
    LotusMuSig2 lotus = LotusMuSig2.withDefaultProvider();
    LotusKeyAggContext ctx = lotus.keyAgg(signers.publicKeys);
    SecureRandom rng = new SecureRandom();
    List<SecretNonce> sn = new ArrayList<>();
    List<PublicNonce> pn = new ArrayList<>();
    for (byte[] sk : signers.secretKeys) {
      SecretNonce n = lotus.nonceGen(sk, ctx, MSG, null, rng);
      sn.add(n);
      pn.add(n.publicNonce());
    }
    LotusSessionValues sv = lotus.sessionValues(ctx, lotus.nonceAgg(pn), MSG);
    int index = ctx.indexOf(signers.publicKeys.get(0));
    // partialSign(nonce, secretKey, ctx, signerIndex, values): ctx before the index, as now in partialVerify
    byte[] psig = lotus.partialSign(sn.get(0), signers.secretKeys.get(0), ctx, index, sv);
    assertThat(lotus.partialVerify(psig, pn.get(0), ctx, index, sv)).isTrue();
    assertThat(lotus.partialVerify(psig, pn.get(0), index, ctx, sv)).isTrue();
    int other = 1 - index;
    assertThat(lotus.partialVerify(psig, pn.get(0), ctx, other, sv)).isFalse();
    assertThat(lotus.partialVerify(psig, pn.get(0), other, ctx, sv)).isFalse();
    // requireValidPartial follows the same order; the old order still throws for the wrong signer
    lotus.requireValidPartial(psig, pn.get(0), ctx, index, sv);
    lotus.requireValidPartial(psig, pn.get(0), index, ctx, sv);
    assertThatThrownBy(() -> lotus.requireValidPartial(psig, pn.get(0), ctx, other, sv))
        .isInstanceOf(InvalidContributionException.class);
    assertThatThrownBy(() -> lotus.requireValidPartial(psig, pn.get(0), other, ctx, sv))
        .isInstanceOf(InvalidContributionException.class);
    assertThat(
            LotusMuSig2.class
                .getMethod(
                    "requireValidPartial",
                    byte[].class,
                    PublicNonce.class,
                    int.class,
                    LotusKeyAggContext.class,
                    LotusSessionValues.class)
                .isAnnotationPresent(Deprecated.class))
        .isTrue();
    assertThat(
            LotusMuSig2.class
                .getMethod(
                    "partialVerify",
                    byte[].class,
                    PublicNonce.class,
                    int.class,
                    LotusKeyAggContext.class,
                    LotusSessionValues.class)
                .isAnnotationPresent(Deprecated.class))
        .isTrue();
    assertThat(
            Bip327MuSig2.class
                .getMethod(
                    "partialVerify",
                    byte[].class,
                    PublicNonce.class,
                    int.class,
                    Bip327KeyAggContext.class,
                    Bip327SessionValues.class)
                .isAnnotationPresent(Deprecated.class))
        .isTrue();
  }

  @Test
  @SuppressWarnings("deprecation") // the deprecated alias is what is checked
  void theKeyPathSighashHasOneHome() throws Exception {
    assertThat(LotusMuSig2Taproot.KEY_PATH_SIGHASH).isEqualTo(LotusTaproot.KEY_PATH_SIGHASH);
    assertThat(LotusTaproot.KEY_PATH_SIGHASH).isEqualTo(0x61); // SIGHASH_ALL | SIGHASH_LOTUS
    assertThat(
            LotusMuSig2Taproot.class
                .getField("KEY_PATH_SIGHASH")
                .isAnnotationPresent(Deprecated.class))
        .isTrue();
    // the key-path signature ends with the one constant
    byte[] sig = LotusMuSig2Taproot.keyPathSignature(new byte[64]);
    assertThat(sig).hasSize(65);
    assertThat(sig[64]).isEqualTo((byte) LotusTaproot.KEY_PATH_SIGHASH);
  }

  @Test
  @SuppressWarnings("removal") // the deprecated method is what is checked
  void theDeterministicNonceIsNoLongerPublicApiButOldCallersStillLink() throws Exception {
    LotusMuSig2 lotus = new LotusMuSig2(Secp256k1.defaultProvider());
    LotusKeyAggContext ctx = lotus.keyAgg(signers.publicKeys);
    byte[] sk = signers.secretKeys.get(0);
    Deprecated d =
        LotusMuSig2.class
            .getMethod(
                "nonceGenDeterministicForTests",
                byte[].class,
                LotusKeyAggContext.class,
                byte[].class,
                byte[].class)
            .getAnnotation(Deprecated.class);
    assertThat(d).isNotNull();
    assertThat(d.forRemoval()).isTrue();
    assertThat(lotus.nonceGenDeterministicForTests(sk, ctx, MSG, null).publicNonce().encode())
        .isEqualTo(lotus.nonceGenDeterministic(sk, ctx, MSG, null).publicNonce().encode());
  }

  @Test
  @SuppressWarnings("deprecation") // the deprecated alias is compared with the new name
  void sessionAndContextNameTheSameKeySigningKey() throws Exception {
    LotusMuSig2 lotus = LotusMuSig2.withDefaultProvider();
    LotusKeyAggContext tweaked = lotus.taproot(lotus.keyAgg(signers.publicKeys));
    MuSig2Session session =
        MuSig2Session.builder()
            .publicKeys(signers.publicKeys)
            .secretKey(signers.secretKeys.get(0))
            .message(MSG)
            .taproot()
            .build();
    // the key the signature verifies under: the tweaked output key, in both classes
    assertThat(session.signingKey()).isEqualTo(tweaked.signingKey().encodeCompressed());
    assertThat(session.signingKey()).isNotEqualTo(tweaked.aggregateKey().encodeCompressed());
    // the old session name still answers the same key, and is marked deprecated
    assertThat(session.aggregateKey()).isEqualTo(session.signingKey());
    assertThat(MuSig2Session.class.getMethod("aggregateKey").isAnnotationPresent(Deprecated.class))
        .isTrue();
  }
}
