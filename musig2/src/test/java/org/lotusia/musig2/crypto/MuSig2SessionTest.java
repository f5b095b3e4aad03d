package org.lotusia.musig2.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.Secp256k1;

class MuSig2SessionTest {
  private static final byte[] MSG =
      Vectors.hex("f95466d086770e689964664219266fe5ed215c92ae20bab5c9d79addddf3c0cf");
  private final SecureRandom rng = new SecureRandom();
  private final TestSigners signers = new TestSigners(2, new Random(7));

  private MuSig2Session session(MuSig2Session.Variant v, int who) {
    return MuSig2Session.builder()
        .variant(v)
        .publicKeys(signers.publicKeys)
        .secretKey(signers.secretKeys.get(who))
        .message(MSG)
        .random(rng)
        .build();
  }

  @ParameterizedTest
  @EnumSource(MuSig2Session.Variant.class)
  void twoOfTwoCompletesAndVerifies(MuSig2Session.Variant v) {
    MuSig2Session a = session(v, 0);
    MuSig2Session b = session(v, 1);
    assertThat(a.phase()).isEqualTo(MuSig2Session.Phase.KEYS_KNOWN);
    byte[] na = a.generateNonce();
    byte[] nb = b.generateNonce();
    assertThat(na).hasSize(66);
    a.receiveNonce(b.localIndex(), nb);
    // b receives a's nonce only after it has its own: order of arrival is free within the phase
    b.receiveNonce(a.localIndex(), na);
    assertThat(a.phase()).isEqualTo(MuSig2Session.Phase.NONCES_EXCHANGED);
    byte[] pa = a.sign();
    byte[] pb = b.sign();
    a.receivePartialSignature(b.localIndex(), pb);
    b.receivePartialSignature(a.localIndex(), pa);
    assertThat(a.phase()).isEqualTo(MuSig2Session.Phase.COMPLETE);
    assertThat(a.finalSignature()).isEqualTo(b.finalSignature()).hasSize(64);
    if (v == MuSig2Session.Variant.LOTUS) {
      assertThat(LotusSchnorr.verify(a.finalSignature(), a.signingKey(), MSG)).isTrue();
    } else {
      assertThat(
              new Bip340(Secp256k1.defaultProvider())
                  .verify(a.signingKey(), MSG, a.finalSignature()))
          .isTrue();
    }
  }

  @Test
  void remoteNonceMayArriveBeforeLocalNonce() {
    MuSig2Session a = session(MuSig2Session.Variant.LOTUS, 0);
    MuSig2Session b = session(MuSig2Session.Variant.LOTUS, 1);
    a.receiveNonce(b.localIndex(), b.generateNonce());
    assertThat(a.phase()).isEqualTo(MuSig2Session.Phase.KEYS_KNOWN);
    assertThat(a.missingNonces()).containsExactly(a.localIndex());
    a.generateNonce();
    assertThat(a.phase()).isEqualTo(MuSig2Session.Phase.NONCES_EXCHANGED);
  }

