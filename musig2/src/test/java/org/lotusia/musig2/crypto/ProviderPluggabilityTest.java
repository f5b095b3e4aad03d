package org.lotusia.musig2.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.crypto.Secp256k1Provider;

/**
 * All curve arithmetic of a session goes through the configured provider (so a native one can
 * replace BC).
 */
class ProviderPluggabilityTest {

  /**
   * Delegates to the default provider (libsecp256k1 where it loads, else BouncyCastle) and counts
   * calls.
   */
  static final class CountingProvider implements Secp256k1Provider {
    final Secp256k1Provider inner = Secp256k1.defaultProvider();
    final AtomicLong calls = new AtomicLong();

    @Override
    public EcPoint mulG(BigInteger k) {
      calls.incrementAndGet();
      return inner.mulG(k);
    }

    @Override
    public EcPoint mul(EcPoint p, BigInteger k) {
      calls.incrementAndGet();
      return inner.mul(p, k);
    }

    @Override
    public EcPoint add(EcPoint a, EcPoint b) {
      calls.incrementAndGet();
      return inner.add(a, b);
    }

    @Override
    public EcPoint mulAdd(BigInteger a, BigInteger b, EcPoint q) {
      calls.incrementAndGet();
      return inner.mulAdd(a, b, q);
    }

    @Override
    public EcPoint decode(byte[] encoded) {
      calls.incrementAndGet();
      return inner.decode(encoded);
    }

    @Override
    public EcPoint liftX(byte[] x32) {
      calls.incrementAndGet();
      return inner.liftX(x32);
    }

    @Override
    public BigInteger[] ecdsaSign(BigInteger secretKey, byte[] digest32) {
      return inner.ecdsaSign(secretKey, digest32);
    }

    @Override
    public boolean ecdsaVerify(BigInteger r, BigInteger s, EcPoint publicKey, byte[] digest32) {
      return inner.ecdsaVerify(r, s, publicKey, digest32);
    }
  }

  @ParameterizedTest
  @EnumSource(MuSig2Session.Variant.class)
  void sessionRunsOnTheGivenProvider(MuSig2Session.Variant variant) {
    CountingProvider provider = new CountingProvider();
    TestSigners signers = new TestSigners(3, new Random(9));
    byte[] msg = new byte[32];
    List<MuSig2Session> sessions = new ArrayList<>();
    for (byte[] sk : signers.secretKeys) {
      sessions.add(
          MuSig2Session.builder()
              .variant(variant)
              .provider(provider)
              .publicKeys(signers.publicKeys)
              .secretKey(sk)
              .message(msg)
              .random(new SecureRandom())
              .build());
    }
    List<byte[]> nonces = new ArrayList<>();
    for (MuSig2Session s : sessions) {
      nonces.add(s.generateNonce());
    }
    for (MuSig2Session s : sessions) {
      for (MuSig2Session o : sessions) {
        if (o != s) {
          s.receiveNonce(o.localIndex(), nonces.get(sessions.indexOf(o)));
        }
      }
    }
    List<byte[]> psigs = new ArrayList<>();
    for (MuSig2Session s : sessions) {
      psigs.add(s.sign());
    }
    long before = provider.calls.get();
    MuSig2Session first = sessions.get(0);
    for (MuSig2Session o : sessions.subList(1, 3)) {
      first.receivePartialSignature(o.localIndex(), psigs.get(sessions.indexOf(o)));
    }
    assertThat(provider.calls.get()).isGreaterThan(before);
    assertThat(provider.calls.get()).isGreaterThan(30);
    byte[] sig = first.finalSignature();
    if (variant == MuSig2Session.Variant.LOTUS) {
      assertThat(LotusSchnorr.verify(sig, first.signingKey(), msg)).isTrue();
    } else {
      assertThat(new Bip340(provider).verify(first.signingKey(), msg, sig)).isTrue();
    }
  }
}
