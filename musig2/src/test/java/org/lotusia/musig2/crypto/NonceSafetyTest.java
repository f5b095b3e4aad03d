package org.lotusia.musig2.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reference 6.1 C1/C2: fresh randomness always, one signature per secret nonce, no serialization of
 * secrets.
 */
class NonceSafetyTest {
  private static final byte[] MSG = new byte[32];
  private final SecureRandom rng = new SecureRandom();
  private final TestSigners signers = new TestSigners(2, new Random(11));
  private final LotusMuSig2 lotus = LotusMuSig2.withDefaultProvider();
  private final Bip327MuSig2 bip327 = Bip327MuSig2.withDefaultProvider();

  @Test
  void nonceGenNeverRepeatsForIdenticalInputs() {
    LotusKeyAggContext ctx = lotus.keyAgg(signers.publicKeys);
    byte[] sk = signers.secretKeys.get(0);
    PublicNonce a = lotus.nonceGen(sk, ctx, MSG, null, rng).publicNonce();
    PublicNonce b = lotus.nonceGen(sk, ctx, MSG, null, rng).publicNonce();
    assertThat(a).isNotEqualTo(b);
    // even with the same caller extra input
    byte[] extra = new byte[32];
    assertThat(lotus.nonceGen(sk, ctx, MSG, extra, rng).publicNonce())
        .isNotEqualTo(lotus.nonceGen(sk, ctx, MSG, extra, rng).publicNonce());
    byte[] pk = signers.publicKeys.get(0);
    assertThat(bip327.nonceGen(sk, pk, null, MSG, null, rng).publicNonce())
        .isNotEqualTo(bip327.nonceGen(sk, pk, null, MSG, null, rng).publicNonce());
  }

  @Test
  void secretNonceSignsOnlyOnce() {
    LotusKeyAggContext ctx = lotus.keyAgg(signers.publicKeys);
    SecretNonce n0 = lotus.nonceGen(signers.secretKeys.get(0), ctx, MSG, null, rng);
    SecretNonce n1 = lotus.nonceGen(signers.secretKeys.get(1), ctx, MSG, null, rng);
    LotusSessionValues sv =
        lotus.sessionValues(ctx, lotus.nonceAgg(List.of(n0.publicNonce(), n1.publicNonce())), MSG);
    lotus.partialSign(n0, signers.secretKeys.get(0), ctx, sv);
    assertThat(n0.isDestroyed()).isTrue();
    assertThatThrownBy(() -> lotus.partialSign(n0, signers.secretKeys.get(0), ctx, sv))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("signs only once");
    // a different message with the same nonce: still refused
    LotusSessionValues other =
        lotus.sessionValues(
            ctx,
            sv.aggregateNonce(),
            new byte[] {
              1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
              25, 26, 27, 28, 29, 30, 31, 32
            });
    assertThatThrownBy(() -> lotus.partialSign(n0, signers.secretKeys.get(0), ctx, other))
        .isInstanceOf(IllegalStateException.class);
    assertThat(n1.isDestroyed()).isFalse();
  }

  @Test
  void nonceIsConsumedEvenWhenSigningFailsWithWrongKey() {
    LotusKeyAggContext ctx = lotus.keyAgg(signers.publicKeys);
    SecretNonce n0 = lotus.nonceGen(signers.secretKeys.get(0), ctx, MSG, null, rng);
    SecretNonce n1 = lotus.nonceGen(signers.secretKeys.get(1), ctx, MSG, null, rng);
    LotusSessionValues sv =
        lotus.sessionValues(ctx, lotus.nonceAgg(List.of(n0.publicNonce(), n1.publicNonce())), MSG);
    assertThatThrownBy(() -> lotus.partialSign(n0, signers.secretKeys.get(1), ctx, sv))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not belong");
    assertThat(n0.isDestroyed()).isTrue();
  }

  @Test
  void bip327NonceSignsOnlyOnce() {
    byte[] sk = signers.secretKeys.get(0);
    Bip327KeyAggContext ctx = bip327.keyAgg(signers.publicKeys);
    SecretNonce n0 = bip327.nonceGen(sk, signers.publicKeys.get(0), ctx.xOnlyKey(), MSG, null, rng);
    SecretNonce n1 = bip327.nonceGen(null, signers.publicKeys.get(1), null, null, null, rng);
    Bip327SessionValues sv =
        bip327.sessionValues(
            ctx, bip327.nonceAggDecoded(List.of(n0.publicNonce(), n1.publicNonce())), MSG);
    bip327.sign(n0, sk, ctx, sv);
    assertThatThrownBy(() -> bip327.sign(n0, sk, ctx, sv))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void concurrentSignersGetOneSignature() throws Exception {
    LotusKeyAggContext ctx = lotus.keyAgg(signers.publicKeys);
    SecretNonce n0 = lotus.nonceGen(signers.secretKeys.get(0), ctx, MSG, null, rng);
    SecretNonce n1 = lotus.nonceGen(signers.secretKeys.get(1), ctx, MSG, null, rng);
    LotusSessionValues sv =
        lotus.sessionValues(ctx, lotus.nonceAgg(List.of(n0.publicNonce(), n1.publicNonce())), MSG);
    ExecutorService ex = Executors.newFixedThreadPool(4);
    try {
      List<Future<byte[]>> fs =
          ex.invokeAll(
              List.of(
                  () -> lotus.partialSign(n0, signers.secretKeys.get(0), ctx, sv),
                  () -> lotus.partialSign(n0, signers.secretKeys.get(0), ctx, sv),
                  () -> lotus.partialSign(n0, signers.secretKeys.get(0), ctx, sv),
                  () -> lotus.partialSign(n0, signers.secretKeys.get(0), ctx, sv)));
      int ok = 0;
      for (Future<byte[]> f : fs) {
        try {
          f.get();
          ok++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
        }
      }
      assertThat(ok).isEqualTo(1);
    } finally {
      ex.shutdown();
      assertThat(ex.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void secretsAreNotSerializableAndNotPrinted() throws Exception {
    assertThat(Serializable.class.isAssignableFrom(SecretNonce.class)).isFalse();
    assertThat(Serializable.class.isAssignableFrom(MuSig2Session.class)).isFalse();
    LotusKeyAggContext ctx = lotus.keyAgg(signers.publicKeys);
    SecretNonce n = lotus.nonceGen(signers.secretKeys.get(0), ctx, MSG, null, rng);
    try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
      assertThatThrownBy(() -> out.writeObject(n)).isInstanceOf(NotSerializableException.class);
    }
    assertThat(n.toString()).isEqualTo("SecretNonce[unused]");
    n.destroy();
    assertThat(n.toString()).isEqualTo("SecretNonce[destroyed]");
    assertThatThrownBy(n::consume).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void deterministicFormsSayTheyAreForTests() throws Exception {
    // The only deterministic nonce entry points carry "ForTests" or are BIP327's DeterministicSign.
    for (java.lang.reflect.Method m : LotusMuSig2.class.getMethods()) {
      if (m.getName().startsWith("nonceGen") && !m.getName().equals("nonceGen")) {
        assertThat(m.getName()).endsWith("ForTests");
      }
    }
    for (java.lang.reflect.Method m : Bip327MuSig2.class.getMethods()) {
      if (m.getName().startsWith("nonceGen") && !m.getName().equals("nonceGen")) {
        assertThat(m.getName()).endsWith("ForTests");
      }
    }
  }
}
