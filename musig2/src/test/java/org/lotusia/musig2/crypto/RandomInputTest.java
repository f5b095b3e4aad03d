package org.lotusia.musig2.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.Secp256k1;

/**
 * Random and mutated bytes from a peer (nonces, partial signatures, keys) only ever produce {@link
 * IllegalArgumentException} (usually {@link InvalidContributionException}) or {@link
 * IllegalStateException}, never another exception, and never an accepted value that is wrong.
 */
class RandomInputTest {
  private final Random rnd = new Random(42);

  private byte[] randomOrMutated(byte[] valid) {
    int mode = rnd.nextInt(4);
    byte[] out;
    if (mode == 0) {
      out = new byte[rnd.nextInt(100)];
      rnd.nextBytes(out);
    } else if (mode == 1) {
      out = valid.clone();
      out[rnd.nextInt(out.length)] ^= (byte) (1 << rnd.nextInt(8));
    } else if (mode == 2) {
      out = java.util.Arrays.copyOf(valid, rnd.nextInt(valid.length + 3));
    } else {
      out = valid.clone();
      out[0] = (byte) rnd.nextInt(256);
    }
    return out;
  }

  @Test
  void garbageFromPeersIsRefusedCleanly() {
    TestSigners signers = new TestSigners(2, new Random(1));
    byte[] msg = new byte[32];
    for (MuSig2Session.Variant v : MuSig2Session.Variant.values()) {
      List<MuSig2Session> s = signers.sessionsWithNonces(v, msg, false, new SecureRandom());
      MuSig2Session a = s.get(0);
      MuSig2Session b = s.get(1);
      byte[] good = b.sign();
      int accepted = 0;
      for (int i = 0; i < 300; i++) {
        byte[] junk = randomOrMutated(good);
        try {
          a.receivePartialSignature(b.localIndex(), junk);
          accepted++;
          assertThat(junk).isEqualTo(good);
          break;
        } catch (InvalidContributionException e) {
          assertThat(e.signer()).hasValue(b.localIndex());
        }
      }
      assertThat(accepted).isLessThanOrEqualTo(1);
      assertThat(a.phase())
          .isIn(MuSig2Session.Phase.NONCES_EXCHANGED, MuSig2Session.Phase.COMPLETE);
    }
    MuSig2Session fresh =
        MuSig2Session.builder()
            .publicKeys(signers.publicKeys)
            .secretKey(signers.secretKeys.get(0))
            .message(msg)
            .build();
    byte[] validNonce =
        MuSig2Session.builder()
            .publicKeys(signers.publicKeys)
            .secretKey(signers.secretKeys.get(1))
            .message(msg)
            .build()
            .generateNonce();
    int other = 1 - fresh.localIndex();
    for (int i = 0; i < 300 && fresh.phase() == MuSig2Session.Phase.KEYS_KNOWN; i++) {
      byte[] junk = randomOrMutated(validNonce);
      try {
        fresh.receiveNonce(other, junk);
        // a mutated nonce may still be a valid pair of points; it is then simply that signer's
        // nonce
        assertThat(junk).hasSize(66);
        break;
      } catch (InvalidContributionException e) {
        assertThat(e.signer()).hasValue(other);
      }
    }
  }

  @Test
  void garbageKeysAreRefusedCleanly() {
    LotusMuSig2 lotus = LotusMuSig2.withDefaultProvider();
    Bip327MuSig2 bip = Bip327MuSig2.withDefaultProvider();
    byte[] valid = Secp256k1.G.encodeCompressed();
    for (int i = 0; i < 500; i++) {
      byte[] junk = randomOrMutated(valid);
      try {
        lotus.keyAgg(List.of(valid, junk));
        bip.keyAgg(List.of(junk, valid));
        assertThat(junk).hasSize(33);
      } catch (InvalidContributionException e) {
        assertThat(e.contribution()).isEqualTo(Contribution.PUBKEY);
      }
    }
  }
}