  @Test
  void refusesOutOfOrderAndRepeatedInputs() {
    MuSig2Session a = session(MuSig2Session.Variant.LOTUS, 0);
    MuSig2Session b = session(MuSig2Session.Variant.LOTUS, 1);
    int ib = b.localIndex();
    assertThatThrownBy(a::sign)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("KEYS_KNOWN");
    assertThatThrownBy(() -> a.receivePartialSignature(ib, new byte[32]))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(a::finalSignature).isInstanceOf(IllegalStateException.class);
    byte[] na = a.generateNonce();
    assertThatThrownBy(a::generateNonce)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already generated");
    assertThatThrownBy(() -> a.receiveNonce(a.localIndex(), na))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("local signer");
    assertThatThrownBy(() -> a.receiveNonce(5, na))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
    byte[] nb = b.generateNonce();
    a.receiveNonce(ib, nb);
    assertThatThrownBy(() -> a.receiveNonce(ib, nb)).isInstanceOf(IllegalStateException.class);
    b.receiveNonce(a.localIndex(), na);
    byte[] pb = b.sign();
    assertThatThrownBy(b::sign)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already signed");
    a.receivePartialSignature(ib, pb);
    assertThatThrownBy(() -> a.receivePartialSignature(ib, pb))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already accepted");
    a.sign();
    assertThat(a.phase()).isEqualTo(MuSig2Session.Phase.COMPLETE);
    assertThatThrownBy(a::sign).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void badPartialNamesSignerAndSessionStaysOpen() {
    List<MuSig2Session> s =
        signers.sessionsWithNonces(MuSig2Session.Variant.LOTUS, MSG, false, rng);
    MuSig2Session a = s.get(0);
    MuSig2Session b = s.get(1);
    byte[] pb = b.sign();
    byte[] bad = pb.clone();
    bad[31] ^= 1;
    assertThatThrownBy(() -> a.receivePartialSignature(b.localIndex(), bad))
        .isInstanceOfSatisfying(
            InvalidContributionException.class,
            e -> {
              assertThat(e.contribution()).isEqualTo(Contribution.PSIG);
              assertThat(e.signer()).hasValue(b.localIndex());
            });
    assertThatThrownBy(() -> a.receiveNonce(b.localIndex(), new byte[66]))
        .isInstanceOf(IllegalStateException.class);
    a.receivePartialSignature(b.localIndex(), pb);
    a.sign();
    assertThat(a.phase()).isEqualTo(MuSig2Session.Phase.COMPLETE);
  }

  @Test
  void invalidNonceNamesSigner() {
    MuSig2Session a = session(MuSig2Session.Variant.BIP327, 0);
    int other = 1 - a.localIndex();
    byte[] bad = new byte[66];
    bad[0] = 2;
    bad[33] = 2; // x = 0 is not on the curve
    assertThatThrownBy(() -> a.receiveNonce(other, bad))
        .isInstanceOfSatisfying(
            InvalidContributionException.class,
            e -> {
              assertThat(e.contribution()).isEqualTo(Contribution.PUBNONCE);
              assertThat(e.signer()).hasValue(other);
            });
    assertThat(a.phase()).isEqualTo(MuSig2Session.Phase.KEYS_KNOWN);
  }

  @Test
  void abortRefusesEverything() {
    MuSig2Session a = session(MuSig2Session.Variant.LOTUS, 0);
    a.generateNonce();
    a.abort();
    assertThat(a.phase()).isEqualTo(MuSig2Session.Phase.ABORTED);
    assertThatThrownBy(() -> a.receiveNonce(1 - a.localIndex(), new byte[66]))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(a::sign).isInstanceOf(IllegalStateException.class);
    assertThat(a.toString())
        .contains("ABORTED")
        .doesNotContain(Vectors.hex(signers.secretKeys.get(0)));
  }

  @Test
  void builderValidation() {
    byte[] sk0 = signers.secretKeys.get(0);
    byte[] pk0 = signers.publicKeys.get(0);
    assertThatThrownBy(
            () ->
                MuSig2Session.builder()
                    .publicKeys(List.of(pk0, pk0))
                    .secretKey(sk0)
                    .message(MSG)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate");
    assertThatThrownBy(
            () ->
                MuSig2Session.builder()
                    .publicKeys(List.of(signers.publicKeys.get(1)))
                    .secretKey(sk0)
                    .message(MSG)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not among");
    assertThatThrownBy(
            () -> MuSig2Session.builder().publicKeys(List.of()).secretKey(sk0).message(MSG).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                MuSig2Session.builder()
                    .publicKeys(signers.publicKeys)
                    .secretKey(sk0)
                    .message(new byte[31])
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32");
    assertThatThrownBy(
            () ->
                MuSig2Session.builder()
                    .publicKeys(signers.publicKeys)
                    .secretKey(new byte[32])
                    .message(MSG)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("range");
    byte[] offCurve = pk0.clone();
    offCurve[1] = 0;
    offCurve[2] = 0;
    offCurve[32] = 5;
    assertThatThrownBy(
            () ->
                MuSig2Session.builder()
                    .publicKeys(List.of(pk0, offCurve))
                    .secretKey(sk0)
                    .message(MSG)
                    .build())
        .isInstanceOf(InvalidContributionException.class);
  }

  @Test
  void cancellingNonceAbortsLotusButNotBip327() {
    for (MuSig2Session.Variant v : MuSig2Session.Variant.values()) {
      MuSig2Session a = session(v, 0);
      PublicNonce mine =
          PublicNonce.decode(Secp256k1.defaultProvider(), a.generateNonce(), a.localIndex());
      byte[] cancelling = new PublicNonce(mine.r1().negate(), mine.r2().negate()).encode();
      int other = 1 - a.localIndex();
      if (v == MuSig2Session.Variant.LOTUS) {
        // lotus-sdk cannot sign with an aggregate nonce at infinity (reference 6.1 C8): abort,
        // blame aggregate
        assertThatThrownBy(() -> a.receiveNonce(other, cancelling))
            .isInstanceOfSatisfying(
                InvalidContributionException.class,
                e -> assertThat(e.contribution()).isEqualTo(Contribution.AGGNONCE));
        assertThat(a.phase()).isEqualTo(MuSig2Session.Phase.ABORTED);
      } else {
        // BIP327 encodes the infinite sums as zero bytes and uses R = G
        a.receiveNonce(other, cancelling);
        assertThat(a.phase()).isEqualTo(MuSig2Session.Phase.NONCES_EXCHANGED);
        assertThat(a.sign()).hasSize(32);
      }
    }
  }

  @Test
  void signerLimitIsEnforced() {
    TestSigners five = new TestSigners(5, new Random(5));
    MuSig2Session.Builder b =
        MuSig2Session.builder()
            .publicKeys(five.publicKeys)
            .secretKey(five.secretKeys.get(0))
            .message(MSG);
    assertThatThrownBy(() -> b.maxSigners(4).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too many signers: 5 exceeds the limit of 4");
    assertThat(b.maxSigners(5).build().publicKeys()).hasSize(5);
    assertThatThrownBy(() -> b.maxSigners(0)).isInstanceOf(IllegalArgumentException.class);
    b.wipeSecretKey();
    assertThatThrownBy(b::build)
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("wiped");
  }

  @Test
  void bip327SessionWithXOnlyTweak() {
    byte[] tweak = Vectors.hex("e8f791ff9225a2af0102afff4a9a723d9612a682a25ebe79802b263cdfcd83bb");
    List<MuSig2Session> s = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      s.add(
          MuSig2Session.builder()
              .variant(MuSig2Session.Variant.BIP327)
              .publicKeys(signers.publicKeys)
              .secretKey(signers.secretKeys.get(i))
              .message(new byte[] {1, 2, 3})
              .tweak(tweak, true)
              .random(rng)
              .build());
    }
    byte[] n0 = s.get(0).generateNonce();
    s.get(0).receiveNonce(s.get(1).localIndex(), s.get(1).generateNonce());
    s.get(1).receiveNonce(s.get(0).localIndex(), n0);
    byte[] p0 = s.get(0).sign();
    s.get(0).receivePartialSignature(s.get(1).localIndex(), s.get(1).sign());
    s.get(1).receivePartialSignature(s.get(0).localIndex(), p0);
    byte[] sig = s.get(0).finalSignature();
    assertThat(s.get(1).finalSignature()).isEqualTo(sig);
    Bip327MuSig2 bip = Bip327MuSig2.withDefaultProvider();
    byte[] tweakedKey =
        bip.applyTweak(bip.keyAgg(Bip327MuSig2.keySort(signers.publicKeys)), tweak, true)
            .xOnlyKey();
    assertThat(s.get(0).signingKey()).isEqualTo(tweakedKey);
    assertThat(
            new Bip340(Secp256k1.defaultProvider()).verify(tweakedKey, new byte[] {1, 2, 3}, sig))
        .isTrue();
  }

  @Test
  void lotusTaprootSessionSignsForTheOutputKey() {
    List<MuSig2Session> s = signers.sessionsWithNonces(MuSig2Session.Variant.LOTUS, MSG, true, rng);
    byte[][] p = {s.get(0).sign(), s.get(1).sign()};
    s.get(0).receivePartialSignature(s.get(1).localIndex(), p[1]);
    byte[] sig = s.get(0).finalSignature();
    LotusKeyAggContext ctx = s.get(0).lotusContext();
    assertThat(s.get(0).signingKey()).isEqualTo(ctx.signingKey().encodeCompressed());
    assertThat(LotusSchnorr.verify(sig, ctx.signingKey(), MSG)).isTrue();
    assertThat(LotusSchnorr.verify(sig, ctx.aggregateKey(), MSG)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(MuSig2Session.Variant.class)
  void deferredVerificationNamesTheInvalidPartialWhenTheLastArrives(MuSig2Session.Variant v) {
    TestSigners four = new TestSigners(4, new Random(21));
    List<MuSig2Session> s = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      s.add(MuSig2Session.builder().variant(v).publicKeys(four.publicKeys)
          .secretKey(four.secretKeys.get(i)).message(MSG).random(rng)
          .deferPartialVerification(true).build());
    }
    byte[][] nonces = new byte[4][];
    for (int i = 0; i < 4; i++) {
      nonces[i] = s.get(i).generateNonce();
    }
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        if (i != j) {
          s.get(i).receiveNonce(s.get(j).localIndex(), nonces[j]);
        }
      }
    }
    byte[][] partials = new byte[4][];
    for (int i = 0; i < 4; i++) {
      partials[i] = s.get(i).sign();
    }
    MuSig2Session a = s.get(0);
    int bad = s.get(2).localIndex();
    byte[] forged = partials[2].clone();
    forged[31] ^= 1;
    // a non-scalar is refused at once, naming its sender
    assertThatThrownBy(() -> a.receivePartialSignature(bad, new byte[31]))
        .isInstanceOfSatisfying(InvalidContributionException.class,
            e -> assertThat(e.signer()).hasValue(bad));
    // the forged partial is taken without verification ...
    a.receivePartialSignature(bad, forged);
    a.receivePartialSignature(s.get(1).localIndex(), partials[1]);
    // ... and named when the last partial makes the sum fail
    assertThatThrownBy(() -> a.receivePartialSignature(s.get(3).localIndex(), partials[3]))
        .isInstanceOfSatisfying(InvalidContributionException.class, e -> {
          assertThat(e.contribution()).isEqualTo(Contribution.PSIG);
          assertThat(e.signer()).hasValue(bad);
        });
    assertThat(a.phase()).isEqualTo(MuSig2Session.Phase.NONCES_EXCHANGED);
    assertThat(a.missingPartialSignatures()).containsExactly(bad);
    // the session stays open: the signer's valid partial completes it
    a.receivePartialSignature(bad, partials[2]);
    assertThat(a.phase()).isEqualTo(MuSig2Session.Phase.COMPLETE);
    if (v == MuSig2Session.Variant.LOTUS) {
      assertThat(LotusSchnorr.verify(a.finalSignature(), a.signingKey(), MSG)).isTrue();
    } else {
      assertThat(new Bip340(Secp256k1.defaultProvider())
          .verify(a.signingKey(), MSG, a.finalSignature())).isTrue();
    }
  }
}
