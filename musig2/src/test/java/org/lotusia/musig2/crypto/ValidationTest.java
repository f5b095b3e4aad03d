package org.lotusia.musig2.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.Secp256k1;

/** Clear errors for bad points, infinity, out-of-range scalars and wrong signer indices. */
class ValidationTest {
  private static final byte[] MSG = new byte[32];
  private final LotusMuSig2 lotus = LotusMuSig2.withDefaultProvider();
  private final TestSigners signers = new TestSigners(3, new Random(3));

  private static void assertBlames(Throwable t, Contribution c, int signer) {
    assertThat(t).isInstanceOf(InvalidContributionException.class);
    InvalidContributionException e = (InvalidContributionException) t;
    assertThat(e.contribution()).isEqualTo(c);
    assertThat(e.signer()).hasValue(signer);
    assertThat(e.getMessage()).contains("signer " + signer);
  }

  @Test
  void keyAggNamesTheBadKeyInCallerOrder() {
    List<byte[]> keys = new ArrayList<>(signers.publicKeys);
    byte[] notOnCurve = new byte[33];
    notOnCurve[0] = 2;
    notOnCurve[32] = 5; // x = 5 has no y on secp256k1
    keys.set(2, notOnCurve);
    assertBlames(catchIt(() -> lotus.keyAgg(keys)), Contribution.PUBKEY, 2);
    keys.set(2, Secp256k1.G.encodeUncompressed());
    Throwable t = catchIt(() -> lotus.keyAgg(keys));
    assertBlames(t, Contribution.PUBKEY, 2);
    assertThat(t.getMessage()).contains("33-byte");
    byte[] badPrefix = signers.publicKeys.get(0).clone();
    badPrefix[0] = 4;
    keys.set(2, badPrefix);
    assertBlames(catchIt(() -> lotus.keyAgg(keys)), Contribution.PUBKEY, 2);
    assertThatThrownBy(() -> lotus.keyAgg(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tweakOutOfRangeIsRefused() {
    Bip327MuSig2 b = Bip327MuSig2.withDefaultProvider();
    Bip327KeyAggContext ctx = b.keyAgg(List.of(signers.publicKeys.get(0)));
    assertThatThrownBy(() -> b.applyTweak(ctx, Scalars.to32(Secp256k1.N), false))
        .hasMessage("The tweak must be less than n.");
    assertThatThrownBy(() -> b.applyTweak(ctx, new byte[31], true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scalarsOutOfRange() {
    LotusKeyAggContext ctx = lotus.keyAgg(signers.publicKeys);
    SecureRandom rng = new SecureRandom();
    assertThatThrownBy(() -> lotus.nonceGen(new byte[32], ctx, MSG, null, rng))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> lotus.nonceGen(Scalars.to32(Secp256k1.N), ctx, MSG, null, rng))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> lotus.nonceGen(new byte[31], ctx, MSG, null, rng))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
    List<SecretNonce> sn = new ArrayList<>();
    List<PublicNonce> pn = new ArrayList<>();
    for (byte[] sk : signers.secretKeys) {
      SecretNonce n = lotus.nonceGen(sk, ctx, MSG, null, rng);
      sn.add(n);
      pn.add(n.publicNonce());
    }
    LotusSessionValues sv = lotus.sessionValues(ctx, lotus.nonceAgg(pn), MSG);
    List<byte[]> psigs = new ArrayList<>();
    int[] order = new int[3];
    for (int i = 0; i < 3; i++) {
      order[i] = ctx.indexOf(signers.publicKeys.get(i));
    }
    byte[][] bySorted = new byte[3][];
    for (int i = 0; i < 3; i++) {
      bySorted[order[i]] = lotus.partialSign(sn.get(i), signers.secretKeys.get(i), ctx, sv);
    }
    psigs.addAll(List.of(bySorted));
    // a partial signature >= n is rejected (lotus-sdk accepts it modulo n: reference 6.1 C10)
    assertThat(
            lotus.partialVerify(
                Scalars.to32(Secp256k1.N), pn.get(indexOfSigner(order, 1)), ctx, 1, sv))
        .isFalse();
    assertThat(lotus.partialVerify(bySorted[1], pn.get(indexOfSigner(order, 1)), ctx, 1, sv))
        .isTrue();
    List<byte[]> withBad = new ArrayList<>(psigs);
    withBad.set(1, Scalars.to32(Secp256k1.N));
    assertBlames(catchIt(() -> lotus.aggregate(withBad, ctx, sv)), Contribution.PSIG, 1);
    assertThatThrownBy(() -> lotus.aggregate(psigs.subList(0, 2), ctx, sv))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected one partial signature per signer (3), got 2");
    assertThat(lotus.aggregate(psigs, ctx, sv)).hasSize(64);
  }

  private static int indexOfSigner(int[] order, int sorted) {
    for (int i = 0; i < order.length; i++) {
      if (order[i] == sorted) {
        return i;
      }
    }
    throw new AssertionError();
  }

  @Test
  void wrongSignerIndexIsRefused() {
    LotusKeyAggContext ctx = lotus.keyAgg(signers.publicKeys);
    SecureRandom rng = new SecureRandom();
    SecretNonce n = lotus.nonceGen(signers.secretKeys.get(0), ctx, MSG, null, rng);
    List<PublicNonce> pn = new ArrayList<>();
    pn.add(n.publicNonce());
    for (int i = 1; i < 3; i++) {
      pn.add(lotus.nonceGen(signers.secretKeys.get(i), ctx, MSG, null, rng).publicNonce());
    }
    LotusSessionValues sv = lotus.sessionValues(ctx, lotus.nonceAgg(pn), MSG);
    int mine = ctx.indexOf(signers.publicKeys.get(0));
    assertThatThrownBy(() -> lotus.partialVerify(new byte[32], pn.get(0), ctx, 3, sv))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signer index 3 out of range");
    assertThatThrownBy(
            () -> lotus.partialSign(n, signers.secretKeys.get(0), ctx, (mine + 1) % 3, sv))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds another public key");
  }

  @Test
  void nonceDecodingErrors() {
    assertBlames(
        catchIt(() -> PublicNonce.decode(Secp256k1.defaultProvider(), new byte[65], 4)),
        Contribution.PUBNONCE,
        4);
    byte[] inf = new byte[66];
    assertBlames(
        catchIt(() -> PublicNonce.decode(Secp256k1.defaultProvider(), inf, 1)),
        Contribution.PUBNONCE,
        1);
    // the aggregate may hold infinity under BIP327, and is blamed on the aggregator when malformed
    assertThat(AggregateNonce.decode(Secp256k1.defaultProvider(), inf).r1().isInfinity()).isTrue();
    Throwable t = catchIt(() -> AggregateNonce.decode(Secp256k1.defaultProvider(), new byte[10]));
    assertThat(((InvalidContributionException) t).signer()).isEmpty();
    assertThat(t.getMessage()).contains("aggregator");
    // Lotus refuses an aggregate nonce at infinity
    assertThatThrownBy(
            () ->
                lotus.sessionValues(
                    lotus.keyAgg(signers.publicKeys),
                    new AggregateNonce(org.lotusia.chain.crypto.EcPoint.INFINITY, Secp256k1.G),
                    MSG))
        .isInstanceOf(InvalidContributionException.class)
        .hasMessageContaining("infinity");
  }

  @Test
  void taprootMisuse() {
    LotusKeyAggContext plain = lotus.keyAgg(signers.publicKeys);
    assertThatThrownBy(() -> LotusMuSig2Taproot.outputScript(plain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not Taproot");
    assertThatThrownBy(plain::taprootTweak).isInstanceOf(IllegalStateException.class);
    LotusKeyAggContext tweaked = lotus.taproot(plain);
    assertThat(tweaked.isTaproot()).isTrue();
    assertThat(tweaked.aggregateKey()).isEqualTo(plain.aggregateKey());
    assertThat(tweaked.signingKey()).isNotEqualTo(plain.signingKey());
    assertThatThrownBy(() -> lotus.taproot(tweaked))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already");
    assertThatThrownBy(() -> lotus.taproot(plain, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LotusMuSig2Taproot.keyPathSignature(new byte[65]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(LotusMuSig2Taproot.keyPathSignature(new byte[64])).hasSize(65).endsWith(0x61);
  }

  private static Throwable catchIt(Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected an exception");
  }
}
