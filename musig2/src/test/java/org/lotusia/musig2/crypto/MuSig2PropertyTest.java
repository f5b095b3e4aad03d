package org.lotusia.musig2.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.Secp256k1;

/**
 * n = 1..20 random signers in both variants (Lotus also in its Taproot form): every session
 * completes with the same verifying signature, and a tampered partial signature of any signer is
 * refused naming that signer.
 */
class MuSig2PropertyTest {

  static Stream<Arguments> cases() {
    return IntStream.rangeClosed(1, 20)
        .boxed()
        .flatMap(
            n ->
                Stream.of(
                    Arguments.of(n, MuSig2Session.Variant.LOTUS, false),
                    Arguments.of(n, MuSig2Session.Variant.LOTUS, true),
                    Arguments.of(n, MuSig2Session.Variant.BIP327, false)));
  }

  @ParameterizedTest(name = "n={0} {1} taproot={2}")
  @MethodSource("cases")
  void randomSignersSignVerifyAndBlame(int n, MuSig2Session.Variant variant, boolean taproot) {
    Random rnd = new Random(1000L * n + variant.ordinal() * 10L + (taproot ? 1 : 0));
    TestSigners signers = new TestSigners(n, rnd);
    byte[] msg = new byte[32];
    rnd.nextBytes(msg);
    List<MuSig2Session> sessions =
        signers.sessionsWithNonces(variant, msg, taproot, new SecureRandom());
    byte[][] psigs = new byte[n][];
    for (MuSig2Session s : sessions) {
      psigs[s.localIndex()] = s.sign();
    }
    // tamper each signer's partial at another session: the culprit is named and the session stays
    // usable
    if (n > 1) {
      for (MuSig2Session sender : sessions) {
        int j = sender.localIndex();
        MuSig2Session receiver = sessions.get((sessions.indexOf(sender) + 1) % n);
        byte[] bad = psigs[j].clone();
        bad[rnd.nextInt(32)] ^= (byte) (1 << rnd.nextInt(8));
        assertThatThrownBy(() -> receiver.receivePartialSignature(j, bad))
            .isInstanceOfSatisfying(
                InvalidContributionException.class,
                e -> {
                  assertThat(e.contribution()).isEqualTo(Contribution.PSIG);
                  assertThat(e.signer()).hasValue(j);
                });
      }
    }
    for (MuSig2Session s : sessions) {
      for (int j = 0; j < n; j++) {
        if (j != s.localIndex()) {
          s.receivePartialSignature(j, psigs[j]);
        }
      }
      assertThat(s.phase()).isEqualTo(MuSig2Session.Phase.COMPLETE);
    }
    byte[] sig = sessions.get(0).finalSignature();
    for (MuSig2Session s : sessions) {
      assertThat(s.finalSignature()).isEqualTo(sig);
    }
    byte[] key = sessions.get(0).signingKey();
    if (variant == MuSig2Session.Variant.LOTUS) {
      assertThat(LotusSchnorr.verify(sig, key, msg)).isTrue();
      byte[] other = msg.clone();
      other[0] ^= 1;
      assertThat(LotusSchnorr.verify(sig, key, other)).isFalse();
    } else {
      Bip340 bip340 = new Bip340(Secp256k1.defaultProvider());
      assertThat(bip340.verify(key, msg, sig)).isTrue();
    }
    // the primitive API blames the same way when aggregating unverified partials
    if (variant == MuSig2Session.Variant.LOTUS && n > 1) {
      List<byte[]> all = new ArrayList<>(List.of(psigs));
      all.set(n - 1, Scalars.to32(Secp256k1.N.add(java.math.BigInteger.ONE)));
      LotusMuSig2 lotus = LotusMuSig2.withDefaultProvider();
      LotusKeyAggContext ctx = sessions.get(0).lotusContext();
      assertThat(ctx.isTaproot()).isEqualTo(taproot);
      assertThat(ctx.size()).isEqualTo(n);
      assertThatThrownBy(() -> lotus.aggregate(all, ctx, null))
          .isInstanceOfSatisfying(
              InvalidContributionException.class, e -> assertThat(e.signer()).hasValue(n - 1));
    }
  }
}
